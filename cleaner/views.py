"""Ways of looking at a `Result`: a unified diff and JSON explanation lines.

These are views, not separate code paths: they read what the chain recorded.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator

from cleaner.document import Result


def unified_diff(result: Result, name: str = "input") -> str:
    return text_diff(result.document.text, result.text, name)


def text_diff(before_text: str, after_text: str, name: str) -> str:
    """The one diff both commands print: one line of context, a/ and b/ names."""
    before = before_text.splitlines(keepends=True)
    after = after_text.splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, fromfile=f"a/{name}", tofile=f"b/{name}",
                                 n=1)
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def explain_lines(result: Result) -> Iterator[str]:
    """One JSON line per removal, in the order of the original text, then one per flag
    (max-removal: the guard kept the best block; unstable: the pass limit was reached)."""
    doc_id = result.document.id
    for removal in sorted(result.removals, key=lambda r: (r.start, r.end)):
        yield _json_line(removal.as_dict(doc_id))
    for flag in result.flags:
        yield json.dumps({"id": doc_id, "flag": flag, "note": FLAG_NOTES.get(flag, "")},
                         ensure_ascii=False)


def _json_line(value: dict[str, object]) -> str:
    """One JSON line, UTF-8 where it can be; a text with undecodable input bytes (lone
    surrogates) is written with escapes, which any JSON reader takes."""
    line = json.dumps(value, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True)
    return line


FLAG_NOTES = {
    "oversize": "the document is larger than --max-doc-bytes; written through unchanged",
    "html-flattened": "the HTML nested deeper than the parser's limit; its layout containers "
                      "(div, span, section) were taken out so that no text was lost",
    "html-truncated": "the HTML nested deeper than the parser's limit even without its layout "
                      "containers; text past that point is missing from the output",
    "max-removal": "cleaning would have removed more than --max-removal of the words; "
                   "kept the best block",
    "unstable": "the chain still changed the text after the pass limit",
    "extraction": "the page gate preferred trafilatura's text to the line model's choice; "
                  "line numbers refer to that text",
    "no-extraction": "trafilatura found no main text in the HTML; the text model scored the "
                     "page's visible lines instead",
}
