"""The output on the whole corpus of tests/data, against the snapshot
tests/tools/snapshot_corpus.py wrote: a change meant to keep the output
(speed, memory, a refactor) must keep it row for row."""
import gzip
import importlib.util
import json

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("snapshot_corpus", ROOT / "tests" / "tools" / "snapshot_corpus.py")
snapshot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(snapshot)


def test_the_corpus_parses_as_in_the_snapshot():
    with gzip.open(snapshot.SNAPSHOT, "rt", encoding="utf-8") as f:
        expected = {d["file"]: d for d in map(json.loads, f)}
    paths = snapshot.corpus()
    assert sorted(expected) == sorted(p.relative_to(ROOT).as_posix() for p in paths)
    assert sum(len(d["rows"]) for d in expected.values()) > 5000
    changed = []
    for path in paths:
        got = json.loads(json.dumps(snapshot.rows_of(path), ensure_ascii=False))
        want = expected[got["file"]]
        if got != want:
            moved = [r for r in got["rows"] if r not in want["rows"]][:3]
            gone = [r for r in want["rows"] if r not in got["rows"]][:3]
            changed.append((got["file"], {"new": moved, "gone": gone}))
    assert changed == [], "the output moved (python tests/tools/snapshot_corpus.py if meant): " + repr(changed[:3])
