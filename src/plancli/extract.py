"""Text out of .docx, .html and .pdf files, in reading order.

Each function takes the file's bytes and returns plain text with one line
per paragraph (or table row, or PDF text line); offsets in plancli's output
index this text, which `plancli text FILE` prints and `parse --include-text`
records. Failures raise InputError with what to do about them."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from .errors import InputError

# Text under these HTML elements is not document text.
_HTML_SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "iframe", "svg", "canvas", "form", "button", "select", "option", "head", "title"}
# These start a new line.
_HTML_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                "table", "section", "article", "main", "blockquote", "pre", "dd", "dt", "dl",
                "hr", "center", "td", "th", "caption", "figcaption", "address"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class _TextOfHtml(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.in_cell = False

    def _break(self):
        line = "".join(self.current).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._break()
            return
        attrs = dict(attrs)
        if tag in _HTML_SKIP or attrs.get("role") in ("navigation", "banner", "contentinfo") \
                or attrs.get("aria-hidden") == "true" or "hidden" in attrs:
            self.skip_stack.append(tag)
            return
        if self.skip_stack:
            self.skip_stack.append(tag)
            return
        if tag in ("td", "th") and self.current:
            self.current.append("\t")  # cells of a row stay on one line
        elif tag in _HTML_BLOCKS and tag not in ("td", "th"):
            self._break()

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr") and not self.skip_stack:
            self._break()

    def handle_endtag(self, tag):
        if self.skip_stack:
            # close up to the matching open tag; stray end tags are ignored
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag in _HTML_BLOCKS and tag not in ("td", "th"):
            self._break()

    def handle_data(self, data):
        if not self.skip_stack:
            self.current.append(_SPACES.sub(" ", data))


def html_text(data: bytes, name: str, decode) -> str:
    """Body text of an HTML page; `decode` turns bytes into str (with the
    page's declared charset when it has one)."""
    declared = _CHARSET.search(data[:4096])
    text = decode(data, declared.group(1).decode("ascii") if declared else None)
    parser = _TextOfHtml()
    try:
        parser.feed(text)
        parser.close()
    except Exception as e:  # html.parser is lenient; this is a last resort
        raise InputError(f"{name}: cannot read the HTML: {e}") from None
    parser._break()
    out = "\n".join(parser.lines)
    if not out.strip():
        raise InputError(f"{name}: the HTML page has no body text")
    return out


def _runs_text(element) -> str:
    """The text of every w:t run below a WordprocessingML element."""
    return "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))


def docx_text(data: bytes, name: str) -> str:
    """Paragraphs and table rows of a .docx, in document order."""
    try:
        import docx
    except ImportError:  # pragma: no cover - a dependency of plancli
        raise InputError(f"{name}: reading .docx needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise InputError(f"{name}: not a readable .docx (corrupt, truncated or another format)") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(_runs_text(child))
        elif child.tag.endswith("}tbl"):  # a row a line, its cells tab-separated
            for row in (r for r in child.iter() if r.tag.endswith("}tr")):
                lines.append("\t".join(_runs_text(c) for c in row.iterchildren() if c.tag.endswith("}tc")))
    out = "\n".join(lines)
    if not out.strip():
        raise InputError(f"{name}: the .docx has no text")
    return out


def pdf_text(data: bytes, name: str) -> str:
    """Text of a PDF's text layer, page by page. No OCR."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a dependency of plancli
        raise InputError(f"{name}: reading .pdf needs pypdf (pip install pypdf)") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{name}: the PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception:  # pypdf raises many kinds on a broken file
        raise InputError(f"{name}: not a readable PDF (corrupt or truncated)") from None
    out = "\n".join(p.rstrip("\n") for p in pages)
    if len(out.strip()) < 10:
        raise InputError(f"{name}: the PDF has no text layer (a scan?); plancli does no OCR: "
                         "run OCR first or give the text")
    return out
