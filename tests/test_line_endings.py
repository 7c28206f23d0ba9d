"""Any mix of LF, CRLF and lone CR cleans, and every kept line keeps its own ending."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.document import split_lines
from tests.conftest import DEV, need
from tests.test_properties import BOILERPLATE, sentences

ENDINGS = ("\n", "\r\n", "\r")
RULES = Cleaner(content=False)
FULL = Cleaner()
_PIECE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


@st.composite
def mixed_pages(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(sentences(), st.sampled_from(BOILERPLATE), st.just("")),
                          min_size=1, max_size=20))
    endings = draw(st.lists(st.sampled_from(ENDINGS), min_size=len(lines),
                            max_size=len(lines)))
    text = "".join(line + end for line, end in zip(lines, endings, strict=True))
    return text[:-len(endings[-1])] if draw(st.booleans()) else text


def pieces(text: str) -> list[str]:
    """Each line with its own ending, as written."""
    return [p for p in _PIECE.findall(text) if p]


slow = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
fast = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(mixed_pages())
def test_every_mix_of_endings_cleans_and_kept_lines_keep_their_own_ending(text: str) -> None:
    out = RULES.clean_text(text)
    source = pieces(text)
    # The last kept line may lose an ending the input lacked; a blank line between blocks
    # after a CR-ended line is written with a CR (CR then LF would read back as one break).
    for piece in pieces(out)[:-1]:
        assert piece in source or not piece.strip()
    assert RULES.clean_text(out) == out
    assert out.endswith(("\n", "\r")) == text.endswith(("\n", "\r")) or not out


@slow
@given(mixed_pages())
def test_the_full_chain_takes_any_mix_of_endings_to_a_fixed_point(text: str) -> None:
    out = FULL.clean_text(text)
    assert FULL.clean_text(out) == out


@fast
@given(mixed_pages())
def test_removal_offsets_point_at_the_removed_text_whatever_the_endings(text: str) -> None:
    result = RULES.clean(text)
    for removal in result.removals:
        assert text[removal.start:removal.end] == removal.text
    assert [line.text for line in result.lines()] == split_lines(text)[0]


def test_a_crlf_first_line_before_lf_lines_cleans_from_the_command_line() -> None:
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--no-content"],
                          input=b"a b.\r\nx\nAdvertisement\ny\n", capture_output=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"a b.\r\nx\ny\n"


def test_a_lone_cr_is_a_line_break_so_old_mac_text_is_cleaned_line_by_line() -> None:
    assert RULES.clean_text("Para one is here.\rAdvertisement\rPara two.\r") == \
        "Para one is here.\rPara two.\r"


def test_dev_dumps_clean_alike_whatever_their_line_endings() -> None:
    """The verdicts depend on the lines, not on how they end: a dump whose first line ends
    in CRLF and the rest in LF keeps the same lines as the plain LF dump."""
    path = need(DEV / "scrapinghub.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        dumps = [json.loads(line)["dump"] for _, line in zip(range(12), handle, strict=False)]
    for dump in dumps:
        first, _, rest = dump.partition("\n")
        mixed = first + "\r\n" + rest
        plain = FULL.clean_text(dump)
        assert FULL.clean_text(mixed).replace("\r\n", "\n") == plain
