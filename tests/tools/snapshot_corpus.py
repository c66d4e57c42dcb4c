"""Write tests/data/corpus_snapshot.jsonl.gz: every target and actual the
parser reports on the corpus of tests/data (the 52 national and 10 provincial
reports and the reference notice), one line a document.

tests/test_snapshot.py compares a fresh parse with it, so that a change
meant to leave the output alone (a speed-up, a refactor) is shown to: any
difference is listed. A change meant to alter the output runs this again
and commits the new snapshot with it, the diff showing what moved.

    python tests/tools/snapshot_corpus.py
"""
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
SNAPSHOT = ROOT / "tests" / "data" / "corpus_snapshot.jsonl.gz"
# what a row says; the sentence and section fields follow from the offsets
FIELDS = ("start", "end", "text", "kind", "indicator", "indicator_id", "action", "value", "value_max", "unit",
          "base_value", "comparator", "modality", "value_type", "target_year", "headline")


def corpus() -> list[Path]:
    data = ROOT / "tests" / "data"
    return [*sorted((data / "gov-work-reports").glob("*.txt")), *sorted((data / "provincial-2026").glob("*.txt")),
            ROOT / "data" / "raw" / "jiaxing-2024-plan.txt"]


def rows_of(path: Path) -> dict:
    from plancli.parser import read

    doc = read(path)
    return {"file": path.relative_to(ROOT).as_posix(), "year": doc.meta.year, "region": doc.meta.region,
            "rows": [[getattr(t, f) for f in FIELDS] for t in doc.targets_and_actuals()]}


def main() -> None:
    with gzip.open(SNAPSHOT, "wt", encoding="utf-8") as f:
        for path in corpus():
            f.write(json.dumps(rows_of(path), ensure_ascii=False) + "\n")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}: {len(corpus())} documents")


if __name__ == "__main__":
    main()
