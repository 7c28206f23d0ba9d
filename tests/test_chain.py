"""The chain's contract: newline style, offsets, dedup, strip, fixed point, streaming."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, Document
from cleaner.cli import app
from cleaner.stages.repair import repair_line

# The mechanics of the chain, with the learned stage off so that pages can be tiny.
RULES = Cleaner(content=False)
PROSE = "The ferry to the island runs twice a day in winter and every hour in summer."


def test_crlf_input_keeps_crlf_and_final_newline_state() -> None:
    assert RULES.clean_text(f"Advertisement\r\n{PROSE}\r\n") == f"{PROSE}\r\n"
    assert RULES.clean_text(f"Advertisement\n{PROSE}") == PROSE


def test_blank_line_runs_collapse_to_one_and_edges_are_trimmed() -> None:
    assert RULES.clean_text(f"\n\n{PROSE}\n\n\n\nAdvertisement\n\n{PROSE[:-1]}!\n\n") == \
        f"{PROSE}\n\n{PROSE[:-1]}!\n"


def test_repeated_paragraph_keeps_its_first_copy_short_repeats_stay() -> None:
    text = f"{PROSE}\nYes\nThe second paragraph is here.\n{PROSE}\nYes\n"
    result = RULES.clean(text)
    assert result.text == f"{PROSE}\nYes\nThe second paragraph is here.\nYes\n"
    assert [(r.line, r.reason.stage) for r in result.removals] == [(4, "dedup")]


def test_strip_removes_only_the_span_and_records_its_offsets() -> None:
    text = f"{PROSE} https://t.co/AbC123\n"
    result = RULES.clean(text)
    assert result.text == f"{PROSE}\n"
    (removal,) = result.removals
    assert removal.reason.rule_id == "embeds.short-links"
    assert text[removal.start:removal.end] == " https://t.co/AbC123"


def test_chain_runs_to_a_fixed_point() -> None:
    # "Published" and "on" become adjacent only once the ad label between them has gone.
    text = f"Published\nAdvertisement\non\n{PROSE}\n"
    result = RULES.clean(text)
    assert result.text == f"{PROSE}\n"
    assert result.passes >= 2
    assert RULES.clean_text(result.text) == result.text


def test_repair_fixes_mojibake_lines_only() -> None:
    assert repair_line("The cafÃ© opened in 1998.") == "The café opened in 1998."
    assert repair_line("Nothing wrong here.") == "Nothing wrong here."
    assert RULES.clean_text("The cafÃ© opened its doors again on Monday morning.\n") == \
        "The café opened its doors again on Monday morning.\n"


def test_clean_stream_yields_results_in_order() -> None:
    docs = [Document(f"Advertisement\n{PROSE} {i}\n", id=str(i)) for i in range(5)]
    results = list(RULES.clean_stream(iter(docs)))
    assert [r.document.id for r in results] == [str(i) for i in range(5)]
    assert all(r.text.startswith("The ferry") for r in results)


def test_invalid_utf8_bytes_survive_in_kept_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"Advertisement\nThe caf\xe9 on the corner sells bread and coffee.\n")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(app, ["clean", "--no-content", str(page), "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_bytes() == b"The caf\xe9 on the corner sells bread and coffee.\n"


def test_a_bare_read_more_link_takes_only_itself_not_the_next_teaser() -> None:
    text = "Read More\nThe second teaser title of the listing\n"
    assert RULES.clean_text(text) == "The second teaser title of the listing\n"
    assert RULES.clean_text("Read more:\nA teaser title\n") == ""


def test_a_teaser_list_ends_at_menu_items_and_prices() -> None:
    text = ("The shop reopened on Monday after a month of repairs to its roof and walls.\n\n"
            "Trending now\nTen gardens to visit this spring\nBedroom Furniture\n$ 319 +\n")
    out = Cleaner(content=False).clean_text(text)
    assert "Trending now" not in out and "Ten gardens" not in out
    assert "Bedroom Furniture\n$ 319 +" in out


def test_a_per_answer_comment_link_does_not_cut_the_answers_after_it() -> None:
    answers = [f"Answer {i} explains the trick with an example that runs on any machine."
               for i in range(8)]
    text = "\n".join(f"{a}\nAdd a comment |" for a in answers) + "\n"
    assert RULES.clean_text(text) == "\n".join(answers) + "\n"


def test_rules_find_the_right_line_after_multibyte_text() -> None:
    text = ("Всё началось четыре года назад, когда она создала страницу 🍰.\nРеклама\n"
            "Das Café öffnet um acht Uhr morgens und schließt am Abend.\nAdvertisement\n")
    result = RULES.clean(text)
    assert [(r.line, r.reason.rule_id) for r in result.removals] == [
        (2, "ads.label"), (4, "ads.label")]
    assert text[result.removals[0].start:result.removals[0].end] == "Реклама"


def test_a_rule_with_lang_fires_only_on_pages_in_its_languages(tmp_path: Path) -> None:
    pack = tmp_path / "de.yaml"
    pack.write_text(
        "pack: de\ndescription: German chrome.\nrules:\n"
        "  - id: de.mehr\n    description: A German 'more' link.\n"
        "    match: {exact: [mehr]}\n    action: drop-line\n    lang: [de]\n"
        "    examples: {drop: [Mehr], keep: [Mehr als das.]}\n")
    cleaner = Cleaner(rules=[pack], content=False)
    german = ("Der Fluss stieg in der Nacht langsam an, und am Morgen waren die Felder "
              "unter Wasser, wie es die Bauern in dem Tal befürchtet hatten.\nMehr\n")
    english = ("The river rose slowly in the night, and by the morning the fields were under "
               "water, as the farmers in the valley had feared it would be.\nMehr\n")
    assert "Mehr" not in cleaner.clean_text(german)
    assert "Mehr" in cleaner.clean_text(english)
    assert "Mehr" not in cleaner.clean_text("Mehr\n")  # too short to tell: every rule runs


def test_nominating_lines_by_their_atoms_never_changes_a_result(seeds_dir: Path,
                                                                tmp_path: Path) -> None:
    """The atoms nominate the lines each pattern may match; with no nominations, every
    pattern scans every page whole. (The reference is a RuleSet of its own: Cleaners share
    their compiled rules.)"""
    from cleaner.page import DocumentState, Page
    from cleaner.rulebook.compiler import RuleSet
    from cleaner.rulebook.loader import load_packs

    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "pack: extra\ndescription: Contains rules.\nrules:\n"
        "  - id: extra.promo\n    description: Promotion lines.\n"
        "    match: {contains: [promo code, 'free   shipping']}\n    action: drop-line\n"
        "    examples: {drop: [Use promo code X], keep: [A line of prose.]}\n")
    packs = load_packs((str(extra),))
    nominating = RuleSet.from_packs(packs)
    scanning = RuleSet.from_packs(packs, nominate=False)
    pages = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    pages.append((Path(__file__).resolve().parent.parent / "examples" / "page.txt").read_text())
    pages.append("РЕКЛАМА\nANZEIGE\nKEEP UP TO DATE WITH OUR LATEST ARTICLES\n" + PROSE)
    pages.append("Anzeige\n" + "Der Rat hat am Dienstag beschlossen, die Bibliothek offen zu "
                 "halten, und die Eltern haben den Beschluss begrüßt.\n" * 3)
    pages.append("Use PROMO  code SAVE10 today\nFree\tshipping on all orders\n"
                 "free\x0bshipping, they said\nMain   Menu\n  Menu  \nmain\x0bmenu\n" + PROSE)
    found = 0
    for text in pages:
        page = Page.whole(DocumentState(Document(text)))
        hits = nominating.find(page)
        assert [(h.rule.id, h.lines, h.spans) for h in hits] == \
            [(h.rule.id, h.lines, h.spans) for h in scanning.find(page)]
        found += len(hits)
    assert found > 20


def _removals(cleaner: Cleaner, text: str) -> tuple[str, list[tuple[int, str | None]]]:
    result = cleaner.clean(text, markup="text")
    return result.text, [(r.line, r.reason.rule_id) for r in result.removals]


def test_a_later_pass_skips_only_what_cannot_change(seeds_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass over lines every rule has run over (same text, same language) runs only the
    rules that are not line-local; the results and their reasons are those of running them
    all, rules alone and with the content model."""
    from cleaner.rulebook.compiler import RulesSeen

    pages = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    pages.append((Path(__file__).resolve().parent.parent / "examples" / "page.txt").read_text())
    for options in ({}, {"content": False}):
        cleaner = Cleaner(**options)  # type: ignore[arg-type]
        reused = [_removals(cleaner, text) for text in pages]
        with monkeypatch.context() as patched:
            patched.setattr(RulesSeen, "covers", lambda *args: False)
            assert [_removals(cleaner, text) for text in pages] == reused


def test_a_later_pass_runs_every_rule_where_a_line_changed() -> None:
    """A strip changes its line's text, and a page whose language moved sees other rules:
    then every rule runs again."""
    from cleaner.page import DocumentState, Page
    from cleaner.rulebook.compiler import RuleSet
    from cleaner.rulebook.loader import load_packs

    rules = RuleSet.from_packs(load_packs(()))
    page = Page.whole(DocumentState(Document(f"Advertisement\n{PROSE}\n{PROSE}\n")))
    rules.find(page)
    seen = page.state.rules_seen
    assert seen is not None and 0 not in seen.texts  # the line a line-local rule took
    following = Page(page.state, page.lines[1:], page.origin[1:])
    assert seen.covers(rules, following, seen.lang)
    assert not seen.covers(rules, following, "de")
    changed = Page(page.state, [PROSE + " Photo: AP", PROSE], page.origin[1:3])
    assert not seen.covers(rules, changed, seen.lang)
    assert not seen.covers(RuleSet.from_packs(load_packs(())), following, seen.lang)


def test_a_later_pass_still_runs_the_rules_that_read_where_a_line_stands() -> None:
    """"Leave a reply cancel reply" is cut after only in the page's tail: on a first pass
    with prose after it, it is not; once that prose has gone, a later pass over the same
    lines cuts."""
    from cleaner.page import DocumentState, Page
    from cleaner.rulebook.compiler import RuleSet
    from cleaner.rulebook.loader import load_packs

    rules = RuleSet.from_packs(load_packs(()))
    lines = [PROSE] * 6 + ["Leave a reply cancel reply"] + [PROSE] * 6
    page = Page.whole(DocumentState(Document("\n".join(lines))))
    assert not [h for h in rules.find(page) if h.rule.id == "comments.leave-a-reply"]
    following = Page(page.state, page.lines[:7], page.origin[:7])
    assert page.state.rules_seen is not None
    assert page.state.rules_seen.covers(rules, following, page.state.rules_seen.lang)
    assert [h.lines for h in rules.find(following)
            if h.rule.id == "comments.leave-a-reply"] == [(6,)]


def test_result_lines_give_each_original_line_its_verdict() -> None:
    text = f"Advertisement\r\n{PROSE} https://t.co/AbC123\r\n\r\nShare this article\r\n"
    lines = RULES.clean(text).lines()
    assert [(ln.number, ln.kept, ln.reason.rule_id if ln.reason else None) for ln in lines] == [
        (1, False, "ads.label"), (2, True, None), (3, True, None),
        (4, False, "social.share-prompt")]
    assert text[lines[3].start:].startswith("Share this article")


def test_statistics_read_from_the_removal_log_count_what_its_removals_say(
        seeds_dir: Path) -> None:
    """A run's statistics count each result's removals straight from the chain's log; the
    counts are those of the `Removal`s the log reads into."""
    from collections import Counter

    cleaner = Cleaner()
    checked = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        counted = cleaner.clean(path.read_text(encoding="utf-8"))
        by_key, by_stage = counted.counts(), counted.stage_counts()
        built = cleaner.clean(path.read_text(encoding="utf-8")).removals
        assert by_key == Counter(r.reason.key for r in built)
        assert by_stage == Counter(r.reason.stage for r in built)
        checked += bool(built)
    assert checked
