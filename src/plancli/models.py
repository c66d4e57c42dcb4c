"""The data plancli produces: one set of Pydantic models, the only source of
the published JSON Schema (`plancli schema`, data/schema/).

Every span is a pair of character offsets into the text as read (UTF-8
decoded, byte-order mark removed, line endings untouched)."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .record import DocumentMethods

Comparator = Literal["=", ">=", ">", "<=", "<", "~", "range"]
Kind = Literal["target", "actual"]
DocType = Literal["notice", "plan", "plan_report", "work_report", "five_year_plan", "unknown"]

# 2: achieved values moved out of `targets` into their own list, `actuals`;
# sections and measures count each (target_count, actual_count)
SCHEMA_VERSION = "2"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    start: int = Field(ge=0, description="offset of the first character")
    end: int = Field(ge=0, description="offset after the last character")


class Sentence(Span):
    text: str


class Target(_Model):
    """One quantified statement: the public contract of a target row."""

    doc: Optional[str] = Field(None, description="document name (file stem)")
    section: Optional[str] = Field(None, description="top-level section label as written, e.g. 三")
    section_title: Optional[str] = None
    section_path: list[str] = Field(default_factory=list, description="labels from the top section down")
    measure: Optional[str] = Field(None, description="title of the smallest titled block")
    text: str = Field(description="the mention: input[start:end] == text")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    indicator: Optional[str] = Field(None, description="what the quantity measures, as the text names it")
    action: Optional[str] = Field(None, description="the verb that governs the quantity (增长, 新增, …)")
    direction: Optional[Literal["up", "down"]] = Field(None, description="which way the action moves the value")
    value: float
    value_max: Optional[float] = Field(None, description="upper end of a range")
    unit: str = Field(description="unit as written, with its magnitude word (万千瓦)")
    base_value: float = Field(description="value with the magnitude applied (60万千瓦 → 600000)")
    base_value_max: Optional[float] = None
    base_unit: str
    comparator: Comparator
    kind: Kind
    modality: Optional[str] = Field(None, description="力争, 确保, 争取, … or none")
    indicator_id: Optional[str] = Field(None, description="canonical indicator (data/lexicon/indicators.yaml), e.g. gdp")
    value_type: Literal["growth", "level", "change"] = Field(
        "level", description="growth: a rate of change (增长6%); change: an increment (新增500家); level: an amount or rate")
    target_year: Optional[int] = Field(
        None, description="the year a target's goal is for: the plan year by default, 2030 for 十五五 goals, "
                          "到2030年 and 年均 averages; none for actuals")
    headline: bool = Field(False, description="one of the main expected targets (主要预期目标) of the plan year")
    sentence: str = Field(description="the sentence the mention sits in")
    sentence_start: int = Field(ge=0)
    sentence_end: int = Field(ge=0)


class Rejected(_Model):
    """A number the parser saw and did not report, with the reason."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    reason: Literal["no_unit", "quoted_name", "ordinal", "set_phrase", "qualifier", "enumeration", "duration_name", "code",
                    "structure_count", "project_capacity"]


class Item(Span):
    """一是…二是…: an enumerated point inside a measure, up to the next one."""

    label: str = Field(description="the number as written: 一 of 一是")


class Measure(_Model):
    """The smallest titled block: a paragraph whose lead phrase is its title."""

    title: str
    start: int
    end: int
    title_start: int
    title_end: int
    sentences: list[Sentence] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list, description="一是…二是… points inside the measure")
    target_count: int = Field(0, description="how many targets (kind target) it holds")
    actual_count: int = Field(0, description="how many achieved values (kind actual) it holds")


class Section(_Model):
    label: str = Field(description="the number as written: 一, （一）'s 一, 1")
    style: str = Field(description="heading style: cn_dun (一、), cn_paren (（一）), num_dot (1.), zhang (第一章), …")
    level: int = Field(ge=1)
    title: str
    start: int
    end: int
    title_start: int
    title_end: int
    kind: Optional[Kind] = Field(None, description="review (actual) or plan (target) part, where the title says")
    measures: list[Measure] = Field(default_factory=list)
    children: list["Section"] = Field(default_factory=list)
    target_count: int = Field(0, description="how many targets (kind target) it holds, its children's included")
    actual_count: int = Field(0, description="how many achieved values (kind actual) it holds, its children's included")


class Part(Span):
    """A part of a report: the review of what was achieved, the goals (this
    year's main expected targets, the five-year goals) or the plan work."""

    kind: Literal["review", "goals", "plan"]
    title: Optional[str] = Field(None, description="the heading the part opens with, if it opens with one")


class Meta(_Model):
    source: Optional[str] = Field(None, description="file path, or <stdin>")
    doc: Optional[str] = None
    title: Optional[str] = None
    title_span: Optional[Span] = None
    doc_type: DocType = "unknown"
    issuer: Optional[str] = None
    region: Optional[str] = Field(None, description="the place the document is of: 浙江省, 嘉兴市, 全国")
    region_code: Optional[str] = Field(None, description="GB/T 2260 code of the region (330000); 000000 for 全国")
    year: Optional[int] = Field(None, description="the plan year")
    date: Optional[str] = Field(None, description="ISO date of issue, YYYY-MM-DD")
    recipients: list[str] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)
    speaker: Optional[str] = None
    occasion: Optional[str] = None
    lead: list[str] = Field(default_factory=list, description="editorial lines before the document proper")
    original_title: Optional[str] = None
    trailer: list[str] = Field(default_factory=list, description="editorial lines after the signature")
    body: Optional[Span] = Field(None, description="span of the document proper")
    chars: int = Field(0, description="length of the text that offsets index")
    input_format: Literal["text", "docx", "html", "pdf"] = Field(
        "text", description="for docx, html and pdf, offsets index the extracted text (plancli text FILE)")
    encoding: Optional[str] = Field(None, description="the encoding a text or HTML file was read with")


# Which kind of row each list of a Document holds: never an actual in targets.
_LIST_KINDS = {"targets": "target", "actuals": "actual"}


def _rows_of(kind: Kind, description: str):
    """A list of Target rows of one kind; the published schema says so too."""
    def one_kind(schema: dict) -> None:
        schema["items"]["properties"] = {"kind": {"const": kind}}

    return Field(default_factory=list, description=description, json_schema_extra=one_kind)


class Document(DocumentMethods, _Model):
    schema_version: str = SCHEMA_VERSION
    meta: Meta
    sections: list[Section] = Field(default_factory=list)
    parts: list[Part] = Field(default_factory=list, description="review, goals and plan parts, in text order")
    targets: list[Target] = _rows_of("target", "the goals the document sets (kind target), in text order")
    actuals: list[Target] = _rows_of("actual", "the values it reports as achieved (kind actual), in text order")
    rejected: list[Rejected] = Field(default_factory=list)
    text: Optional[str] = Field(None, description="the text every offset indexes (parse --include-text)")

    @model_validator(mode="after")
    def _each_list_holds_its_kind(self) -> "Document":
        for name, kind in _LIST_KINDS.items():
            wrong = next((t for t in getattr(self, name) if t.kind != kind), None)
            if wrong is not None:
                raise ValueError(f"{name} holds a row of kind {wrong.kind} ({wrong.text!r} at {wrong.start})")
        return self


Section.model_rebuild()
