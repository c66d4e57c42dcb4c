"""Text out of .docx, .html and .pdf files, in reading order.

Each function takes the file's bytes and returns plain text with one line
per paragraph (or table row, or PDF text line); offsets in plancli's output
index this text, which `plancli text FILE` prints and `parse --include-text`
records. Failures raise InputError with what to do about them."""
from __future__ import annotations

import html
import io
import logging
import re
import warnings
from collections import Counter
from contextlib import contextmanager

from .errors import InputError
from .reader import max_bytes_limit, megabytes, too_big

log = logging.getLogger("plancli")
log.addHandler(logging.NullHandler())  # a library is silent unless its user sets up logging

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


class _TextOfHtml:
    """Lines of body text from the tokens `_tokens` hands it."""

    def __init__(self):
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_stack: list[str] = []
        self.skip_open: Counter = Counter()  # how often each tag is open in skip_stack
        self.in_cell = False

    def _break(self):
        line = "".join(self.current).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def _skip(self, tag):
        self.skip_stack.append(tag)
        self.skip_open[tag] += 1

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._break()
            return
        attrs = dict(attrs)
        if tag in _HTML_SKIP or attrs.get("role") in ("navigation", "banner", "contentinfo") \
                or attrs.get("aria-hidden") == "true" or "hidden" in attrs:
            self._skip(tag)
            return
        if self.skip_stack:
            self._skip(tag)
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
            # close up to the matching open tag; stray end tags are ignored.
            # The count answers "is it open?" without scanning the stack, and
            # each tag is popped once: linear however many stray end tags
            if self.skip_open[tag]:
                while True:
                    top = self.skip_stack.pop()
                    self.skip_open[top] -= 1
                    if top == tag:
                        break
            return
        if tag in _HTML_BLOCKS and tag not in ("td", "th"):
            self._break()

    def handle_data(self, data):
        if not self.skip_stack:
            self.current.append(_SPACES.sub(" ", data))


# A linear HTML tokenizer. The standard library's html.parser rescans to the
# end of the input for every tag it cannot close ("<a" repeated, "<?" or "</"
# without ">"): quadratic on hostile pages. Here every scan starts where the
# last one ended, and a construct that runs into the end of the input ends it
# (as HTML5 drops a tag cut off by the end of the file).
_TAG_NAME = re.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*")
_TAG_SPACE = re.compile(r"[\t\n\r\f /]*")
_ATTR_NAME = re.compile(r"[^\t\n\r\f />][^\t\n\r\f />=]*")
_ATTR_EQUALS = re.compile(r"[\t\n\r\f ]*=[\t\n\r\f ]*")
_ATTR_BARE = re.compile(r"[^\t\n\r\f >]*")
_RAW_TEXT = {"script", "style"}  # content up to their end tag is not markup
_RAW_END = {tag: re.compile(rf"</{tag}(?=[\t\n\r\f />]|\Z)", re.IGNORECASE) for tag in _RAW_TEXT}


def _tokens(s: str, out: _TextOfHtml) -> None:
    """Feed `out` the start tags, end tags and text of `s`, in one pass."""
    n, pos, text_from = len(s), 0, 0

    def flush(upto):
        if upto > text_from:
            out.handle_data(html.unescape(s[text_from:upto]))

    while True:
        lt = s.find("<", pos)
        if lt < 0 or lt + 1 >= n:
            break
        nxt = s[lt + 1]
        if nxt.isascii() and nxt.isalpha():  # a start tag
            name_match = _TAG_NAME.match(s, lt + 1)
            tag, i, attrs = name_match.group().lower(), name_match.end(), []
            while True:
                i = _TAG_SPACE.match(s, i).end()
                if i >= n or s[i] == ">":
                    break
                attr = _ATTR_NAME.match(s, i)
                i, value = attr.end(), None
                eq = _ATTR_EQUALS.match(s, i)
                if eq:
                    i = eq.end()
                    if i < n and s[i] in "\"'":
                        close = s.find(s[i], i + 1)
                        if close < 0:
                            i = n
                            break
                        value, i = s[i + 1:close], close + 1
                    else:
                        bare = _ATTR_BARE.match(s, i)
                        value, i = bare.group(), bare.end()
                    value = html.unescape(value)
                attrs.append((attr.group().lower(), value))
            if i >= n:  # cut off by the end of the input
                flush(lt)
                return
            flush(lt)
            if s[i - 1] == "/":
                out.handle_startendtag(tag, attrs)
                pos = text_from = i + 1
                continue
            out.handle_starttag(tag, attrs)
            pos = text_from = i + 1
            if tag in _RAW_TEXT:
                end = _RAW_END[tag].search(s, pos)
                stop = end.start() if end else n
                if stop > pos:
                    out.handle_data(s[pos:stop])
                if not end:
                    return
                pos = text_from = stop
            continue
        if nxt == "/":
            flush(lt)
            close = s.find(">", lt + 2)
            if close < 0:
                return
            name_match = _TAG_NAME.match(s, lt + 2)
            if name_match:
                out.handle_endtag(name_match.group().lower())
            pos = text_from = close + 1
            continue
        if nxt == "!" and s.startswith("<!--", lt):
            flush(lt)
            close = s.find("-->", lt + 4)
            if close < 0:
                return
            pos = text_from = close + 3
            continue
        if nxt in "!?":  # a declaration, processing instruction or bogus comment
            flush(lt)
            close = s.find(">", lt + 2)
            if close < 0:
                return
            pos = text_from = close + 1
            continue
        pos = lt + 1  # a "<" that opens nothing is text
    flush(n)


def html_text(data: bytes, name: str, decode) -> str:
    """Body text of an HTML page; `decode` turns bytes into str (with the
    page's declared charset when it has one). Time and memory grow linearly
    with the page, whatever its markup."""
    declared = _CHARSET.search(data[:4096])
    text = decode(data, declared.group(1).decode("ascii") if declared else None)
    parser = _TextOfHtml()
    _tokens(text, parser)
    parser._break()
    out = "\n".join(parser.lines)
    if not out.strip():
        raise InputError(f"{name}: the HTML page has no body text")
    return out


_W_DOCUMENT_TYPE = "/officeDocument"
_MAX_RELS_BYTES = 1 << 20  # a package's relationships part: a few KB in a real file


class _Capped(io.RawIOBase):
    """A stream that refuses to give more than `limit` bytes: a zip member
    inflating past what its header says, or past the limit, stops here."""

    def __init__(self, stream, limit: int, on_excess):
        self.stream, self.left, self.on_excess = stream, limit, on_excess

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise self.on_excess()
        self.left -= len(data)
        buffer[:len(data)] = data
        return len(data)


def _main_part(package, name: str) -> str:
    """The document part's name, from the package relationships (normally
    word/document.xml)."""
    try:
        info = package.getinfo("_rels/.rels")
    except KeyError:
        return "word/document.xml"
    if info.file_size > _MAX_RELS_BYTES:
        raise InputError(f"{name}: not a readable .docx (its relationships part is {info.file_size} bytes)")
    from lxml import etree

    rels = etree.fromstring(package.read(info), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                load_dtd=False))
    for rel in rels:
        if str(rel.get("Type", "")).endswith(_W_DOCUMENT_TYPE):
            return rel.get("Target", "").lstrip("/")
    return "word/document.xml"


def docx_text(data: bytes, name: str, limit: int | None = None) -> str:
    """Paragraphs and table rows of a .docx, in document order.

    The document part is inflated and parsed as a stream, never more than
    `limit` bytes of XML (nor `limit` characters of text): a zip bomb is
    refused after reading at most that much, in memory that stays small.
    Entities are not resolved and no DTD is loaded."""
    import zipfile

    from lxml import etree

    limit = max_bytes_limit(limit)
    unreadable = f"{name}: not a readable .docx (corrupt, truncated or another format)"
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        part = _main_part(package, name)
        info = package.getinfo(part)
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, NotImplementedError,
            RuntimeError, etree.LxmlError):
        raise InputError(unreadable) from None
    if info.file_size > limit:
        raise too_big(name, f"the .docx inflates to {megabytes(info.file_size)},", limit)

    lines: list[str] = []  # the lines not yet joined into a chunk
    chunks: list[str] = []  # joined lines: a few big strings, not millions of small ones
    size = 0  # characters of text so far
    rows: list[list] = []  # open table rows, outermost first: [line index, cells, current cell]
    paragraph: list[str] | None = None
    in_table = False  # inside a table that is a child of w:body
    depth = 0
    try:
        with package.open(info) as member:
            stream = io.BufferedReader(_Capped(member, limit, lambda: too_big(
                name, "the .docx inflates to", limit)))
            events = etree.iterparse(stream, events=("start", "end"), resolve_entities=False,
                                     no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
                                     remove_pis=True)
            for event, el in events:
                local = el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""
                if event == "start":
                    depth += 1
                    if depth == 1:
                        if local != "document":
                            raise InputError(f"{name}: not a .docx (its main part is no Word document)")
                        if el.getroottree().docinfo.doctype:
                            raise InputError(f"{name}: not a readable .docx ({part} declares a DTD, "
                                             "which Word never writes; entities are not read)")
                    if depth == 3:  # a child of w:body
                        paragraph = [] if local == "p" else None
                        in_table = local == "tbl"
                    elif local == "tr" and in_table:
                        lines.append("")
                        rows.append([len(lines) - 1, [], None])
                    elif local == "tc" and rows and rows[-1][2] is None:
                        rows[-1][2] = []
                    continue
                depth -= 1
                if local == "t" and depth >= 3:
                    text = el.text or ""
                    size += len(text)
                    if size > limit:
                        raise too_big(name, "the .docx's text is", limit)
                    if paragraph is not None:
                        paragraph.append(text)
                    for row in rows:  # a nested table's text is in its outer cell too
                        if row[2] is not None:
                            row[2].append(text)
                elif local == "tc" and rows and rows[-1][2] is not None:
                    rows[-1][1].append("".join(rows[-1][2]))
                    rows[-1][2] = None
                elif local == "tr" and rows:
                    index, cells, _ = rows.pop()
                    lines[index] = "\t".join(cells)
                elif depth == 2 and paragraph is not None:  # the end of a body paragraph
                    lines.append("".join(paragraph))
                    paragraph = None
                if depth == 2 and len(lines) >= 4096 and not rows:
                    chunks.append("\n".join(lines))
                    lines = []
                # what has been read is done with: memory stays small
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
    except InputError:
        raise
    except etree.XMLSyntaxError as e:
        raise InputError(f"{name}: not a readable .docx (malformed XML in {part}: {e.msg})") from None
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError,
            etree.LxmlError):
        raise InputError(unreadable) from None
    if lines or not chunks:
        chunks.append("\n".join(lines))
    out = "\n".join(chunks)
    del chunks, lines
    if not out.strip():
        raise InputError(f"{name}: the .docx has no text")
    return out


class _Problems(logging.Handler):
    """Collects what pypdf logs about a broken file instead of printing it."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count, self.first = 0, None

    def emit(self, record):
        self.count += 1
        if self.first is None:
            try:
                self.first = record.getMessage()
            except Exception:  # a malformed log call is no reason to fail
                self.first = str(record.msg)


@contextmanager
def _pypdf_quiet(name: str):
    """pypdf's warnings (its logger and the warnings module) are kept off
    stderr: a broken cross-reference table alone makes thousands. When the
    text is read all the same, one warning on plancli's logger sums them up
    (the command line prints it as one line); a failure says nothing more
    than its own error."""
    logger = logging.getLogger("pypdf")
    problems = _Problems()
    saved = logger.propagate
    logger.addHandler(problems)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.removeHandler(problems)
        logger.propagate = saved
    if problems.count:  # the text was read all the same: say so once
        log.warning("%s: the PDF is damaged (%d problem%s worked around, first: %s); its text may be "
                    "incomplete", name, problems.count, "s" if problems.count > 1 else "",
                    (problems.first.strip().splitlines() or ["?"])[0][:200] if problems.first else "?")


def pdf_text(data: bytes, name: str, limit: int | None = None) -> str:
    """Text of a PDF's text layer, page by page. No OCR. Reading stops once
    the text passes `limit` characters (pypdf caps each stream it inflates)."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a dependency of plancli
        raise InputError(f"{name}: reading .pdf needs pypdf (pip install pypdf)") from None
    limit = max_bytes_limit(limit)
    pages: list[str] = []
    size = 0
    with _pypdf_quiet(name):
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise InputError(f"{name}: the PDF is encrypted; save an unprotected copy")
            for page in reader.pages:
                text = page.extract_text() or ""
                size += len(text)
                if size > limit:
                    raise too_big(name, "the PDF's text is", limit)
                pages.append(text)
        except InputError:
            raise
        except MemoryError:
            raise InputError(f"{name}: the PDF needs more memory than there is to read") from None
        except Exception:  # pypdf raises many kinds on a broken file
            raise InputError(f"{name}: not a readable PDF (corrupt or truncated)") from None
    out = "\n".join(p.rstrip("\n") for p in pages)
    if len(out.strip()) < 10:
        raise InputError(f"{name}: the PDF has no text layer (a scan?); plancli does no OCR: "
                         "run OCR first or give the text")
    return out
