"""Hostile and odd input: every case ends with a result or one clear error.
Timing is measured in benchmarks/hostile.py, not asserted here."""
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plancli import parse_text
from plancli.schema import schemas
from plancli.models import Document

CASES = {
    "no punctuation": "国内生产总值增长6个百分点新增企业500家" * 2000,
    "300,000 digits": "1" * 300_000,
    "Chinese digits": "一" * 100_000 + "个",
    "100,000 quotation marks": "“" * 100_000 + "增长6%",
    "unbalanced quotes": "“增长6%" * 20_000,
    "repeated headings": "一、标题\n" * 20_000,
    "deep headings": "".join(f"{'（' + str(i % 9 + 1) + '）'}标题\n1. 小标题\n" for i in range(5000)),
    "one long line of targets": "新增企业500家、" * 10_000,
    "control characters": "增长\x01\x02\x036%\x00以上\x7f。",
    "only whitespace and marks": " \n\t。，、“”" * 1000,
    "emoji and rare planes": "增长6%🎉𠀀𪚥以上。" * 100,
}


def check(text: str) -> Document:
    doc = parse_text(text)
    for t in doc.targets_and_actuals():
        assert text[t.start:t.end] == t.text
        assert text[t.sentence_start:t.sentence_end] == t.sentence
        assert math.isfinite(t.base_value) and math.isfinite(t.value)
    for r in doc.rejected:
        assert text[r.start:r.end] == r.text
    Document.model_validate_json(doc.model_dump_json())
    return doc


@pytest.mark.parametrize("name", CASES)
def test_hostile_text_ends_cleanly(name):
    check(CASES[name])


def test_long_digit_runs_are_no_amounts():
    assert check("增长" + "9" * 400 + "%").targets == []
    assert check("增长" + "9" * 15 + "%").targets[0].value == 999999999999999


def test_repeated_headings_do_not_nest_forever():
    doc = check("一、标题\n" * 2000)
    depth, level = 0, doc.sections
    while level:
        depth += 1
        level = level[0].children
    assert depth <= 8


# ---- properties ----------------------------------------------------------

TEXT_ALPHABET = st.sampled_from(list("增长新增达到以上左右约超过不少于以内万亿千百十一二两三四五六七八九零元个家亩%％．.,，。；：、“”（）()—-－\n 0123456789第届年月日比上年从由降至提高到分别和") )
plan_like = st.text(alphabet=TEXT_ALPHABET, max_size=300)
document_schema = schemas()["document.schema.json"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), plan_like))
def test_parse_text_never_raises_and_offsets_hold(text):
    check(text)


@settings(max_examples=60, deadline=None)
@given(plan_like)
def test_json_output_validates_against_the_published_schema(text):
    import jsonschema
    data = json.loads(parse_text(text).model_dump_json())
    jsonschema.validate(data, document_schema)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=2000), st.text(alphabet=TEXT_ALPHABET, max_size=3000)))
def test_long_fuzz(text):
    check(text)
