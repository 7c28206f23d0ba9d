"""A pattern's atoms are a promise: every line the pattern matches holds one of them, where the
analysis says it stands. The index finds them as a plain search would."""

from __future__ import annotations

import sys
import unicodedata
import warnings

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import _core
from cleaner.rulebook.atoms import (
    HEAD,
    MAX_LENGTH,
    TAIL,
    Placed,
    placed_atoms,
    required_atoms,
)
from cleaner.rulebook.loader import load_packs

PACK_PATTERNS = sorted({(rule.id, pattern) for pack in load_packs(()) for rule in pack.rules
                        if rule.kind in ("regex", "sequence")
                        for pattern in (rule.patterns if rule.kind == "regex"
                                        else rule.patterns[:1])})


def _index(placed: Placed) -> _core.AtomIndex:
    owners: dict[str, set[tuple[int, int, int]]] = {}
    for atom, place, before in placed:
        owners.setdefault(atom, set()).add((0, place, before))
    keys = sorted(owners)
    return _core.AtomIndex(keys, [tuple(sorted(owners[k])) for k in keys], 1)


def _nominated(placed: Placed, line: str) -> bool:
    index = _index(placed)
    found = 0 in index.nominate(line.casefold())
    assert found == (0 in index.nominate(line, True))  # folded as it is read
    return found


def _matches(pattern: str, line: str) -> bool:
    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options).search(line) is not None


def test_every_pack_pattern_places_atoms() -> None:
    missing = [rule_id for rule_id, pattern in PACK_PATTERNS if placed_atoms(pattern) is None]
    assert not missing


@pytest.mark.parametrize(("rule_id", "pattern"), PACK_PATTERNS)
def test_a_pack_patterns_drop_examples_hold_its_atoms(rule_id: str, pattern: str) -> None:
    placed = placed_atoms(pattern)
    assert placed is not None
    rule = next(r for p in load_packs(()) for r in p.rules if r.id == rule_id)
    examples = [e for e in rule.examples.drop if "\n" not in e]
    for example in examples:
        for line in (example, example.upper(), f"  »{example}«  ", f"• {example}"):
            if _matches(pattern, line):
                assert _nominated(placed, line), (rule_id, line)


# Lines made of a pattern's own words, in any case, with punctuation, digits, spaces of every
# kind and letters that casefold to more than one letter around them.
NOISE = ["", " ", "  ", "\t", "\xa0", "-", ":", "|", "»", "•", "©", "(", ")", "!", "?", ".",
         "1", "12", "2024", "ß", "ẞ", "İ", "ﬁ", "K", "ſ", "Σ", "é", "É", "x", "The", "and",
         "ａｄ"]


def _words(pattern: str) -> list[str]:
    placed = placed_atoms(pattern) or ()
    words = {a for a, _, _ in placed}
    for part in re2.escape(pattern).split("\\|"):
        words.update(w for w in part.replace("\\", " ").split() if w.isalpha())
    return sorted(words)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_lines_a_pack_pattern_matches_hold_its_atoms(data: st.DataObject) -> None:
    rule_id, pattern = data.draw(st.sampled_from(PACK_PATTERNS))
    placed = placed_atoms(pattern)
    assert placed is not None
    pieces = st.one_of(st.sampled_from(_words(pattern)), st.sampled_from(NOISE))
    for _ in range(25):
        parts = data.draw(st.lists(pieces, max_size=6))
        case = data.draw(st.sampled_from([str, str.upper, str.title, str.lower]))
        line = case("".join(p if i % 2 else p + " " for i, p in enumerate(parts)))
        if _matches(pattern, line):
            assert _nominated(placed, line), (rule_id, line)


# A label whose every way to start is longer than an atom may be (MAX_LENGTH), and one whose
# words are followed by optional words (each multiplies the ways to start).
_TOO_LONG_TO_HOLD = (r"(?i)^[^\pL\pN]*((this|the) material may not be published, broadcast,? "
                     r"(rewritten,? )?or (redistributed|sold).{0,100})$")
_OPTIONAL_WORDS = (r"(?i)^[^\pL\pN]*((share|email|(post|pin)(?: (?:this|the|to))+)( (this|the))?"
                   r"( (article|story|post|page|video|link))?( (facebook|twitter|x|linkedin|"
                   r"whatsapp|pinterest|reddit|email|telegram|flipboard|messenger|threads))?)"
                   r"[^\pL\pN]*$")


@pytest.mark.parametrize(("pattern", "line"), [
    (r"(?i)^[^\pL\pN]*(leave a (reply|comment))[^\pL\pN]*$", "— Leave a REPLY —"),
    (r"(?i)^[^\pL\pN]*\d+\s*(likes?|views?)[^\pL\pN]*$", "12 likes"),
    (r"(?i)^[^\pL\pN]*(advert|ad|ads)[^\pL\pN]*$", "» AD «"),
    (r"^By\s+\p{Lu}\pL+", "By Anna"),
    (r"(?i)straße", "STRASSE is not STRAẞE"),
    (r"(?i)\(@\w+\)\s*(jan|feb)\.? \d{1,2}", "— Ann (@ann) FEB. 5"),
    (_TOO_LONG_TO_HOLD, "This material may not be published, broadcast or redistributed."),
    (_TOO_LONG_TO_HOLD, "THE MATERIAL MAY NOT BE PUBLISHED, BROADCAST, REWRITTEN OR SOLD"),
    (_OPTIONAL_WORDS, "SHARE THIS STORY »"),
    (_OPTIONAL_WORDS, "» post to reddit"),
])
def test_placed_atoms_nominate_the_lines_they_match(pattern: str, line: str) -> None:
    placed = placed_atoms(pattern)
    assert placed is not None and _matches(pattern, line)
    assert _nominated(placed, line)


def test_a_word_inside_prose_is_not_nominated_for_a_label() -> None:
    placed = placed_atoms(r"(?i)^[^\pL\pN]*(share|like)[^\pL\pN]*$")
    assert placed is not None and {p for _, p, _ in placed} == {HEAD | TAIL}
    assert not _nominated(placed, "I would like to share this with you.")
    assert _nominated(placed, "  Share  ")


def test_patterns_without_a_promise_get_none() -> None:
    assert required_atoms(r"\w+") is None
    assert required_atoms(r"[[:alpha:]]+ing") is None  # POSIX classes: left to RE2
    assert placed_atoms(r"(?i)^.*$") is None
    assert required_atoms(r"(?i)colou?r") == frozenset({"color", "colour"})


def test_no_character_that_is_no_letter_or_number_casefolds_to_an_ascii_one() -> None:
    """What HEAD and TAIL rest on: punctuation before or after a label, casefolded, holds no
    ASCII letter or digit (and no character of another class does, either)."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char)[0] in "LN":
            continue
        folded = char.casefold()
        assert not any(c.isascii() and c.isalnum() for c in folded), hex(code)


def _reference(atoms: list[str], owners: list[tuple[tuple[int, int, int], ...]], text: str
               ) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for number, line in enumerate(text.split("\n")):
        for atom, pairs in zip(atoms, owners, strict=True):
            start = line.find(atom)
            while start >= 0:
                end = start + len(atom)
                before = sum(1 << _bit(c) for c in set(line[:start]) if _bit(c) >= 0)
                for pattern, place, allowed in pairs:
                    if place & HEAD and before & ~allowed:
                        continue
                    if place & TAIL and any(_bit(c) >= 0 for c in line[end:]):
                        continue
                    lines = found.setdefault(pattern, [])
                    if number not in lines:
                        lines.append(number)
                start = line.find(atom, start + 1)
    return {k: sorted(v) for k, v in found.items()}


def _bit(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    if "a" <= c.lower() <= "z" and c.isascii():
        return ord(c.lower()) - 87
    return -1


ALPHABET = "ab c1\n:éAÉßﬁ"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(ALPHABET.replace("\n", ""), min_size=1, max_size=4), min_size=1,
                max_size=6, unique=True),
       st.data(), st.text(ALPHABET + "xyz2ÿ", max_size=60))
def test_the_index_finds_what_a_plain_search_finds(atoms: list[str], data: st.DataObject,
                                                   text: str) -> None:
    owner = st.tuples(st.integers(0, 3), st.sampled_from([0, HEAD, TAIL, HEAD | TAIL]),
                      st.sampled_from([0, 1 << 1, (1 << 10) | (1 << 11), (1 << 36) - 1]))
    owners = [tuple(sorted(set(data.draw(st.lists(owner, min_size=1, max_size=3)))))
              for _ in atoms]
    index = _core.AtomIndex(atoms, owners, 4)
    assert index.nominate(text) == _reference(atoms, owners, text)
    assert index.nominate(text, True) == _reference(atoms, owners, text.casefold())
    # past the 64 positions the index remembers of a line (long lines, lines before)
    for filler in (": " * 40, "c1 " * 30, ("ab c\n" * 30)):
        long = filler + text + filler[::-1] + text
        assert index.nominate(long) == _reference(atoms, owners, long)
        assert index.nominate(long, True) == _reference(atoms, owners, long.casefold())


def test_an_atom_at_a_line_head_longer_than_the_index_remembers_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 64 characters"):
        _core.AtomIndex(["x" * 65], [((0, HEAD, 0),)], 1)
    assert _core.AtomIndex(["x" * 65], [((0, 0, 0),)], 1).nominate("a" + "x" * 65) == {0: [0]}


def test_the_shipped_analysis_is_the_analysis_of_the_built_in_packs() -> None:
    """rulebook/atoms.json: what a fresh analysis gives for every built-in pattern (`make
    atoms` rewrites it after a pack's pattern changes)."""
    from cleaner.rulebook.atoms import _shipped, builtin_patterns

    shipped = _shipped()
    patterns = set(builtin_patterns())
    assert set(shipped) == patterns, "a pack changed: run `make atoms`"
    for pattern in patterns:
        assert shipped[pattern] == placed_atoms(pattern), "run `make atoms`"


def test_a_mark_prose_seldom_uses_makes_a_short_atom_strong() -> None:
    # "(@" is in every embedded tweet's credit; the month names are in half of all prose.
    assert required_atoms(r"(?i)[—–-]\s*[^—–(]+\(@\w+\)\s*(january|may|june)\.? \d{1,2}") \
        == frozenset({"(@"})
    assert required_atoms(r"\w, \w") is None  # a comma and a space are prose's own


def test_a_label_too_long_to_hold_whole_is_placed_by_how_it_starts() -> None:
    placed = placed_atoms(_TOO_LONG_TO_HOLD)
    assert placed is not None and all(place & HEAD for _, place, _ in placed)
    assert {atom[:13] for atom, _, _ in placed} == {"this material", "the material "}
    assert all(len(atom) <= MAX_LENGTH for atom, _, _ in placed)


def test_optional_words_after_a_label_leave_it_placed_by_its_first_word() -> None:
    placed = placed_atoms(_OPTIONAL_WORDS)
    assert placed is not None
    assert {(atom, place) for atom, place, _ in placed} == \
        {("share", HEAD), ("email", HEAD), ("post", HEAD), ("pin", HEAD)}
    assert not _nominated(placed, "He wanted to share this with everyone on Facebook.")


def test_a_class_opening_with_a_bracket_is_read_without_pythons_future_warnings() -> None:
    """RE2 reads "[[]" as a class holding "["; Python's parser warns that it may one day read
    a nested set there, a warning about Python's syntax, not the pack's."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert required_atoms("note[[]s") == frozenset({"note[s"})
        assert placed_atoms(r"^[^\pL\pN]*(cite[[]1]|see also)$") is not None
