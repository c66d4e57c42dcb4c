"""Time on hostile input grows in step with its size.

    python benchmarks/hostile.py [--scale N]

For each kind of hostile text, parses it at 1x, 2x and 4x its base size and
prints seconds and the ratio of each time to the one before (about 2.0 means
linear; about 4.0 would mean quadratic); the html cases time the HTML
extractor on hostile markup. Not part of the test run."""
import argparse
import time
from pathlib import Path

from plancli import parse_text
from plancli.extract import html_text

NOTICE = (Path(__file__).resolve().parent.parent / "data" / "raw" / "jiaxing-2024-plan.txt").read_text(encoding="utf-8")
CASES = {
    "notice repeated": lambda n: NOTICE * 10 * n,
    "no punctuation": lambda n: "国内生产总值增长6个百分点新增企业500家" * 2500 * n,
    "digits": lambda n: "1" * 300_000 * n,
    "Chinese digits": lambda n: "一" * 300_000 * n,
    "quotation marks": lambda n: "“" * 100_000 * n + "增长6%",
    "unbalanced quotes": lambda n: "“增长6%" * 10_000 * n,
    "repeated headings": lambda n: "一、标题\n" * 25_000 * n,
    "shared verb list": lambda n: "新增企业500家、" * 10_000 * n,
    "hard-wrapped lines": lambda n: "新增企业500家，增长6%\n" * 15_000 * n,
}

# HTML pages, timed through the extractor (html_text): each was quadratic
# before (a list scan per stray end tag; html.parser rescanning to the end
# for every construct it cannot close)
HTML_CASES = {
    "html nav+div+</p>": lambda n: "<nav>" + "<div>" * 50_000 * n + "</p>" * 50_000 * n + "</nav><p>正文</p>",
    "html <a repeated": lambda n: "<p>正文</p>" + "<a" * 100_000 * n,
    "html </ repeated": lambda n: "<p>正文</p>" + "</" * 100_000 * n,
    "html <? repeated": lambda n: "<p>正文</p>" + "<?" * 100_000 * n,
    "html quotes open": lambda n: "<p>正文</p>" + '<a b="c ' * 100_000 * n,
    "html notice x200": lambda n: "".join(f"<p>{line}</p>" for line in NOTICE.splitlines()) * 200 * n,
}


def _html(page: str) -> None:
    html_text(page.encode("utf-8"), "bench.html", lambda raw, _declared: raw.decode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1, help="multiply every base size by this")
    args = ap.parse_args()
    parse_text("预热：增长6%。")  # load the lexicon and jieba before timing
    print(f"{'case':20s} {'chars (1x)':>11s} {'1x s':>7s} {'2x s':>7s} {'4x s':>7s} {'2x/1x':>6s} {'4x/2x':>6s}")
    cases = [(name, make, parse_text) for name, make in CASES.items()]
    cases += [(name, make, _html) for name, make in HTML_CASES.items()]
    for name, make, run in cases:
        times = []
        for factor in (1, 2, 4):
            text = make(factor * args.scale)
            t0 = time.perf_counter()
            run(text)
            times.append(time.perf_counter() - t0)
        size = len(make(args.scale))
        print(f"{name:20s} {size:11d} {times[0]:7.2f} {times[1]:7.2f} {times[2]:7.2f} "
              f"{times[1] / max(times[0], 1e-9):6.2f} {times[2] / max(times[1], 1e-9):6.2f}")


if __name__ == "__main__":
    main()
