"""Writes docs/report.png: `cleaner report` over pages written for the project (examples/ and
test pages, no dev pages), as headless Chromium shows it. `make docs` runs it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import browser  # noqa: E402

PAGES = ["examples/page.txt", "tests/cases/threads/wordpress_en.txt",
         "tests/cases/threads/slashdot_en.txt", "tests/cases/markdown/guide.html",
         "tests/cases/pages/product_en.txt"]


def main() -> None:
    from typer.testing import CliRunner

    from cleaner.cli import app

    why = browser.missing()
    if why is not None:
        sys.exit(f"docs/screenshot.py: {why}")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.html"
        os.chdir(REPO)  # the documents are named as a user would name them
        result = CliRunner().invoke(app, ["report", *PAGES, "-o",
                                          str(report), "--title", "cleaner report: examples"])
        if result.exit_code:
            sys.exit(result.stderr)
        chrome = browser.driver(1280, 1900)
        try:
            chrome.get(report.as_uri())
            chrome.find_element("id", "rule")  # the page has loaded
            out = REPO / "docs" / "report.png"
            chrome.save_screenshot(str(out))
        finally:
            chrome.quit()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
