"""The annotated page and what the terminal shows."""
import json
import re
import shutil

import pytest

from conftest import NOTICE, REPORTS, ROOT
from plancli import parse_file
from plancli.annotate import render

ARTIFACTS = ROOT / "test-artifacts"


def page_of(path):
    doc = parse_file(path, include_text=True)
    return doc, render(doc, doc.text)


def test_every_quantity_is_marked_once(cli):
    doc, page = page_of(REPORTS / "2024.txt")
    everything = [json.loads(x) for x in cli("targets", str(REPORTS / "2024.txt"), "--kind", "all",
                                              "--format", "jsonl").out.splitlines()]
    assert page.count('<mark class="t ') == len(everything) == len(doc.targets) + len(doc.actuals)
    assert page.count('<mark class="t actual"') == sum(t["kind"] == "actual" for t in everything) \
        == len(doc.actuals) > 0
    assert page.count('class="row"') == len(everything)  # one summary row each
    assert 'title="not a target: ' in page  # numbers seen but not reported, with the reason


def test_marks_wrap_exactly_the_reported_text():
    doc, page = page_of(NOTICE)
    marked = re.findall(r'<mark class="t [a-z]+" id="t-(\d+)"[^>]*>(.*?)</mark>', page)
    assert [(int(i), text) for i, text in marked] == [(i, t.text) for i, t in enumerate(doc.targets_and_actuals())]


def test_navigation_links_to_every_section_and_measure():
    doc, page = page_of(NOTICE)
    for link in re.findall(r'<a href="#([sm]-[0-9-]+)">', page):
        assert f'id="{link}"' in page
    assert page.count('<a href="#m-') == sum(len(s.measures) for s in doc.sections)


def test_no_markup_from_the_input_reaches_the_page(tmp_path):
    hostile = ("一、<script>alert('x')</script>目标\n"
               "新增<b>企业</b>500家，“</script><img src=x onerror=alert(1)>”增长6%以上。\n")
    path = tmp_path / "hostile.txt"
    path.write_text(hostile, encoding="utf-8")
    doc, page = page_of(path)
    assert "<script>alert" not in page and "<img" not in page and "<b>企业" not in page
    assert "&lt;script&gt;alert" in page and "&lt;img src=x" in page
    data = page.split('id="targets-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data  # the JSON cannot close its script element
    assert [t["text"] for t in json.loads(data)] == [t.text for t in doc.targets_and_actuals()]


def test_page_needs_no_network():
    _, page = page_of(NOTICE)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<link" not in page


def test_annotate_command(cli, tmp_path):
    out = tmp_path / "notice.html"
    run = cli("annotate", str(NOTICE), "-o", str(out))
    assert run.code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cli("annotate", str(tmp_path / "missing.txt")).code == 2


# ---- in a real browser ---------------------------------------------------

def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip("no Chromium and ChromeDriver on this machine (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[dev]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,900"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(driver), options=options)


@pytest.fixture(scope="module")
def browser():
    driver = _browser()
    yield driver
    driver.quit()


def test_page_in_a_real_browser(browser, tmp_path_factory):
    from selenium.webdriver.common.by import By

    folder = tmp_path_factory.mktemp("page")
    doc, page = page_of(REPORTS / "2024.txt")
    path = folder / "2024.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.t")
    marked = doc.targets_and_actuals()
    assert len(marks) == len(marked) and doc.actuals
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.row")
    i = len(rows) // 2
    browser.execute_script("arguments[0].scrollIntoView()", rows[i])
    before = browser.execute_script("return window.scrollY")
    rows[i].click()
    after = browser.execute_script("return window.scrollY")
    top, height = browser.execute_script(
        f"var r = document.getElementById('t-{i}').getBoundingClientRect(); return [r.top, window.innerHeight];")
    assert after != before and 0 <= top <= height  # the mark is on screen
    assert browser.current_url.endswith(f"#t-{i}")
    detail = browser.find_element(By.ID, "detail").text
    assert marked[i].text in detail and (marked[i].indicator or "") in detail
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "annotate-2024.png"))


# ---- the terminal --------------------------------------------------------

def test_tables_are_grouped_by_section_with_words_for_comparators(cli):
    run = cli("targets", str(REPORTS / "2024.txt"), "--kind", "all", "--format", "table")
    assert run.code == 0
    assert "about" in run.out and "≥" in run.out and "actual" in run.out
    assert "\x1b[" not in run.out  # captured, not a terminal: no escape codes


def test_no_color_turns_colours_off(cli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = cli("outline", str(NOTICE)).out
    assert re.search(r"\x1b\[3\dm", coloured)
    monkeypatch.setenv("NO_COLOR", "1")
    plain = cli("outline", str(NOTICE)).out
    assert not re.search(r"\x1b\[3\dm", plain)
