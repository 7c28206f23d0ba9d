"""The threads stage: a comment thread under an article goes as one block.

Runs after the rules, which take the thread's own chrome ("Leave a Reply", "Reply", the form's
fields): the thread is recognised on the page as the rules left it, their removals included,
since a "Reply" button still shows a record's shape (threads.py). `comments="keep"` keeps the
readers' text, out of the content stage's reach too; the controls go either way, and on a page
whose thread is its content (a forum, a Q&A page) only the controls and the records' headers
go.
"""

from __future__ import annotations

from cleaner.document import Reason
from cleaner.htmldom import PAGE_SIGNAL_NAMES
from cleaner.options import Comments
from cleaner.page import Page
from cleaner.threads import find_threads, marked_threads, under_article

_DECLARES_COLLECTION = PAGE_SIGNAL_NAMES.index("declares_collection")
_DECLARES_PRODUCT = PAGE_SIGNAL_NAMES.index("declares_product")
_THREAD = Reason(stage="threads", action="drop-block")
_CONTROL = Reason(stage="threads", action="drop-line")


class ThreadStage:
    name = "threads"

    def __init__(self, comments: Comments = "drop") -> None:
        self.comments = comments

    def apply(self, page: Page) -> None:
        threads = find_threads(page.lines)
        evidence = page.state.html
        declared_forum = False
        # The marks belong to the DOM dump's lines; a page cleaned from trafilatura's text
        # instead (the gate's choice, or a dump with no visible line) has none.
        if evidence is not None and evidence.comments is not None \
                and len(evidence.comments) == len(page.state.lines):
            marked = [bool(evidence.comments[o]) for o in page.origin]
            threads += marked_threads(page.lines, marked)
            # A page that declares itself a discussion, a Q&A page or a product: its posts and
            # its reviews are content.
            declared_forum = bool(evidence.signals[_DECLARES_COLLECTION]
                                  or evidence.signals[_DECLARES_PRODUCT])
        if not threads:
            return
        # Decided once per document, on the first pass that sees a thread: later passes see
        # the page with other stages' removals gone (a forum's "Start date" lines, a first
        # post's header), and would misread a forum's first posts as an article.
        verdict = page.state.thread_verdict
        if verdict is None:
            kept = [page.kept(i) for i in range(len(page))]
            verdict = not declared_forum and under_article(page.lines, threads, kept)
            page.state.thread_verdict = verdict
        drop = verdict and self.comments == "drop"
        protect: set[int] = set()
        for thread in threads:
            if drop:
                for i in range(thread.start, thread.end + 1):
                    page.drop(i, _THREAD)
                continue
            # A forum's posts stay, without the buttons and the headers around them: what is
            # left reads as text, so cleaning it again finds no thread to judge anew.
            for i in (*thread.headers, *thread.controls):
                page.drop(i, _CONTROL)
            if self.comments == "keep":
                protect.update(i for i in range(thread.start, thread.end + 1)
                               if page.kept(i))
        if protect:
            page.protected = page.protected | frozenset(protect)
