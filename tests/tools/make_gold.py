"""Write a gold file (format: docs/TARGETS.md, "Gold files") from hand-written annotations.

Each annotation names a mention by the words around it (`context`, which
must occur once in the document and contain the mention), so the offsets are
computed, not typed. Run from the repo root:
    python tests/tools/make_gold.py tests/tools/gold_2024.py
"""
import importlib.util
import json
import sys
from pathlib import Path


def build(spec_path: str) -> None:
    spec = importlib.util.spec_from_file_location("spec", spec_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = Path(module.SOURCE).read_bytes().decode("utf-8-sig")
    rows = []
    # RANGE: one (first words, last words) pair; RANGES: several, for a long
    # report (each review part, the headline paragraph, a plan stretch)
    ranges = []
    for first, last in getattr(module, "RANGES", None) or [module.RANGE]:
        assert text.count(first) == 1, f"range start not unique: {first}"
        lo = text.index(first)
        hi = text.index(last, lo) + len(last)
        ranges.append((lo, hi))
        rows.append({"doc": module.DOC, "status": "range", "start": lo, "end": hi})
    for item in module.ITEMS:
        context, mention, status = item[:3]
        assert text.count(context) == 1, f"context not unique: {context} ({text.count(context)})"
        start = text.index(context) + context.index(mention)
        row = {"doc": module.DOC, "status": status, "mention": mention, "start": start,
               "end": start + len(mention), "line": text.count("\n", 0, start) + 1}
        if status != "negative":
            value, unit, comparator, base_value, base_unit, key = item[3:9]
            row.update(value=value, unit=unit, comparator=comparator, base_value=base_value,
                       base_unit=base_unit, indicator_key=key,
                       kind="actual" if status == "actual" else "target")
            if len(item) > 9:  # extra fields: {"target_year": 2030, "headline": True}
                row.update(item[9])
        assert any(lo <= start < hi for lo, hi in ranges), f"{mention} outside every range"
        rows.append(row)
    out = Path(module.OUT)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {out}: {len(rows) - 1} items")


if __name__ == "__main__":
    build(sys.argv[1])
