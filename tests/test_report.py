"""plancli report: the rule for the outcome a report gives for last year and
the chart data, on real reports of several decades; the regions of one year
over the provincial reports; the command end to end on a dataset made by
plancli batch; and the page in a real browser."""
import os
import re
import shutil
import sys

import duckdb
import pytest

from conftest import PROVINCIAL, REPORTS
from plancli import corpus, report, store

# National reports of five decades: each gives last year's outcomes in its review.
NATIONAL_YEARS = (1992, 1993, 1997, 2006, 2007, 2008, 2012, 2013, 2017, 2018, 2021, 2022, 2023, 2024, 2025)


@pytest.fixture(scope="module")
def national():
    panel = report.load([str(REPORTS / f"{y}.txt") for y in NATIONAL_YEARS])
    return panel, report.series(panel)


def point(all_series, indicator_id, value_type, year, region="全国"):
    """The year's point of the series (of whichever base unit: grain in 斤 or 公斤)."""
    [found] = [p for s in all_series if s.key[:3] == (region, indicator_id, value_type)
               for p in s.points if p.year == year]
    return found


def actuals_of(panel, report_year, indicator_id, value_type):
    return [r for r in sorted(panel.actuals, key=lambda r: r["start"])
            if r["year"] == report_year and r["indicator_id"] == indicator_id and r["value_type"] == value_type]


# ---- the outcome the Y+1 report gives for Y ------------------------------

def test_2024_gdp_target_against_what_the_2025_report_gives(national):
    _, all_series = national
    p = point(all_series, "gdp", "growth", 2024)
    # 2024: 国内生产总值增长5%左右; 2025: 国内生产总值达到134.9万亿元、增长5%
    assert (p.target["comparator"], p.target["value"], p.target["headline"]) == ("~", 5.0, True)
    assert p.target["path"].endswith("2024.txt") and "主要预期目标" in p.target["sentence"]
    assert p.outcome["path"].endswith("2025.txt") and p.outcome["value"] == 5.0
    assert "134.9万亿元" in p.outcome["sentence"]
    assert (p.status, p.gap) == ("met", 0.0)


def test_a_five_year_average_before_last_year_figure_is_skipped(national):
    panel, all_series = national
    # 2018: 国内生产总值从54万亿元增加到82.7万亿元，年均增长7.1% comes before 国内生产总值增长6.9%
    growth = actuals_of(panel, 2018, "gdp", "growth")
    assert [r["value"] for r in growth][:2] == [7.1, 6.9]
    p = point(all_series, "gdp", "growth", 2017)
    assert p.outcome["value"] == 6.9 and p.target["value"] == 6.5 and p.status == "met"


def test_a_report_that_gives_only_multi_year_figures_gives_no_outcome(national):
    panel, all_series = national
    # 2008: 2007年，国内生产总值…比2002年增长65.5%，年均增长10.6%: neither is 2007's growth
    assert {r["value"] for r in actuals_of(panel, 2008, "gdp", "growth")} >= {65.5, 10.6}
    p = point(all_series, "gdp", "growth", 2007)
    assert p.target["value"] == 8.0 and p.outcome is None
    assert (p.status, p.note) == ("unknown", "the 2008 report gives no outcome for it")


def test_outcomes_in_reports_of_different_decades(national):
    _, all_series = national
    # 1993: 国民生产总值比上年增长百分之十二点八, against 1992's 今年计划要求…国民生产总值增长百分之六
    # (the 1992 report has no main-targets statement: its plain target of the year counts)
    p = point(all_series, "gdp", "growth", 1992)
    assert (p.target["value"], p.headline, p.outcome["value"], p.status) == (6.0, False, 12.8, "met")
    # 2013: 2012年，…国内生产总值增长7.8%, against 2012's 国内生产总值增长7.5％
    p = point(all_series, "gdp", "growth", 2012)
    assert (p.target["value"], p.outcome["value"], p.status) == (7.5, 7.8, "met")
    # 2023, under 过去一年和五年工作回顾: 粮食产量1.37万亿斤 is 2022's; the target was 1.3万亿斤以上
    p = point(all_series, "grain_output", "level", 2022)
    assert (p.outcome["base_value"], p.target["comparator"], p.status) == (1.37e12, ">=", "met")
    # 2022: 城镇调查失业率平均为5.1% is the year's average, not several years'
    p = point(all_series, "urban_surveyed_unemployment", "level", 2021)
    assert (p.outcome["value"], p.target["value"], p.status) == (5.1, 5.5, "met")


def test_figures_that_are_not_last_year_outcome(national):
    panel, all_series = national
    # 2006, in the 十一五 section: 城镇新增就业4200万人 is the five years' total
    assert any(r["value"] == 4200 for r in actuals_of(panel, 2006, "urban_new_jobs", "level"))
    assert report.outcome_of(2005, actuals_of(panel, 2006, "urban_new_jobs", "level")) is None
    assert point(all_series, "urban_new_jobs", "level", 2006).outcome["value"] == 1184  # from the 2007 report
    # 1997: 物价涨幅要从14.8%降到10%左右 quotes a change and a goal, not 1996's outcome
    assert {r["value"] for r in actuals_of(panel, 1997, "cpi", "growth")} >= {14.8, 10.0}
    assert report.outcome_of(1996, actuals_of(panel, 1997, "cpi", "growth")) is None


def test_a_chart_shows_series_with_two_years_paired(national):
    _, all_series = national
    shown = report.charted(all_series)
    assert shown[0].key[:3] == ("全国", "gdp", "growth")
    assert all(s.paired >= 2 for s in shown)
    gdp = shown[0]
    assert gdp.paired == sum(1 for p in gdp.points if p.target and p.outcome) >= 6
    # every judged target has an anchor its marks and its row share
    anchors = [p.anchor for s in all_series for p in s.points if p.target]
    assert len(anchors) == len(set(anchors)) and all(anchors)


# ---- regions side by side ------------------------------------------------

@pytest.fixture(scope="module")
def provincial():
    return report.load([str(PROVINCIAL)])


def test_regions_of_2026_side_by_side(provincial):
    assert report.default_year(provincial) == 2026
    groups = report.regions_in_year(provincial, 2026)
    key, rows = groups[0]
    assert key == ("gdp", "growth", "%")
    regions = {r["region"]: r for r in rows}
    assert len(regions) == len(rows) == len(list(PROVINCIAL.glob("*.txt")))
    # 全省地区生产总值增长5%—5.5%; 地区生产总值增长5.5%—6%; 地区生产总值增长4.5-5%
    assert (regions["安徽省"]["comparator"], regions["安徽省"]["value"], regions["安徽省"]["value_max"]) == \
        ("range", 5.0, 5.5)
    assert (regions["新疆维吾尔自治区"]["value"], regions["新疆维吾尔自治区"]["value_max"]) == (5.5, 6.0)
    assert (regions["黑龙江省"]["value"], regions["黑龙江省"]["value_max"]) == (4.5, 5.0)
    # 经济增长5.5%左右 (湖北), 地区生产总值增长4.5%左右 (云南, 辽宁)
    assert (regions["湖北省"]["comparator"], regions["湖北省"]["value"]) == ("~", 5.5)
    ordered = [r["region"] for r in report.by_value(rows)]
    assert ordered[-1] == "新疆维吾尔自治区" and set(ordered[:2]) == {"云南省", "辽宁省"}


def test_a_year_can_be_chosen_and_an_empty_one_says_so(provincial):
    pytest.importorskip("matplotlib")
    page = report.render(provincial, year=2019)
    assert "Regions side by side in 2019" in page
    assert "No year has headline targets of two regions or more" in page
    page = report.render(provincial)
    assert "2026年 国内生产总值（增速，%）" in page


# ---- the loader: both shapes of a dataset --------------------------------

def _batch(paths, out):
    files, unread = corpus.scan_inputs([str(p) for p in paths])
    summary = corpus.run(files, store.Store(out), workers=1, unread=unread)
    assert summary.errors == 0


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("dataset") / "plans.duckdb"
    _batch([REPORTS / "2023.txt", REPORTS / "2024.txt", REPORTS / "2025.txt", PROVINCIAL / "anhui-2026-report.txt",
            PROVINCIAL / "beijing-2026-report.txt"], out)
    return out


def test_actuals_in_the_targets_table_or_in_their_own(dataset, tmp_path):
    old = tmp_path / "schema-1.duckdb"  # as plancli wrote before schema 2: actuals inside targets
    shutil.copy(dataset, old)
    con = duckdb.connect(str(old))
    con.execute("INSERT INTO targets SELECT * FROM actuals")
    con.execute("DROP TABLE actuals")
    con.close()
    mixed, apart = report.load([str(old)]), report.load([str(dataset)])
    assert apart.actuals and [r["start"] for r in apart.actuals] == [r["start"] for r in mixed.actuals]
    assert all(r["kind"] == "target" for r in apart.targets)
    p_mixed = point(report.series(mixed), "gdp", "growth", 2024)
    p_apart = point(report.series(apart), "gdp", "growth", 2024)
    assert p_mixed.outcome["start"] == p_apart.outcome["start"] and p_mixed.status == p_apart.status == "met"


def test_every_batch_format_gives_the_same_panel(dataset, tmp_path):
    inputs = [REPORTS / "2024.txt", REPORTS / "2025.txt"]
    expected = report.series(report.load([str(p) for p in inputs]))
    for name in ("plans", "plans.csv", "plans.jsonl"):  # (a single .parquet file keeps no actuals)
        _batch(inputs, tmp_path / name)
        got = report.series(report.load([str(tmp_path / name)]))
        assert [(s.key, [(p.year, p.status, p.outcome and p.outcome["start"]) for p in s.points]) for s in got] == \
            [(s.key, [(p.year, p.status, p.outcome and p.outcome["start"]) for p in s.points]) for s in expected]


# ---- the command ----------------------------------------------------------

def test_report_command_end_to_end(cli, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "plans.duckdb"
    inputs = [REPORTS / "2023.txt", REPORTS / "2024.txt", REPORTS / "2025.txt", PROVINCIAL / "anhui-2026-report.txt",
              PROVINCIAL / "jilin-2026-report.txt"]
    run = cli("batch", *map(str, inputs), "-o", str(out), "--workers", "1", "--quiet")
    assert run.code == 0, run.err
    page_path = tmp_path / "report.html"
    run = cli("report", str(out), "-o", str(page_path))
    assert run.code == 0 and run.out == "", run.err
    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<svg class="chart"') >= 2
    assert "国内生产总值（增速，%） · 全国" in page and "Regions side by side in 2026" in page
    # the 2024 GDP row links both sentences, the figures marked
    row = next(r for r in re.findall(r'<tr id="a-\d+">.*?</tr>', page, re.S) if "<td>2024</td>" in r)
    assert '<span class="s met">met</span>' in row
    assert "国内生产总值增长<mark>5%</mark>左右" in row and "增长<mark>5%</mark>，增速居世界" in row
    assert "2024.txt" in row and "2025.txt" in row
    assert not re.search(r'(src|href)="(https?:)?//', page) and "<link" not in page


def test_report_on_documents_and_to_a_pipe(cli):
    pytest.importorskip("matplotlib")
    run = cli("report", str(REPORTS / "2024.txt"), str(REPORTS / "2025.txt"))
    assert run.code == 0 and run.out.startswith("<!DOCTYPE html>")
    assert "From " + str(REPORTS / "2024.txt") in run.out


def test_a_document_that_cannot_be_read_is_named_and_the_page_written(cli, tmp_path):
    pytest.importorskip("matplotlib")
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REPORTS / "2024.txt", folder / "2024.txt")
    (folder / "2023.doc").write_bytes(b"\xd0\xcf\x11\xe0 a legacy Word file")
    run = cli("report", str(folder), "-o", str(tmp_path / "r.html"))
    assert run.code == 1 and "2023.doc: unsupported type .doc" in run.err and "Traceback" not in run.err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "1 file could not be read" in page and "2023.doc" in page


def test_report_usage_errors(cli, monkeypatch, tmp_path):
    run = cli("report", str(tmp_path / "missing.duckdb"), "-o", str(tmp_path / "r.html"))
    assert run.code == 2 and "missing.duckdb: no such file or folder" in run.err
    (tmp_path / "targets.csv").write_text("doc,text\nx,5%\n", encoding="utf-8")
    run = cli("report", str(tmp_path / "targets.csv"), "-o", str(tmp_path / "r.html"))
    assert run.code == 1 and "targets.csv: not a dataset plancli batch wrote" in run.err
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    run = cli("report", str(REPORTS / "2024.txt"))
    assert run.code == 2 and "give -o report.html" in run.err


def test_without_matplotlib_one_line_names_the_extra(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    run = cli("report", str(REPORTS / "2024.txt"), "-o", str(tmp_path / "r.html"))
    assert run.code == 2 and "pip install 'plancli[report]'" in run.err and run.err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()


# ---- in a real browser ----------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_page_in_a_real_browser(dataset, tmp_path):
    pytest.importorskip("matplotlib")
    from test_annotate import _browser
    from selenium.webdriver.common.by import By

    browser = _browser()
    try:
        page = tmp_path / "report.html"
        page.write_text(report.render(report.load([str(dataset)])), encoding="utf-8")
        browser.get(page.as_uri())
        charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) >= 2
        marks = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg.chart')).map("
            "s => s.querySelectorAll('path, use, rect').length)")
        assert all(n > 10 for n in marks)
        # Chinese labels drawn with a real width: a CJK glyph is about as wide as the font is tall
        labels = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg.chart text')).map(t => "
            "[t.textContent, t.getBoundingClientRect().width, parseFloat(getComputedStyle(t).fontSize)"
            " * t.getScreenCTM().a])")
        chinese = [(text, width, size) for text, width, size in labels if CJK.search(text)]
        assert any("国内生产总值" in text for text, _, _ in chinese)
        for text, width, size in chinese:
            assert width >= 0.75 * size * len(CJK.findall(text)), (text, width, size)
        # nothing fetched: styles, scripts and charts are in the page
        assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
        # a target's mark opens its row with the sentences
        link = browser.find_element(By.CSS_SELECTOR, "svg.chart a")
        anchor = link.get_attribute("xlink:href") or link.get_attribute("href")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        assert browser.current_url.endswith(anchor)
        row = browser.find_element(By.ID, anchor.lstrip("#"))
        assert "focus" in row.get_attribute("class")
        assert row.find_element(By.TAG_NAME, "details").get_attribute("open") is not None
        browser.execute_script("window.scrollTo(0, 0); history.replaceState(null, '', ' ')")
        height = browser.execute_script("return document.body.scrollHeight")
        browser.set_window_size(1400, min(height + 40, 6000))
        shot = tmp_path / "report.png"
        assert browser.save_screenshot(str(shot))
        if os.environ.get("PLANCLI_SCREENSHOT_DIR"):
            folder = os.environ["PLANCLI_SCREENSHOT_DIR"]
            os.makedirs(folder, exist_ok=True)
            shutil.copy(shot, os.path.join(folder, "report.png"))
    finally:
        browser.quit()
