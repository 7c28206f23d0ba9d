"""Errors a user can act on.

Every error the CLI reports comes from here and carries one line that names the file, the
line or the rule id, and says what to do; the CLI prints it and exits 2, never a traceback.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base of every error meant for the user: its message is the whole report."""


class RuleError(CleanerError):
    """A rule pack that cannot be loaded or compiled."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 rule_id: str | None = None) -> None:
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        rule = f"rule {rule_id}: " if rule_id else ""
        super().__init__(f"{where}{rule}{message}")
        self.path = path
        self.line = line
        self.rule_id = rule_id


class InputError(CleanerError):
    """Input that cannot be read as the format it claims to be."""


class UsageError(CleanerError):
    """Options that contradict each other or name something that does not exist."""


class WorkerError(CleanerError):
    """A worker process that died under the run (a signal, the out-of-memory killer)."""


class OutputError(CleanerError):
    """An output that cannot be written (a missing or read-only folder, a full disk)."""
