"""The language data in data/lexicon/ and what is built from it."""


def test_compact_jieba_dictionary_is_current():
    """tools/build_jieba_dict.py must run again when the verbs or markers change."""
    import importlib.util
    from pathlib import Path

    import yaml

    from plancli import lexicon

    tool = Path(__file__).resolve().parent.parent / "tools" / "build_jieba_dict.py"
    spec = importlib.util.spec_from_file_location("build_jieba_dict", tool)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    stamp = yaml.safe_load((lexicon.data_dir() / "lexicon" / "jieba_compact_dict.yaml").read_text(encoding="utf-8"))
    assert stamp["markers_sha256"] == build.markers_digest(build.boundary_markers(lexicon.load())), \
        "run python tools/build_jieba_dict.py"
