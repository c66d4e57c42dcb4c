"""Probe helper: print meta, parts and every row (kind/target_year/headline/indicator/value)."""
import json, subprocess, sys
f = sys.argv[1]
only = sys.argv[2] if len(sys.argv) > 2 else None
d = json.loads(subprocess.run(["/work/main/.venv/bin/plancli", "parse", f], capture_output=True, text=True, cwd="/work/main").stdout)
m = d["meta"]
print("META", {k: m.get(k) for k in ("title", "doc_type", "region", "region_code", "year", "date", "speaker", "occasion", "lead", "trailer")})
print("BODY", m["body"], "chars", m["chars"])
for p in d["parts"]:
    print("PART", p["kind"], p["start"], p["end"], p["title"])
rows = subprocess.run(["/work/main/.venv/bin/plancli", "targets", f, "--kind", "all", "--format", "jsonl"], capture_output=True, text=True, cwd="/work/main").stdout.splitlines()
for r in map(json.loads, rows):
    if only and only not in (r["kind"],):
        continue
    print(f'{r["kind"][:3]} {str(r["target_year"]):4} {"H" if r["headline"] else "-"} {r["section"] or "":3} {r["text"]:14} [{r["indicator"]}] id={r["indicator_id"]} cmp={r["comparator"]} | {r["sentence"][:70]}')
