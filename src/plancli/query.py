"""Parts of a parsed document a user asks for: the sections `--section`
names and the targets of a kind inside them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import UsageError
from .numbers import parse_chinese

if TYPE_CHECKING:  # the models only name types here: no Pydantic at start-up
    from .models import Document, Section, Target

KINDS = ("target", "actual", "all")


def find_sections(doc: Document, wanted: str) -> list[Section]:
    """Top-level sections by label or by number, or, failing those, every
    section whose title holds `wanted`."""
    # 三 and 3 both find section 三; 科创 finds 三、着力增强科创动能
    wanted = wanted.strip()
    number = int(wanted) if wanted.isdigit() else parse_chinese(wanted)
    top = [s for s in doc.sections if s.label == wanted
           or (number is not None and parse_chinese(s.label) == number)
           or (number is not None and s.label.isdigit() and int(s.label) == number)]
    if top:
        return top
    found, queue = [], list(doc.sections)
    while queue:
        s = queue.pop(0)
        if wanted in s.title:
            found.append(s)  # its children are inside it already
        else:
            queue.extend(s.children)
    return found


def select_targets(doc: Document, kind: str = "target", section: str | None = None,
                   headline: bool = False, year: int | None = None) -> list[Target]:
    """The document's targets, actuals or both (`kind`: target, actual or
    all; in text order), in `section` when one is named, only the headline
    ones (主要预期目标) and those for `year` when asked; UsageError listing
    the sections when no section matches."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    rows = doc.targets if kind == "target" else doc.actuals if kind == "actual" else doc.targets_and_actuals()
    chosen = [t for t in rows if (t.headline or not headline) and (year is None or t.target_year == year)]
    if section is None:
        return chosen
    sections = find_sections(doc, section)
    if not sections:
        names = ", ".join(f"{s.label} {s.title}" for s in doc.sections) or "none found"
        raise UsageError(f"no section matches {section!r}; sections: {names}")
    return [t for t in chosen if any(s.start <= t.start < s.end for s in sections)]
