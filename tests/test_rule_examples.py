"""Every rule's drop and keep examples, one test each (ids like `ads.label:keep[0]`)."""

from __future__ import annotations

import pytest

from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.loader import load_packs
from cleaner.rulebook.selftest import ExampleCase, cases

PACKS = load_packs()
EVERYTHING = RuleSet.from_packs(PACKS)
CASES = list(cases(PACKS))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_example(case: ExampleCase) -> None:
    assert case.check(EVERYTHING) is None


def test_every_rule_has_near_miss_keep_examples() -> None:
    for pack in PACKS:
        for rule in pack.rules:
            assert rule.examples.keep, rule.id
            assert rule.examples.drop, rule.id


def test_pack_names_match_their_files() -> None:
    for pack in PACKS:
        assert pack.path.endswith(f"{pack.name}.yaml")
