"""The language data in data/lexicon/ and what is built from it."""


def _build_tool():
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parent.parent / "tools" / "build_jieba_dict.py"
    spec = importlib.util.spec_from_file_location("build_jieba_dict", tool)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def test_segment_word_list_is_current():
    """tools/build_jieba_dict.py must run again when the verbs, markers or
    the user dictionary change."""
    import yaml

    from plancli import lexicon

    build = _build_tool()
    lex = lexicon.load()
    stamp = yaml.safe_load(lex.segment_words.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert stamp["sources_sha256"] == build.sources_digest(
        build.boundary_markers(lex), lex.directory / "jieba_user_dict.txt"), "run python tools/build_jieba_dict.py"


def test_boundaries_are_the_ones_jieba_gives_over_the_same_words(tmp_path):
    """plancli segments without jieba, with jieba's scoring: loaded into
    jieba, the same word list cuts real sentences at the same places."""
    import jieba

    from conftest import PROVINCIAL, REPORTS
    from plancli import lexicon
    from plancli.segment import boundaries

    words = lexicon.load().segment_words.read_text(encoding="utf-8").split("\n")
    total = int(words[0].split()[1])
    entries = [e for line in words[1:] if line for e in line.split("\t")]
    filler = total - sum(int(e.rsplit(" ", 1)[1]) for e in entries)
    dictionary = tmp_path / "words.txt"
    dictionary.write_text("\n".join(entries) + f"\n\ue000 {filler}\n", encoding="utf-8")
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer(dictionary=str(dictionary))
    tokenizer.tmp_dir = str(tmp_path)

    def jieba_boundaries(stretch):
        ends, pos = {0}, 0
        for token in tokenizer.cut(stretch, HMM=False):
            pos += len(token)
            ends.add(pos)
        return ends

    reports, provincial = sorted(REPORTS.glob("*.txt")), sorted(PROVINCIAL.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8-sig") for p in (reports[-1], reports[30], reports[5], provincial[0])]
    stretches = [line for text in texts for line in text.splitlines() if line.strip()]
    stretches += ["GDP增长5%", "规上工业增加值增长6%以上", "M2余额\r\n增长 8.2%", "增加值增长较快"]
    assert len(stretches) > 200
    differing = [s for s in stretches if boundaries(s) != jieba_boundaries(s)]
    assert differing == []


def test_folding_follows_the_table_on_both_sides_of_the_basic_plane():
    """fold() reads a tuple for the Basic Multilingual Plane and a dict past
    it: every pair of data/lexicon/t2s_chars.txt folds, in running text too."""
    from plancli import lexicon
    from plancli.normalize import fold

    pairs = [line.split("\t") for line in (lexicon.data_dir() / "lexicon" / "t2s_chars.txt")
             .read_text(encoding="utf-8").splitlines() if len(line) == 3 and line[1] == "\t"]
    assert any(ord(t) > 0xFFFF for t, _ in pairs) and any(ord(t) <= 0xFFFF for t, _ in pairs)
    traditional = "".join(t for t, _ in pairs)
    assert fold(traditional) == "".join(s for _, s in pairs)
    assert fold(f"增長１２％，{traditional[-1]}") == f"增长12%,{pairs[-1][1]}"


def test_parsed_yaml_is_cached_per_user_and_follows_an_edit(tmp_path, monkeypatch):
    """A lexicon file loads from the per-user cache once parsed, with no
    yaml import; an edit is read at once; a cache others could write is not
    used, and a damaged one is parsed again."""
    import os
    import shutil
    import subprocess
    import sys

    from plancli import lexicon

    data = tmp_path / "data"
    shutil.copytree(lexicon.data_dir() / "lexicon", data / "lexicon")
    cache = tmp_path / "cache"
    src = str(lexicon._PACKAGE_DIR.parent)
    probe = ("import sys; from plancli import lexicon; lex = lexicon.load(); "
             "print(lex.magnitudes['万'], 'yaml' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": src, "PLANCLI_DATA_DIR": str(data), "XDG_CACHE_HOME": str(cache)}

    def run():
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert run() == ["10000.0", "True"]           # parsed, and cached
    assert [p.name for p in (cache / "plancli").iterdir()][0].startswith("lexicon-")
    assert run() == ["10000.0", "False"]          # from the cache, yaml never imported
    units = data / "lexicon" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("  万: 1.0e4", "  万: 1.0001e4", 1), encoding="utf-8")
    assert run() == ["10001.0", "True"]           # the edit is read at once
    for damaged in (b"", b"\x00garbage"):
        next((cache / "plancli").glob("lexicon-*")).write_bytes(damaged)
        assert run()[0] == "10001.0"
    os.chmod(cache / "plancli", 0o777)            # others could plant one: not used
    assert run() == ["10001.0", "True"]
