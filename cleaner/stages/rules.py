"""The rules stage: the compiled rule packs, run over each page."""

from __future__ import annotations

from cleaner.page import Page
from cleaner.rulebook.actions import apply_hit
from cleaner.rulebook.compiler import RuleSet


class RulesStage:
    name = "rules"

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset

    def apply(self, page: Page) -> None:
        for hit in self.ruleset.find(page):
            apply_hit(page, hit)
