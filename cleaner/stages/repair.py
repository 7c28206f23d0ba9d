"""Unicode repair with ftfy, on the few lines that show signs of mojibake.

ftfy's `fix_text` runs at a few MB/s, far too slow for every line of a dataset; one regex
search for the characters that mis-decoding leaves behind runs at C speed and picks the lines
worth repairing. Settings are conservative: line breaks, quotes, ligatures, widths, HTML
entities and control characters are left alone, so repair never changes what a line says,
only how it was decoded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cleaner._core import has_mojibake
from cleaner.page import Page

# UTF-8 read as Latin-1/cp1252 leaves C1 controls, "Ã"/"Â" before a Latin-1 continuation
# character, "â€" (the start of curly quotes and dashes), and "Ð"/"Ñ" pairs (Cyrillic):
# `_core.has_mojibake` looks for them.

@lru_cache(maxsize=1)
def _ftfy() -> tuple[Any, Any]:
    """ftfy and its settings, imported at the first line that needs them: most pages have
    none, and the import is a tenth of a one-file run's start-up."""
    import ftfy

    return ftfy, ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


def repair_line(line: str) -> str:
    """ftfy's repair of one line, conservative settings; unchanged when nothing is wrong."""
    if not has_mojibake(line):
        return line
    ftfy, config = _ftfy()
    return str(ftfy.fix_text(line, config))


class RepairStage:
    name = "repair"

    def apply(self, page: Page) -> None:
        if not has_mojibake(page.text):
            return
        for i, line in enumerate(page.lines):
            fixed = repair_line(line)
            if fixed != line and "\n" not in fixed:
                page.replace(i, fixed)
