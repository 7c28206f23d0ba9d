"""cleaner: strip boilerplate from scraped web pages, keep every sentence of the article.

>>> import cleaner
>>> cleaner.clean("Advertisement\\nThe council voted on Tuesday to keep the library open.\\n")
'The council voted on Tuesday to keep the library open.\\n'
"""

from __future__ import annotations

from cleaner.chain import Cleaner, clean
from cleaner.document import Document, Reason, Removal, Result
from cleaner.errors import CleanerError, InputError, RuleError, UsageError
from cleaner.options import Options, OptionValues

__version__ = "0.1.0"

__all__ = [
    "Cleaner",
    "CleanerError",
    "Document",
    "InputError",
    "OptionValues",
    "Options",
    "Reason",
    "Removal",
    "Result",
    "RuleError",
    "UsageError",
    "__version__",
    "clean",
]
