"""Build data/lexicon/jieba_compact_dict.txt from jieba's full dictionary.

plancli asks jieba one thing: where the word boundaries fall around its
verbs and markers (增加 inside 增加值 is no verb). These words decide
that: every single character, every word at least MIN_FREQ frequent, every
word that holds a verb or marker (增加值, 更新改造, 人口减少), and the rivals
of those that end in one (贫困人口 against 人口减少).
Frequencies are kept, and one filler entry keeps the dictionary's total, so
paths score as with the full one. Loading this is a fraction of the full
dictionary's time and memory.

    python tools/build_jieba_dict.py   # after changing data/lexicon/verbs.yaml or kinds.yaml
"""
import hashlib
import os
import sys
from pathlib import Path

import jieba

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from plancli import lexicon  # noqa: E402

FILLER = "\ue000"  # a private-use character no text contains
MIN_FREQ = 300     # rarer words seldom decide a boundary (measured: tools/build_jieba_dict.py N, then compare)


def boundary_markers(lex) -> set[str]:
    """The words whose boundaries plancli asks jieba about."""
    return set(lex.verbs) | set(lex.object_verbs) | set(lex.baseline_prefixes)


def main() -> None:
    min_freq = int(sys.argv[1]) if len(sys.argv) > 1 else MIN_FREQ
    markers = boundary_markers(lexicon.load())
    source = Path(os.path.dirname(jieba.__file__)) / "dict.txt"
    entries = [line.split() for line in source.read_text(encoding="utf-8").splitlines()]
    total = sum(int(e[1]) for e in entries)
    holders = [e[0] for e in entries if len(e[0]) > 1 and any(m in e[0] for m in markers)]
    # what a word that ends in a marker competes with: the words that end
    # where its first part ends (人口减少 against 贫困人口, 农村人口 + 减少)
    heads = {w[: -len(m)] for w in holders for m in markers if w.endswith(m) and len(w) > len(m) + 1}
    keep = set(holders)
    keep.update(e[0] for e in entries if len(e[0]) == 1 or int(e[1]) >= min_freq
                or any(e[0].endswith(h) for h in heads if len(h) <= len(e[0])))
    rows = [" ".join(e) for e in entries if e[0] in keep]
    kept = sum(int(e[1]) for e in entries if e[0] in keep)
    rows.append(f"{FILLER} {total - kept} x")
    out = lexicon.data_dir() / "lexicon" / "jieba_compact_dict.txt"
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    stamp = out.with_suffix(".yaml")
    stamp.write_text(f"# written by tools/build_jieba_dict.py; a test checks markers_sha256\n"
                     f"markers_sha256: {markers_digest(markers)}\nmin_freq: {min_freq}\n"
                     f"words: {len(rows) - 1}\nof_jieba_words: {len(entries)}\n", encoding="utf-8")
    print(f"wrote {out}: {len(rows)} of {len(entries)} words")


def markers_digest(markers) -> str:
    return hashlib.sha256("\n".join(sorted(markers)).encode("utf-8")).hexdigest()


if __name__ == "__main__":
    main()
