"""The one interface every stage has."""

from __future__ import annotations

from typing import Protocol

from cleaner.page import Page


class Stage(Protocol):
    """Marks lines of a page as dropped (with a reason) or, for repair, fixes their text."""

    name: str

    def apply(self, page: Page) -> None: ...
