"""Features of each line of a page dump, for the content model.

A line alone says little ("Related" and "Why did it fail?" are both short); its neighbours and
its page say the rest. So each line gets its own features, the same features of the lines
around it, and features of the page (its size, its language's stopword rate, where its
densest run of long lines lies). The compiled kernel computes them (`_core.line_rows`, and
`_core.LineModel` for a pass of the content stage); this module holds the words they read.
"""

from __future__ import annotations

from cleaner import _core, language

# Words that site chrome is made of, in the languages the rule packs cover. A line's share of
# them is a soft, learned version of what the rules say outright.
CHROME_WORDS = frozenset({
    "advertisement", "advertising", "sponsored", "cookie", "cookies", "privacy", "policy",
    "terms", "conditions", "login", "log", "sign", "signin", "signup", "register", "subscribe",
    "subscription", "newsletter", "share", "shares", "tweet", "comment", "comments", "reply",
    "replies", "copyright", "rights", "reserved", "menu", "search", "home", "contact", "follow",
    "facebook", "twitter", "instagram", "youtube", "linkedin", "pinterest", "whatsapp", "tiktok",
    "related", "read", "more", "trending", "popular", "tags", "tag", "category", "categories",
    "posted", "author", "views", "likes", "click", "download", "app", "cart", "account",
    "password", "email", "skip", "navigation", "toggle", "previous", "next", "back", "top",
    "sitemap", "careers", "about", "faq", "help", "support", "checkout",
    "wishlist", "loading", "javascript", "browser", "anzeige", "werbung", "datenschutz",
    "impressum", "anmelden", "suche", "teilen", "kommentar", "kommentare", "mehr", "publicité",
    "confidentialité", "connexion", "rechercher", "partager", "commentaires", "accueil",
    "publicidad", "privacidad", "buscar", "compartir", "comentarios", "inicio", "pubblicità",
    "cerca", "condividi", "commenti", "publicidade", "pesquisar", "partilhar", "comentários",
    "reclame", "zoeken", "delen", "reacties", "реклама", "поиск", "войти", "поделиться",
    "комментарии", "главная", "подписаться"
})
# The columns and how each is computed are the compiled kernel's (cleaner/_core_src/rows.pxi),
# defined there once: the order and meaning of the columns is the model's contract, stored
# beside the trees and checked when the model loads.
LONG_LINE_CHARS: int = _core.LONG_LINE_CHARS
FEATURE_NAMES: tuple[str, ...] = _core.FEATURE_NAMES

word_table = language.word_table
