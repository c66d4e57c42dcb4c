"""Inputs under real faults (issue 13): limits for untrusted input, linear
extraction, one line on stderr whatever goes wrong, -o files and names
passed through byte for byte. Longer runs are marked slow."""
import io
import json
import marshal
import os
import random
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import NOTICE, REPORTS
from plancli import read_path
from plancli.errors import InputError, UsageError
from plancli.extract import html_text
from plancli.reader import decode, parse_size
from test_formats import PARAGRAPHS, write_docx, write_pdf

SRC = str(Path(__file__).resolve().parent.parent / "src")
NOTICE_BYTES = NOTICE.read_bytes()


def plancli(*args, timeout=60, env=None, **kwargs):
    """The command line in a subprocess, importing this tree's code."""
    full_env = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    if kwargs["stdout"] is None:
        kwargs["stdout"] = subprocess.PIPE
    return subprocess.run([sys.executable, "-m", "plancli", *args], stderr=subprocess.PIPE, timeout=timeout,
                          env=full_env, **kwargs)


def one_line(err: bytes) -> str:
    text = err.decode("utf-8", "replace")
    assert text.count("\n") == 1 and text.startswith("plancli: "), text
    assert "Traceback" not in text and "internal error" not in text and ".tmp" not in text, text
    return text


# ---- limits -----------------------------------------------------------------

def _bomb(path: Path, xml_bytes: int) -> Path:
    """A .docx whose document part inflates to about `xml_bytes` of paragraphs."""
    write_docx(path, ["地区生产总值增长6%左右。"])
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    doc = parts["word/document.xml"].decode()
    head, tail = doc.split("<w:body>")
    para = "<w:p><w:r><w:t>地区生产总值增长6%左右。</w:t></w:r></w:p>"
    body = para * (xml_bytes // len(para.encode()))
    parts["word/document.xml"] = (head + "<w:body>" + body + tail).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_zip_bomb_docx_is_refused_before_it_inflates_with_one_line(tmp_path, monkeypatch):
    bomb = _bomb(tmp_path / "bomb.docx", 30 * 2**20)
    assert bomb.stat().st_size < 2**20  # small on disk, 30 MB inflated
    run = plancli("targets", str(bomb), "--max-bytes", "8M")
    assert run.returncode == 1
    err = one_line(run.stderr)
    assert str(bomb) in err and "inflates" in err and "--max-bytes" in err
    # the same under the library's limit, from the size the archive declares:
    # the document part is never opened, let alone inflated
    opened = []
    real_open = zipfile.ZipFile.open

    def recording_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    with pytest.raises(InputError, match="inflates"):
        read_path(bomb, max_bytes=8 * 2**20)
    assert "word/document.xml" not in opened
    read_path(_bomb(tmp_path / "small.docx", 2**16), max_bytes=8 * 2**20)  # one that fits is read,
    assert "word/document.xml" in opened                                 # and the recording sees it


def test_the_pdf_text_cap_holds_while_reading(tmp_path):
    from reportlab.pdfgen import canvas
    path = tmp_path / "dense.pdf"
    c = canvas.Canvas(str(path), pageCompression=1)  # small on disk, much text
    for _ in range(40):
        for k in range(60):
            c.drawString(40, 800 - 12 * k, "Growth of 6 percent in the region, new firms 500. " * 2)
        c.showPage()
    c.save()
    assert path.stat().st_size < 64 * 1024
    assert len(read_path(path).text) > 200_000
    with pytest.raises(InputError, match="PDF's text is more than"):
        read_path(path, max_bytes=100_000)


@pytest.mark.slow
def test_a_docx_bomb_past_the_default_limit_stays_small(tmp_path):
    bomb = _bomb(tmp_path / "big.docx", 210 * 2**20)
    run = plancli("text", str(bomb))
    assert run.returncode == 1 and "inflates" in one_line(run.stderr)
    # just under an explicit limit: streamed, in memory far below the XML's size
    # VmHWM: this process's peak (ru_maxrss would carry the parent's over exec)
    code = ("import re; from plancli import read_path; "
            f"t = read_path({str(bomb)!r}, max_bytes=300 * 2**20).text; "
            "print(len(t), re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": SRC})
    chars, peak_kb = map(int, out.stdout.split())
    assert chars > 10_000_000 and peak_kb < 400 * 1024, (chars, peak_kb)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    run = plancli("targets", device, timeout=30)
    assert run.returncode == 2
    err = one_line(run.stderr)
    assert device in err and "character device" in err and "not a regular file" in err


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "input.txt"
    os.mkfifo(fifo)
    run = plancli("targets", str(fifo), timeout=30)  # read_bytes would block here forever
    assert run.returncode == 2
    err = one_line(run.stderr)
    assert str(fifo) in err and "FIFO" in err
    with pytest.raises(UsageError, match="FIFO"):
        read_path(fifo)


def test_max_bytes_on_the_command_line_and_in_the_environment(tmp_path):
    big = str(NOTICE)  # about 17 KB
    run = plancli("targets", big, "--format", "jsonl", "--max-bytes", "10k")
    assert run.returncode == 1
    err = one_line(run.stderr)
    assert big in err and "10240 bytes" in err
    assert plancli("targets", big, "--format", "jsonl", env={"PLANCLI_MAX_BYTES": "10k"}).returncode == 1
    # the option wins over the environment
    run = plancli("targets", big, "--format", "jsonl", "--max-bytes", "1M", env={"PLANCLI_MAX_BYTES": "10k"})
    assert run.returncode == 0 and run.stdout.count(b"\n") >= 50
    bad = plancli("targets", big, "--max-bytes", "lots")
    assert bad.returncode == 2 and "--max-bytes" in one_line(bad.stderr)
    bad = plancli("targets", big, env={"PLANCLI_MAX_BYTES": "-5"})
    assert bad.returncode == 2 and "PLANCLI_MAX_BYTES" in one_line(bad.stderr)


def test_standard_input_is_read_up_to_the_limit(cli):
    run = cli("targets", "-", "--format", "jsonl", "--max-bytes", "4k", stdin=NOTICE_BYTES)
    assert run.code == 1 and "<stdin>" in run.err and run.err.count("\n") == 1
    assert cli("targets", "-", "--format", "jsonl", stdin=NOTICE_BYTES).code == 0


def test_an_endless_stream_on_stdin_stops_at_the_limit():
    with open("/dev/zero", "rb") as zero:
        run = plancli("targets", "-", "--max-bytes", "2M", stdin=zero, timeout=30)
    assert run.returncode == 1 and "<stdin>" in one_line(run.stderr)


def test_sizes():
    assert parse_size("200M") == 200 * 2**20 and parse_size("1.5G") == 3 * 2**29
    assert parse_size("512k") == 512 * 1024 and parse_size("500000") == 500_000 and parse_size("2MB") == 2 * 2**20
    for bad in ("", "M", "-1", "0", "1T"):
        with pytest.raises(ValueError):
            parse_size(bad)


# ---- linear HTML -----------------------------------------------------------

def _utf8(raw, _declared):
    return raw.decode("utf-8")


# Each took seconds at these sizes before (quadratic: a list scanned per stray
# end tag, html.parser rescanning to the end for each unclosed construct);
# linear, each is a small fraction of a second.
HOSTILE_HTML = {
    "nav, n divs, n stray </p>": lambda n: "<nav>" + "<div>" * n + "</p>" * n + "</nav><p>正文增长6%</p>",
    "<a repeated": lambda n: "<p>正文增长6%</p>" + "<a" * n,
    "<? repeated": lambda n: "<p>正文增长6%</p>" + "<?" * n,
    "</ repeated": lambda n: "<p>正文增长6%</p>" + "</" * n,
    "<!x repeated": lambda n: "<p>正文增长6%</p>" + "<!x" * n,
    "unclosed quotes": lambda n: "<p>正文增长6%</p>" + '<a b="c ' * n,
}


def _fastest_of_three(page: bytes) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        html_text(page, "x.html", _utf8)
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.parametrize("name", HOSTILE_HTML)
def test_hostile_html_is_linear(name):
    """Four times the hostile markup takes about four times as long, on any
    machine: the page against itself, not against a clock. (Quadratic
    extraction took 0.25-2.5 s at 10,000 and 4-40 s at 40,000 repeats; the
    slack keeps sub-millisecond cases clear of timer noise.)"""
    small, large = (HOSTILE_HTML[name](n).encode() for n in (10_000, 40_000))
    assert html_text(large, "x.html", _utf8).startswith("正文增长6%")
    assert _fastest_of_three(large) < 8 * _fastest_of_three(small) + 0.05


def test_the_html_tokenizer_keeps_what_the_page_says():
    page = ("<html><head><title>标题</title><script>document.write('<p>增长99%</p>')</script></head><body>"
            "<div hidden>隐藏</div><p class='a' data-x=\"1 > 0\">第一段 &amp; a &lt; b</p>"
            "<table><tr><td>指标</td><td>目标</td></tr></table><!-- 注释 <p>x</p> -->"
            "<p>第二段<br/>换行</p><SCRIPT>x='</p>'</SCRIPT>a < b<style>p{}</style></body></html>")
    assert html_text(page.encode(), "x", _utf8).splitlines() == [
        "第一段 & a < b", "指标\t目标", "第二段", "换行", "a < b"]


# ---- one line on stderr ----------------------------------------------------

def _damaged_pdf(path: Path) -> Path:
    """A PDF whose cross-reference table gives every object the wrong
    generation: pypdf reads it, warning once per object."""
    import re
    write_pdf(path, PARAGRAPHS)
    data = path.read_bytes()
    path.write_bytes(re.sub(rb"(\d{10}) 00000 n", rb"\g<1> 00001 n", data))
    return path


def test_pypdf_warnings_stay_off_stderr(tmp_path):
    pdf = _damaged_pdf(tmp_path / "damaged.pdf")
    run = plancli("text", str(pdf))
    assert run.returncode == 0 and len(run.stdout) > 1000
    err = one_line(run.stderr)  # the summary, instead of one line per problem
    assert str(pdf) in err and "damaged" in err and "problems" in err
    # the library alone prints nothing
    code = f"from plancli import read_path; read_path({str(pdf)!r})"
    lib = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": SRC})
    assert lib.returncode == 0 and lib.stderr == b""


SEGMENT_PROBE = "from plancli.segment import boundaries; print(sorted(boundaries('增加值增长较快')))"


def test_segmenting_writes_no_cache_and_reads_none_from_a_shared_folder(tmp_path):
    """Word boundaries come from the word list in the lexicon alone: nothing
    is written to the home or the shared temporary folder (the per-user
    cache holds the parsed lexicon only, in a folder of mode 0700), and a
    dictionary cache another user plants in the shared temporary folder (as
    jieba would read one) changes nothing."""
    shared, home, xdg = tmp_path / "shared-tmp", tmp_path / "home", tmp_path / "xdg"
    for d in (shared, home, xdg):
        d.mkdir()
    env = {**os.environ, "PYTHONPATH": SRC, "TMPDIR": str(shared), "HOME": str(home), "XDG_CACHE_HOME": str(xdg)}
    clean = subprocess.run([sys.executable, "-c", SEGMENT_PROBE], capture_output=True, text=True, timeout=60, env=env)
    assert clean.returncode == 0 and clean.stderr == "", clean.stderr
    assert clean.stdout.strip() != "[0, 7]"
    assert [list(d.iterdir()) for d in (shared, home)] == [[], []]
    assert [p.name[:8] for p in (xdg / "plancli").iterdir()] == ["lexicon-"]
    assert stat.S_IMODE((xdg / "plancli").stat().st_mode) == 0o700
    planted = ({"增加值增长较快": 10**9, **{ch: 1 for ch in "增加值增长较快"}}, 10**9)
    (shared / "jieba.cache").write_bytes(marshal.dumps(planted))
    again = subprocess.run([sys.executable, "-c", SEGMENT_PROBE], capture_output=True, text=True, timeout=60, env=env)
    assert again.stdout == clean.stdout

def test_an_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    path = tmp_path / "secret.txt"
    path.write_bytes(NOTICE_BYTES)
    path.chmod(0)
    run = plancli("targets", str(path))
    assert run.returncode == 1 and str(path) in one_line(run.stderr)


def test_an_unwritable_output_folder(tmp_path):
    if os.geteuid() == 0:
        output = Path("/sys/plancli-test.json")  # not even root creates files here
        if not Path("/sys").is_dir():
            pytest.skip("no /sys")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        output = locked / "out.json"
    run = plancli("targets", str(NOTICE), "-o", str(output))
    assert run.returncode == 3
    err = one_line(run.stderr)
    assert str(output) in err and "cannot write" in err
    assert not output.exists()


def test_dev_full_as_output_is_reported_and_left_alone():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    for args in (["-o", "/dev/full"], []):
        run = plancli("targets", str(NOTICE), "--format", "jsonl", *args,
                      stdout=None if args else open("/dev/full", "wb"))
        assert run.returncode == 3
        err = one_line(run.stderr)
        assert ("/dev/full" if args else "standard output") in err and "No space left" in err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written to, never replaced by a file
    run = plancli("outline", str(NOTICE), stdout=open("/dev/full", "wb"))
    assert run.returncode == 3 and "No space left" in one_line(run.stderr)


def test_a_full_disk_names_the_output_and_keeps_the_old_file(cli, tmp_path, monkeypatch):
    import errno
    output = tmp_path / "out.json"
    output.write_text("old\n")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    run = cli("parse", str(NOTICE), "-o", str(output))
    assert run.code == 3 and run.err.count("\n") == 1
    assert str(output) in run.err and "No space left" in run.err and ".tmp" not in run.err
    assert output.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_closed_standard_output():
    run = plancli("targets", str(NOTICE), "--format", "jsonl", stdout=subprocess.DEVNULL,
                  preexec_fn=lambda: os.close(1))
    assert run.returncode == 3 and "standard output is closed" in one_line(run.stderr)
    run = plancli("outline", str(NOTICE), preexec_fn=lambda: os.close(1))
    assert run.returncode == 3 and "standard output" in one_line(run.stderr)
    # a reader that goes away (| head -c 0) is no error
    piped = subprocess.run(f"'{sys.executable}' -m plancli targets '{NOTICE}' --format jsonl | head -c 0; "
                           "echo ${PIPESTATUS[0]}", shell=True, executable="/bin/bash", capture_output=True,
                           timeout=60, env={**os.environ, "PYTHONPATH": SRC})
    assert piped.stdout.strip() == b"0" and piped.stderr == b""


def _docx_with_document_xml(path: Path, xml: bytes) -> Path:
    write_docx(path, ["地区生产总值增长6%左右。"])
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/document.xml"] = xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("xml, message", [
    (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document {W}>'
     '<w:body><w:p><w:r><w:t>增长6%&xxe;</w:t></w:r></w:p></w:body></w:document>', "DTD"),
    (f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>增长6%</w:t></w:r></w:p>', "malformed XML"),
    (f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>增长6%</w:x></w:r></w:p></w:body>'
     '</w:document>', "malformed XML"),
    ('<?xml version="1.0"?><workbook><sheet/></workbook>', "no Word document"),
])
def test_malformed_docx_xml_is_one_line_naming_the_file(tmp_path, xml, message):
    path = _docx_with_document_xml(tmp_path / "bad.docx", xml.encode())
    run = plancli("targets", str(path))
    assert run.returncode == 1
    err = one_line(run.stderr)
    assert str(path) in err and message in err and "root:" not in err


# ---- -o files and file names -----------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_output_mode_follows_the_umask(tmp_path, umask, mode):
    output = tmp_path / "targets.csv"
    run = plancli("targets", str(NOTICE), "-o", str(output), preexec_fn=lambda: os.umask(umask))
    assert run.returncode == 0, run.stderr
    assert stat.S_IMODE(output.stat().st_mode) == mode


def test_an_overwritten_output_keeps_its_mode(tmp_path):
    output = tmp_path / "doc.json"
    output.write_text("old")
    output.chmod(0o644)
    run = plancli("parse", str(NOTICE), "-o", str(output), preexec_fn=lambda: os.umask(0o077))
    assert run.returncode == 0 and json.loads(output.read_text())["targets"]
    assert stat.S_IMODE(output.stat().st_mode) == 0o644


def test_a_file_name_that_is_not_utf8_passes_through(tmp_path):
    raw = os.fsencode(tmp_path) + b"/plan-\xff\xfe.txt"
    with open(raw, "wb") as f:
        f.write(NOTICE_BYTES)
    run = plancli("targets", raw, "--format", "jsonl")
    assert run.returncode == 0 and run.stderr == b""
    rows = [json.loads(line.decode("utf-8")) for line in run.stdout.splitlines()]  # valid UTF-8
    assert rows and b"\\udcff\\udcfe" in run.stdout
    assert os.fsencode(rows[0]["doc"]) == b"plan-\xff\xfe"
    output = os.fsencode(tmp_path) + b"/out-\xff.json"
    run = plancli("parse", raw, "-o", output)
    assert run.returncode == 0 and run.stderr == b""
    with open(output, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))
    assert os.fsencode(doc["meta"]["source"]) == raw
    missing = plancli("parse", os.fsencode(tmp_path) + b"/gone-\xff.txt")
    assert missing.returncode == 2 and b"gone-" in missing.stderr and missing.stderr.count(b"\n") == 1


# ---- GB18030 plausibility --------------------------------------------------

def test_random_high_bytes_are_not_gb18030_text(tmp_path):
    rng = random.Random(13)
    for size in (200, 10_000, 100_000):
        data = bytes(rng.randint(0x81, 0xFE) for _ in range(size))
        with pytest.raises(InputError, match="rare characters"):
            decode(data, "noise.txt")
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randint(0x81, 0xFE) for _ in range(50_000)))
    run = plancli("targets", str(path))
    assert run.returncode == 1 and str(path) in one_line(run.stderr)
    # --encoding still forces it
    assert decode(path.read_bytes(), "noise.txt", "gb18030")[1] == "gb18030"


def test_real_gb18030_and_gbk_text_is_read(tmp_path):
    text = NOTICE_BYTES.decode("utf-8-sig")
    assert decode(text.encode("gb18030"), "x") == (text, "gb18030")
    assert decode(text.encode("gbk"), "x") == (text, "gb18030")
    for report in sorted(REPORTS.glob("*.txt")):  # 1954–2025: old and new vocabulary
        body = report.read_text(encoding="utf-8-sig")
        assert decode(body.encode("gb18030"), report.name)[1] == "gb18030", report.name
    path = tmp_path / "notice-gbk.txt"
    path.write_bytes(text.encode("gbk"))
    run = plancli("targets", str(path), "--format", "jsonl")
    assert run.returncode == 0 and run.stdout.count(b"\n") >= 50
