"""The real dumps in ../shared/seeds, against what seeds/EXPECTED.md says each must lose and keep."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleaner


def _clean(seeds_dir: Path, prefix: str) -> tuple[list[str], list[str]]:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    out = cleaner.clean(text)
    before = [line for line in text.splitlines() if line.strip()]
    after = [line for line in out.splitlines() if line.strip()]
    return before, after


def _kept_prose(before: list[str], after: list[str], may_go: tuple[str, ...] = ()) -> None:
    """Every substantive line of the input survives intact, but for the listed may-go lines."""
    kept = set(after)
    for line in before:
        if len(line.split()) >= 5 and line.rstrip().endswith((".", "”", '"', "?", "’")) \
                and not any(m in line for m in may_go):
            assert line in kept, f"lost article text: {line[:80]!r}"


def test_seed_000_clean_render_keeps_its_paragraphs(seeds_dir: Path) -> None:
    before, after = _clean(seeds_dir, "000")
    _kept_prose(before, after, may_go=("via Associated Press", "t.co/", "Latest Defence"))
    assert "He said: “I tell you sincerely that the president has made a decision." in after


def test_seed_001_loses_ads_consent_and_the_repeat(seeds_dir: Path) -> None:
    before, after = _clean(seeds_dir, "001")
    assert "Advertisement" not in after
    joined = "\n".join(after)
    for consent in ("We and our partners will store", "Your personal data that may be used",
                    "Information about your device and internet connection",
                    "Browsing and search activity", "To enable Verizon Media"):
        assert consent not in joined
    assert joined.count("The MoD revealed last month that up to half of Russian fatalities") == 1
    for heading in ("Why is Putin’s admission important?", "What’s the latest from the frontline?",
                    "What does this mean for Ukraine?", "What does Russia think?"):
        assert heading in after
    _kept_prose(before, after, may_go=("t.co/", "pic.twitter.com", "HuffPost is part of",
                                       "To enable Verizon"))


def test_seed_002_loses_wordpress_chrome_keeps_short_sentences(seeds_dir: Path) -> None:
    before, after = _clean(seeds_dir, "002")
    for chrome in ("Connect with us", "Published", "on", "Continue Reading", "Click to comment",
                   "Leave a Reply",
                   "Your email address will not be published. Required fields are marked *"):
        assert chrome not in after
    assert "He earlier also spoke of one dead." in after
    assert "Most of the drones had been destroyed by anti-aircraft fire, he added." in after
    _kept_prose(before, after)


def test_seed_003_loses_comments_and_signup_keeps_one_title(seeds_dir: Path) -> None:
    before, after = _clean(seeds_dir, "003")
    assert "Comments" not in after
    assert "Keep up to date with our latest articles and uploads..." not in after
    title = "No more peace negotiations with Ukraine - Putin says"
    assert sum(line.startswith(title) for line in after) <= 1
    _kept_prose(before, after, may_go=("Keep up to date",))


def test_seed_004_loses_read_more_block_and_image_title(seeds_dir: Path) -> None:
    before, after = _clean(seeds_dir, "004")
    for chrome in ("Connect with us", "Published", "on", "Read More:", "Trending",
                   "Putin begins fifth term: Elaborate swearing-in ceremony at Kremlin",
                   "Trump blames Biden for Russia-Ukraine conflict",
                   "Vladimir Putin | Biography, KGB, Political Career, & Facts | Britannica"):
        assert chrome not in after
    assert after.count("Putin rejects peace talks with Ukraine") <= 1
    _kept_prose(before, after)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seeds_are_idempotent(seeds_dir: Path, prefix: str) -> None:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    once = cleaner.clean(path.read_text(encoding="utf-8"))
    assert cleaner.clean(once) == once
