"""Re-run every probe against the working tree and print what differs from
the expectations (see each <name>.expect.md).  Run from /work/main:
    .venv/bin/python tests/probe/run_probes.py
Checks per probe: target rows inside the review stretch (false positives),
the GDP query (indicator_id=gdp, headline, target_year=2026 -> exactly 1),
headline count, meta.region/region_code/title/date/speaker."""
import json, subprocess, sys
from pathlib import Path

HERE = Path(__file__).parent
PC = "/work/main/.venv/bin/plancli"
# probe: (review starts at marker, review ends at marker, expected headline count, expected meta)
JL = dict(region="吉林省", region_code="220000", title="2026年吉林省政府工作报告", date="2026-01-27")
JS = dict(region="江苏省", region_code="320000", title="2026年江苏省政府工作报告", date="2026-02-03")
P = {
 "slogan-jilin": ("一、一年接着一年干", "二、2026年工作安排", 12, JL),
 "slogan-jiangsu": ("一、砥砺奋进开新局", "二、“十五五”时期", 7, JS),
 "pastyear-heading-jilin": ("一、2025年经济社会发展情况", "二、2026年工作安排", 12, JL),
 "mission-heading-jilin": ("一、奋力拼搏，圆满完成", "二、2026年工作安排", 12, JL),
 "unnumbered-jilin": ("“十四五”时期工作回顾", "\n2026年工作安排", 12, JL),
 "unnumbered-jiangsu": ("“十四五”时期发展成就和2025年工作回顾", "\n“十五五”时期工作总体要求", 7, JS),
 "news-jilin": ("新华社长春", "胡玉亭说，今年", 7, dict(region="吉林省", region_code="220000")),
 "news-jilin-titleyear": ("新华社长春", "胡玉亭说，今年", 7, dict(region="吉林省", region_code="220000")),
 "noyear-jilin": ("一、工作回顾", "二、2026年工作安排", 12, dict(region="吉林省", region_code="220000", speaker="省长胡玉亭")),
 "city-jiaxing": ("一、工作回顾", "二、2026年工作安排", 12, dict(region="嘉兴市", region_code="330400", title="2026年嘉兴市政府工作报告", date="2026-01-14")),
 "county-deqing": ("一、工作回顾", "二、2026年工作安排", 12, dict(region="德清县", region_code="330521", date="2026-01-09")),
 "county-kunshan": ("一、工作回顾", "二、2026年工作安排", 12, dict(region="昆山市", region_code="320583", date="2026-01-09")),
 "planreport-jilin": ("一、2025年国民经济", "二、2026年国民经济", 9, dict(region="吉林省", region_code="220000", date="2026-01-27", doc_type="plan_report")),
 "dashlist-jilin": ("一、工作回顾", "二、2026年工作安排", 12, JL),
 "numlist-jilin": ("一、工作回顾", "二、2026年工作安排", 12, JL),
 "headline-cue-jilin": ("一、工作回顾", "二、2026年工作安排", 12, JL),
 "fiveyear-mixed-jilin": ("一、工作回顾", "二、2026年工作安排", 12, JL),
 "pdf-hardbreaks-jilin": ("一、工作回顾", "二、2026年工作安排", 12, JL),
 "webpage-jiangsu": ("一、“十四五”时期和2025年工作回顾", "二、“十五五”时期", 7, JS),
 "traditional-jilin": ("一、工作回顧", "二、2026年工作安排", 12, JL),
 "traditional-jiangsu": ("一、“十四五”時期和2025年工作回顧", "二、“十五五”時期", 7, JS),
 "fullwidth-jilin": ("一、工作回顾", "二、２０２６年工作安排", 12, dict(region="吉林省", region_code="220000", title="2026年吉林省政府工作报告", date="2026-01-27")),
}


def run(name):
    f = HERE / f"{name}.txt"
    text = f.read_text(encoding="utf-8")
    a, b, nh, meta_exp = P[name]
    ra = text.find(a); rb = text.find(b, ra + 1)
    rows = [json.loads(l) for l in subprocess.run([PC, "targets", str(f), "--kind", "all", "--format", "jsonl"],
                                                   capture_output=True, text=True).stdout.splitlines()]
    meta = json.loads(subprocess.run([PC, "parse", str(f)], capture_output=True, text=True).stdout)["meta"]
    tg = [r for r in rows if r["kind"] == "target"]
    fp = [r for r in tg if ra >= 0 and rb >= 0 and ra <= r["start"] < rb]
    gdp = [r for r in tg if r["indicator_id"] == "gdp" and r["headline"] and r["target_year"] == 2026]
    heads = [r for r in tg if r["headline"]]
    ny = [r for r in tg if r["target_year"] is None]
    out = []
    if ra < 0 or rb < 0:
        out.append(f"(review markers not found: {ra},{rb})")
    if fp:
        out.append(f"{len(fp)} targets inside review, e.g. " + "; ".join(f'{r["text"]}[{r["indicator"]}]' for r in fp[:3]))
    if len(gdp) != 1:
        out.append(f"GDP query gives {len(gdp)} rows")
    if len(heads) != nh:
        out.append(f"headline rows {len(heads)} (expected {nh})")
    if ny:
        out.append(f"{len(ny)} targets with target_year None")
    for k, v in meta_exp.items():
        if meta.get(k) != v:
            out.append(f"meta.{k}={meta.get(k)!r} (expected {v!r})")
    print(f"{'OK  ' if not out else 'FAIL'} {name}: targets={len(tg)} actual={len(rows)-len(tg)}" + ("" if not out else "\n      " + "\n      ".join(out)))


for name in (sys.argv[1:] or P):
    if (HERE / f"{name}.txt").exists():
        run(name)
