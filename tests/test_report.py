"""`cleaner report`: a seeded sample, a static page that needs no network, and in a real
browser (headless Chromium, marked integration) the counts, a struck-through line with its
reason, and the filter by rule."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.report import SampledDocument, sample
from tests import browser

CASES = Path(__file__).parent / "cases"
runner = CliRunner()
PAGES = [CASES / "threads" / "wordpress_en.txt", CASES / "threads" / "slashdot_en.txt",
         CASES / "markdown" / "guide.html", CASES / "pages" / "product_en.txt",
         Path(__file__).parent.parent / "examples" / "page.txt"]


def _report(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", *args, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_the_sample_is_uniform_bounded_and_the_same_for_a_seed() -> None:
    docs = [SampledDocument(str(i), "x") for i in range(1000)]
    picked, total = sample(iter(docs), 50, seed=7)
    assert total == 1000 and len(picked) == 50
    assert [d.id for d in picked] == sorted((d.id for d in picked), key=int)  # input order
    assert [d.id for d in sample(iter(docs), 50, seed=7)[0]] == [d.id for d in picked]
    assert [d.id for d in sample(iter(docs), 50, seed=8)[0]] != [d.id for d in picked]
    assert max(int(d.id) for d in picked) > 500  # not the first 50
    few, total = sample(iter(docs[:3]), 50, seed=7)
    assert [d.id for d in few] == ["0", "1", "2"] and total == 3


def test_the_report_shows_every_line_and_strikes_the_removed_ones(tmp_path: Path) -> None:
    page = _report(tmp_path, *map(str, PAGES))
    assert '<span id="n-docs">5</span> documents (a sample of 5)' in page
    # every line of the example page is there, the removed ones struck with their reason
    assert re.search(r'<del data-rule="([a-z]+\.[a-z-]+)"[^>]*title="\1 \(rules, '
                     r'drop-line\)">Advertisement</del>', page)
    for line in PAGES[-1].read_text(encoding="utf-8").splitlines():
        assert html.escape(line) in page
    assert 'data-rule="threads"' in page and 'title="threads (drop-block)"' in page
    assert "Removals by stage" in page and "Removals by rule" in page
    assert "Page types" in page and "Quality estimate" in page
    # nothing to fetch at view time
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', page)


def test_jsonl_records_are_documents_and_a_missing_field_is_an_error(tmp_path: Path) -> None:
    records = tmp_path / "pages.jsonl"
    records.write_text("".join(json.dumps({"body": p.read_text(encoding="utf-8")}) + "\n"
                               for p in PAGES), encoding="utf-8")
    page = _report(tmp_path, str(records), "--field", "body", "--sample", "2", "--seed", "3")
    assert '<span id="n-docs">2</span> documents (a sample of 5)' in page
    assert f"{records}:" in page
    result = runner.invoke(app, ["report", str(records), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "'text'" in result.stderr
    assert not (tmp_path / "r.html").exists()


@pytest.mark.integration
def test_the_report_in_a_real_browser_counts_strikes_and_filters(tmp_path: Path) -> None:
    why = browser.missing()
    if why is not None:
        pytest.skip(why)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _report(tmp_path, *map(str, PAGES))
    chrome = browser.driver()
    try:
        chrome.get((tmp_path / "report.html").as_uri())
        assert chrome.find_element(By.ID, "n-docs").text == "5"
        docs = chrome.find_elements(By.CSS_SELECTOR, "article.doc")
        assert len(docs) == 5 and all(d.is_displayed() for d in docs)
        struck = chrome.find_element(By.XPATH, "//del[text()='Advertisement']")
        assert struck.value_of_css_property("text-decoration-line") == "line-through"
        rule = struck.get_attribute("data-rule")
        assert rule and rule in (struck.get_attribute("title") or "")
        Select(chrome.find_element(By.ID, "rule")).select_by_value(rule)
        shown = [d for d in docs if d.is_displayed()]
        assert 0 < len(shown) < 5
        marked = chrome.find_elements(By.CSS_SELECTOR, "del.match")
        assert marked and all(m.get_attribute("data-rule") == rule for m in marked)
        assert chrome.find_element(By.ID, "n-shown").text == (
            f"{len(shown)} documents, {len(marked)} lines taken by {rule}")
        Select(chrome.find_element(By.ID, "rule")).select_by_value("")
        assert all(d.is_displayed() for d in docs)
    finally:
        chrome.quit()
