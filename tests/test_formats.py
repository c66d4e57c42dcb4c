"""Every input a user can send: encodings, .docx, .html, .pdf, stdin."""
import html
import json
import re

import pytest

from conftest import NOTICE
from plancli import parse_file, read_path

NOTICE_TEXT = NOTICE.read_text(encoding="utf-8")


def summary(doc):
    return [(t.section, t.value, t.unit, t.base_value, t.comparator, t.kind, re.sub(r"\s", "", t.indicator or ""))
            for t in doc.targets_and_actuals()]


@pytest.fixture(scope="module")
def plain(notice_doc):
    return summary(notice_doc)


def write_docx(path, paragraphs, table=None):
    import docx
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.save(path)


def write_pdf(path, paragraphs, width=38, lines_per_page=40):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    lines = [p[i:i + width] for p in paragraphs for i in range(0, max(len(p), 1), width)]
    for page_start in range(0, len(lines), lines_per_page):
        c.setFont("STSong-Light", 11)
        for k, line in enumerate(lines[page_start:page_start + lines_per_page]):
            c.drawString(40, 800 - 18 * k, line)
        c.drawString(280, 40, f"— {page_start // lines_per_page + 1} —")
        c.showPage()
    c.save()


def write_html(path, paragraphs, encoding="utf-8"):
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    page = (f'<!DOCTYPE html><html><head><meta charset="{encoding}"><title>2024年第1号 通知</title>'
            "<script>var total = 2024; document.write('增长99%以上');</script>"
            "<style>p { margin: 1em }</style></head><body>"
            "<nav><a href='/'>首页</a> <a href='/p/2'>第2页</a> 新增100家</nav>"
            f"<div class='content'>{body}</div>"
            "<footer>版权所有 &copy; 2024 浏览次数 12345次</footer></body></html>")
    path.write_bytes(page.encode(encoding))


PARAGRAPHS = NOTICE_TEXT.split("\n")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("formats")
    write_docx(d / "notice.docx", PARAGRAPHS)
    write_pdf(d / "notice.pdf", PARAGRAPHS)
    write_html(d / "notice.html", PARAGRAPHS)
    write_html(d / "notice-gbk.htm", PARAGRAPHS, encoding="gb2312")
    (d / "notice-gb18030.txt").write_bytes(NOTICE_TEXT.encode("gb18030"))
    (d / "notice-bom.txt").write_bytes(NOTICE_TEXT.encode("utf-8-sig"))
    (d / "notice-utf16.txt").write_bytes(NOTICE_TEXT.encode("utf-16"))  # with a BOM
    (d / "notice-utf16le.txt").write_bytes(NOTICE_TEXT.encode("utf-16-le"))  # without
    (d / "notice-crlf.txt").write_bytes(NOTICE_TEXT.replace("\n", "\r\n").encode("utf-8"))
    return d


@pytest.mark.parametrize("name, input_format, encoding", [
    ("notice.docx", "docx", None), ("notice.pdf", "pdf", None), ("notice.html", "html", "utf-8"),
    ("notice-gbk.htm", "html", "gb18030"), ("notice-gb18030.txt", "text", "gb18030"),
    ("notice-bom.txt", "text", "utf-8"), ("notice-utf16.txt", "text", "utf-16-le"),
    ("notice-utf16le.txt", "text", "utf-16-le"), ("notice-crlf.txt", "text", "utf-8"),
])
def test_every_form_of_the_notice_gives_the_same_targets(files, plain, name, input_format, encoding):
    path = files / name
    doc = parse_file(path)
    assert summary(doc) == plain
    assert (doc.meta.input_format, doc.meta.encoding) == (input_format, encoding)
    text = read_path(path).text
    assert doc.meta.chars == len(text)
    for t in doc.targets_and_actuals():
        assert text[t.start:t.end] == t.text
        assert text[t.sentence_start:t.sentence_end] == t.sentence


def test_html_drops_scripts_navigation_and_footer(files):
    text = read_path(files / "notice.html").text
    assert "99%" not in text and "首页" not in text and "版权所有" not in text and "2024年第1号" not in text
    assert text.splitlines()[0] == PARAGRAPHS[0]


def test_crlf_offsets_index_the_file_as_read(files):
    text = (files / "notice-crlf.txt").read_bytes().decode("utf-8")
    doc = parse_file(files / "notice-crlf.txt")
    assert "\r\n" in text and all(text[t.start:t.end] == t.text for t in doc.targets_and_actuals())


def test_docx_tables_are_read_in_order(tmp_path):
    path = tmp_path / "table.docx"
    write_docx(path, ["一、主要目标", "地区生产总值增长6%左右。"],
               table=[["指标", "目标"], ["固定资产投资增长", "6%以上"], ["新增高新技术企业", "500家"]])
    text = read_path(path).text
    assert text.splitlines()[2:] == ["指标\t目标", "固定资产投资增长\t6%以上", "新增高新技术企业\t500家"]
    doc = parse_file(path)
    assert [t.text for t in doc.targets] == ["6%", "6%", "500家"]


def test_include_text_records_what_offsets_index(cli, files):
    run = cli("parse", str(files / "notice.pdf"), "--include-text")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    text = data["text"]
    assert all(text[t["start"]:t["end"]] == t["text"] for t in data["targets"])
    assert cli("text", str(files / "notice.pdf")).out == text
    assert json.loads(cli("parse", str(NOTICE)).out)["text"] is None


@pytest.mark.parametrize("name, fmt", [("notice.docx", "docx"), ("notice.pdf", "pdf"), ("notice.html", "html"),
                                       ("notice-gb18030.txt", "text")])
def test_stdin_in_every_format(cli, files, plain, name, fmt):
    data = (files / name).read_bytes()
    run = cli("targets", "-", "--format", "jsonl", stdin=data)  # sniffed from the bytes
    assert run.code == 0, run.err
    assert len(run.out.splitlines()) == len(plain)
    run = cli("targets", "-", "--format", "jsonl", "--input-format", fmt, stdin=data)
    assert run.code == 0 and len(run.out.splitlines()) == len(plain)


def test_forced_encoding(cli, files):
    run = cli("targets", str(files / "notice-gb18030.txt"), "--encoding", "gb18030", "--format", "jsonl")
    assert run.code == 0 and len(run.out.splitlines()) >= 52
    run = cli("targets", str(files / "notice-gb18030.txt"), "--encoding", "utf-8")
    assert run.code == 1 and "not valid utf-8" in run.err
    run = cli("targets", str(NOTICE), "--encoding", "klingon")
    assert run.code == 2 and "unknown encoding" in run.err


def _no_text_pdf(path):
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()


@pytest.mark.parametrize("make, message", [
    (lambda p: p.with_suffix(".docx").write_bytes(b"PK\x03\x04 not really a zip"), "not a readable .docx"),
    (lambda p: p.with_suffix(".pdf").write_bytes(b"%PDF-1.4\n garbage"), "PDF"),
    (lambda p: _no_text_pdf(p.with_suffix(".pdf")), "no text layer"),
    (lambda p: p.with_suffix(".html").write_bytes(b"<html><body><script>x=1</script></body></html>"), "no body text"),
    (lambda p: p.with_suffix(".doc").write_bytes(b"\xd0\xcf\x11\xe0 old word"), "save it as .docx"),
])
def test_broken_files_fail_with_one_line(cli, tmp_path, make, message):
    base = tmp_path / "bad.txt"
    make(base)
    path = next(p for p in tmp_path.iterdir())
    run = cli("targets", str(path))
    assert run.code == 1, run.err
    assert run.err.count("\n") == 1 and message in run.err and str(path) in run.err
    assert "Traceback" not in run.err


def test_truncated_docx_and_pdf(cli, files, tmp_path):
    for name in ("notice.docx", "notice.pdf"):
        data = (files / name).read_bytes()
        cut = tmp_path / name
        cut.write_bytes(data[: len(data) // 2])
        run = cli("targets", str(cut))
        assert run.code == 1 and run.err.count("\n") == 1 and "Traceback" not in run.err, run.err
