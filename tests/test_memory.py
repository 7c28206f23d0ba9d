"""Memory stays within a small multiple of the largest document: a document over
--max-doc-bytes is written through unchanged, counted and flagged, never cleaned at the cost
of gigabytes. These are regression guards with generous bounds, not measurements."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.options import HTML_ALLOWANCE, MAX_DOC_BYTES

_PEAK = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
sys.stdout.write(f"{proc.returncode} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n")
sys.stdout.write(proc.stderr.decode())
"""
BOUND_MB = 700  # the rules and model take about 300 MB; a 50 MB line may cost a few times


def _peak(*args: str) -> tuple[int, float, str]:
    """Exit code, peak RSS in MB and stderr of one `cleaner` run, measured from a process of
    its own, so that nothing else the test suite ran counts."""
    out = subprocess.run([sys.executable, "-c", _PEAK, sys.executable, "-m", "cleaner", *args],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    head, _, stderr = out.partition("\n")
    code, kilobytes = head.split()
    return int(code), int(kilobytes) / 1024, stderr


@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_a_50_mb_single_line_document_passes_through_within_bounded_memory(
        tmp_path: Path, fmt: str) -> None:
    line = "word " * 10_000_000
    if fmt == "text":
        src = tmp_path / "one-line.txt"
        src.write_text(line)
        expected = line.encode()
    else:
        src = tmp_path / "one-line.jsonl"
        expected = (json.dumps({"id": "big", "text": line}) + "\n").encode()
        src.write_bytes(expected)
    out = tmp_path / f"out-{src.name}"
    code, peak, stderr = _peak("clean", str(src), "-o", str(out))
    assert code == 0, stderr
    assert peak < BOUND_MB, f"peak RSS {peak:.0f} MB"
    assert "1 document over --max-doc-bytes, written through unchanged" in stderr
    assert out.read_bytes() == expected


def test_a_million_tiny_lines_stay_within_bounded_memory(tmp_path: Path) -> None:
    src = tmp_path / "tiny.txt"
    src.write_text("ab\n" * 1_000_000)
    code, peak, stderr = _peak("clean", str(src), "-o", str(tmp_path / "out.txt"))
    assert code == 0, stderr
    assert peak < BOUND_MB, f"peak RSS {peak:.0f} MB"


def test_the_limit_is_an_option_and_counts_in_stats(tmp_path: Path) -> None:
    page = "Advertisement\nThe ferry to the island runs twice a day in winter.\n"
    small = Cleaner(content=False, max_doc_bytes=20)
    result = small.clean(page)
    assert result.text == page and result.flags == ("oversize",)
    assert Cleaner(content=False, max_doc_bytes=0).clean(page * 10).text != page * 10
    assert Cleaner(content=False).clean(page).text != page


def test_html_is_allowed_more_since_most_of_it_is_markup() -> None:
    html = ("<html><body><p>Advertisement</p><p>The ferry to the island runs twice a day "
            "in winter and every hour in summer.</p></body></html>")
    limit = len(html) // HTML_ALLOWANCE + 1
    assert "oversize" not in Cleaner(content=False, max_doc_bytes=limit).clean_html(html).flags
    assert Cleaner(content=False, max_doc_bytes=limit // 2).clean_html(html).flags == (
        "oversize",)
    assert MAX_DOC_BYTES * HTML_ALLOWANCE > 5_400_000  # the largest dev page is cleaned
