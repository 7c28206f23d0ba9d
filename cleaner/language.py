"""The page's language, cheaply, and its stopwords.

Stopword density is among the strongest signals that a line is prose, and it only works in
the page's own language. Detection counts hits of the first few hundred words against the
stoplists of the languages most common on the web; the lists are jusText's (BSD), which
trafilatura already installs, read from its package folder once per process. jusText itself is
not imported: its core needs lxml's HTML cleaner, a separate project that a fresh install of
jusText may not bring, and the lists are all we use.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from cleaner import _core
from cleaner.errors import CleanerError

# jusText list name -> ISO 639-1 code; the languages that cover most of the web's pages.
LANGUAGES = {
    "English": "en", "German": "de", "French": "fr", "Spanish": "es", "Italian": "it",
    "Portuguese": "pt", "Dutch": "nl", "Russian": "ru", "Polish": "pl", "Swedish": "sv",
    "Danish": "da", "Norwegian_Bokmal": "no", "Finnish": "fi", "Czech": "cs", "Slovak": "sk",
    "Hungarian": "hu", "Romanian": "ro", "Turkish": "tr", "Greek": "el", "Ukrainian": "uk",
    "Bulgarian": "bg", "Croatian": "hr", "Serbian": "sr", "Slovenian": "sl", "Catalan": "ca",
    "Indonesian": "id", "Malay": "ms", "Vietnamese": "vi", "Tagalog": "tl", "Lithuanian": "lt",
    "Latvian": "lv", "Estonian": "et", "Arabic": "ar", "Persian": "fa", "Hebrew": "he",
    "Hindi": "hi", "Swahili": "sw", "Afrikaans": "af", "Galician": "gl", "Basque": "eu",
}
SAMPLE_WORDS = 400


def _stoplists() -> Path:
    """jusText's stoplists folder, found without importing the package."""
    spec = importlib.util.find_spec("justext")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        folder = Path(location) / "stoplists"
        if folder.is_dir():
            return folder
    raise CleanerError("jusText's stoplists are missing: pip install jusText")


@lru_cache(maxsize=1)
def _texts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The languages' codes and their stoplists' texts, one word a line, in `LANGUAGES` order
    (those jusText has)."""
    codes: list[str] = []
    texts: list[str] = []
    folder = _stoplists()
    for name, code in LANGUAGES.items():
        path = folder / f"{name}.txt"
        if not path.is_file():
            continue
        # As jusText's get_stoplist reads them (UTF-8, lower-cased), then casefolded: the
        # whole file at once, which maps each line as line by line would (a line break is
        # no cased letter, so Greek's final sigma reads the same) in a tenth of the time.
        codes.append(code)
        texts.append(path.read_bytes().decode("utf8").lower().casefold())
    return tuple(codes), tuple(texts)


@lru_cache(maxsize=1)
def _tables() -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    """The languages' codes and their stopwords, in `LANGUAGES` order."""
    codes, texts = _texts()
    return codes, tuple(frozenset(text.splitlines()) for text in texts)


MIN_HITS = 5


@lru_cache(maxsize=1)
def stoplist_index() -> dict[str, tuple[int, ...]]:
    """Each stopword and the languages (indices of `code`) whose lists hold it (the
    reference the compiled word table is tested against)."""
    index: dict[str, tuple[int, ...]] = {}
    for lang, words in enumerate(_tables()[1]):
        for word in words:
            index[word] = (*index.get(word, ()), lang)
    return index


def page_language(lines: list[str]) -> str | None:
    """The ISO code of a page's language, or None when too few words say it."""
    best, hits = word_table().language(lines, SAMPLE_WORDS)
    return _texts()[0][best] if hits >= MIN_HITS else None


@lru_cache(maxsize=1)
def word_table() -> _core.WordTable:
    """The stoplists' words, and the chrome words the content model counts, as the compiled
    core looks them up (built once per process, at first use, from the stoplists' texts: no
    Python object per word)."""
    from cleaner.content.features import CHROME_WORDS

    return _core.WordTable(_texts()[1], CHROME_WORDS)


def detect(words: list[str]) -> int:
    """Index of the language whose stopwords the words hit most (0, English, if none)."""
    return word_table().language([" ".join(words)], SAMPLE_WORDS)[0]


def code(lang: int) -> str:
    return _texts()[0][lang]


def stopwords(lang: int) -> frozenset[str]:
    return _tables()[1][lang]
