"""A bad edit to data/lexicon/ fails at load with one line naming the file
and the key, and the command line shows that line, not a traceback."""
import shutil
import subprocess
import sys

import pytest

from conftest import NOTICE
from plancli import lexicon


@pytest.fixture
def broken(tmp_path):
    """A copy of data/ whose lexicon file gets one edit: (file, old, new)."""
    shutil.copytree(lexicon.data_dir() / "lexicon", tmp_path / "lexicon")

    def edit(name, old, new):
        path = tmp_path / "lexicon" / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} not once in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return tmp_path
    return edit


@pytest.mark.parametrize("name, old, new, message", [
    ("units.yaml", "万: 1.0e4", "万: ten thousand", r"units.yaml: magnitudes.万: expected a number$"),
    ("units.yaml", "\ndurations: [", "\nduration_words: [", r"units.yaml: durations: missing$"),
    ("units.yaml", "成: {base: \"%\", factor: 10}", "成: {base: \"%\", factor: ten}",
     r"units.yaml: percent.成.factor: expected a number$"),
    ("comparators.yaml", "range_joiners: [", "range_joiners: [12, ", r"comparators.yaml: range_joiners: expected a list of words$"),
    ("headings.yaml", "plain_heading: '(?!", "plain_heading: '((?!", r"headings.yaml: plain_heading: not a regular expression: "),
    ("layout.yaml", "  - '\\d{1,4}\\s*/\\s*\\d{1,4}'", "  - '[\\d'",
     r"layout.yaml: page_marker_lines\[2\]: not a regular expression: "),
    ("layout.yaml", "wrap_min_lines: 4", "wrap_min_lines: four", r"layout.yaml: wrap_min_lines: expected a whole number$"),
    ("document.yaml", "  - {type: notice, words: [通知]}", "  - {type: notice, word: [通知]}",
     r"document.yaml: doc_types\[3\].words: missing$"),
    ("parts.yaml", "lead_chars: 40", "lead_chars: [40]", r"parts.yaml: lead_chars: expected a whole number$"),
    ("indicator_words.yaml", "strip_leading_year: true", "strip_leading_year: yes please",
     r"indicator_words.yaml: strip_leading_year: expected true or false$"),
    ("verbs.yaml", "  增长: up\n", "  增长: [up]\n", r"verbs.yaml: actions.增长: expected a string or null$"),
    ("rejections.yaml", '  - ["《", "》"]', '  - ["《"]', r"rejections.yaml: quote_pairs: expected a list of \[opening, closing\] pairs$"),
    ("kinds.yaml", "review_sections: [", "review_sections: {", r"kinds.yaml: line \d+: not valid YAML"),
])
def test_a_bad_edit_names_the_file_and_the_key(broken, name, old, new, message):
    data = broken(name, old, new)
    with pytest.raises(lexicon.LexiconError, match=message) as error:
        lexicon.read(data / "lexicon")
    assert "\n" not in str(error.value)


def test_files_read_on_first_use_are_checked_too(broken):
    data = broken("compare.yaml", "about_points: 0.5", "about_points: half")
    lex = lexicon.read(data / "lexicon")
    with pytest.raises(lexicon.LexiconError, match=r"compare.yaml: about_points: expected a number$"):
        lex.compare
    data = broken("indicators.yaml", "{alias: 经济增长, measure: growth}", "{alias: 经济增长, measure: speed}")
    with pytest.raises(lexicon.LexiconError, match=r"indicators.yaml: indicators\[0\].aliases\[8\].measure: expected growth"):
        lexicon.read(data / "lexicon").indicators


def test_an_indicator_flag_must_be_true_or_false(broken):
    data = broken("indicators.yaml", "{alias: 物价涨幅, measure: growth}]\n    about_is_ceiling: true",
                  "{alias: 物价涨幅, measure: growth}]\n    about_is_ceiling: sometimes")
    with pytest.raises(lexicon.LexiconError, match=r"indicators.yaml: indicators\[\d+\].about_is_ceiling: expected true or false"):
        lexicon.read(data / "lexicon").indicators


def test_the_command_line_shows_one_line(broken):
    data = broken("units.yaml", "万: 1.0e4", "万: ten thousand")
    run = subprocess.run([sys.executable, "-m", "plancli", "targets", str(NOTICE)], capture_output=True, text=True,
                         timeout=120, env={**__import__("os").environ, lexicon.DATA_DIR_VARIABLE: str(data)})
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "units.yaml: magnitudes.万: expected a number" in run.stderr


def test_the_shipped_lexicon_passes():
    lex = lexicon.read(lexicon.data_dir() / "lexicon")
    assert lex.compare.min_similarity and lex.indicators and lex.layout.page_marker and lex.punctuation.paragraph_end
