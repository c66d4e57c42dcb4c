"""Build data/lexicon/segment_words.txt, the word list plancli segments with,
from jieba's dictionary and data/lexicon/jieba_user_dict.txt.

plancli asks one thing of a segmenter: where the word boundaries fall
around its verbs and markers (增加 inside 增加值 is no verb). These words
decide that: every single character, every word at least MIN_FREQ frequent,
every word that holds a verb or marker (增加值, 更新改造, 人口减少), and the
rivals of those that end in one (贫困人口 against 人口减少), then the user
dictionary's policy terms. jieba itself merges them (so a user word's
frequency is what jieba would give it), and the result is written as jieba
holds it: each word with its frequency, and the dictionary's total, so
paths score as with the full dictionary.

plancli.segment reads this file with jieba's own path scoring (no HMM) and
no jieba at run time: the lines are grouped by first character and only
the characters a text asks about are ever unpacked.

    python tools/build_jieba_dict.py   # after changing verbs.yaml, kinds.yaml or jieba_user_dict.txt
"""
import hashlib
import os
import sys
import tempfile
from pathlib import Path

import jieba

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from plancli import lexicon  # noqa: E402

MIN_FREQ = 300     # rarer words seldom decide a boundary (measured: tools/build_jieba_dict.py N, then compare)


def boundary_markers(lex) -> set[str]:
    """The words whose boundaries plancli asks the segmenter about."""
    return set(lex.verbs) | set(lex.object_verbs) | set(lex.baseline_prefixes)


def compact_entries(markers: set[str], min_freq: int) -> tuple[list[list[str]], int]:
    """The entries of jieba's dictionary that can decide a marker's
    boundary, and the full dictionary's total frequency."""
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
    return [e for e in entries if e[0] in keep], total


def merged_frequencies(entries: list[list[str]], full_total: int, user_dict: Path) -> tuple[dict[str, int], int]:
    """Word → frequency as jieba holds them once the user dictionary is
    loaded over the compact one, and jieba's total."""
    kept = sum(int(e[1]) for e in entries)
    filler = "\ue000"  # a private-use character no text contains: keeps the full total
    with tempfile.TemporaryDirectory() as tmp:
        compact = Path(tmp) / "compact.txt"
        compact.write_text("\n".join(" ".join(e) for e in entries) + f"\n{filler} {full_total - kept} x\n",
                           encoding="utf-8")
        tokenizer = jieba.Tokenizer(dictionary=str(compact))
        tokenizer.tmp_dir = tmp
        tokenizer.load_userdict(str(user_dict))
    words = {w: f for w, f in tokenizer.FREQ.items() if f and w != filler}
    return words, tokenizer.total


def main() -> None:
    min_freq = int(sys.argv[1]) if len(sys.argv) > 1 else MIN_FREQ
    jieba.setLogLevel(60)
    markers = boundary_markers(lexicon.load())
    lexicon_dir = lexicon.data_dir() / "lexicon"
    user_dict = lexicon_dir / "jieba_user_dict.txt"
    entries, full_total = compact_entries(markers, min_freq)
    words, total = merged_frequencies(entries, full_total, user_dict)
    by_first: dict[str, list[str]] = {}
    for word in sorted(words):
        by_first.setdefault(word[0], []).append(f"{word} {words[word]}")
    out = lexicon_dir / "segment_words.txt"
    out.write_text(f"total {total}\n" + "".join("\t".join(group) + "\n" for group in by_first.values()),
                   encoding="utf-8")
    stamp = out.with_suffix(".yaml")
    stamp.write_text(f"# written by tools/build_jieba_dict.py; a test checks sources_sha256\n"
                     f"sources_sha256: {sources_digest(markers, user_dict)}\nmin_freq: {min_freq}\n"
                     f"jieba: {jieba.__version__}\nwords: {len(words)}\n", encoding="utf-8")
    print(f"wrote {out}: {len(words)} words in {len(by_first)} first characters")


def sources_digest(markers, user_dict: Path) -> str:
    """What the word list is built from: the markers and the user dictionary."""
    return hashlib.sha256("\n".join(sorted(markers)).encode("utf-8") + b"\0" + user_dict.read_bytes()).hexdigest()


if __name__ == "__main__":
    main()
