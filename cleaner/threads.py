"""Comment threads in a page's text, recognised as a unit: records of a header (who and
when), the reader's text, and the thread's controls (reply, permalink, score), repeated.

A line alone does not say it is a comment: "Great article, thanks!" could be a pull quote, and
"July 28, 2012 at 4:40 pm" a dateline. The record shape does: a short header line with a date
or a "says:", a few lines of text, controls, then the next header, several times over. Under
an article the thread is the readers', not the page's; on a forum or a Q&A page the posts are
the page's content, and only the controls around them are chrome. What the page is comes from
the text before the thread: an article has one, a forum thread starts with its first post.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from cleaner import _core

LineKind = Literal["header", "control", "text"]

# A header is short: a name, a date, a "says:", a score, not a sentence.
HEADER_MAX_WORDS = 16
# A control line is short and made of the thread's buttons and counts.
CONTROL_MAX_WORDS = 10
# Records a thread must have, and the most lines one record may hold (its text and controls).
MIN_RECORDS = 2
MAX_RECORD_LINES = 40
# A record with no header line is read between two controls: a name and a few paragraphs.
# More lines than this there are the page going on after its last comment.
HEADLESS_RECORD_LINES = 8
# Prose before the thread that makes the page an article: characters in sentence lines of
# PROSE_LINE_CHARS or more (some 150 words). A forum or Q&A page has less there: its title and
# rules, and then its first post, which is the thread's first record.
ARTICLE_MIN_CHARS = 900
PROSE_LINE_CHARS = 70
# Records that carry moderation scores ("(Score:5, Insightful)", Slash-style sites) are
# readers' comments on a story, which may be a summary of a few sentences; so is a thread
# under a heading that counts the page's comments ("12 Comments", "Komentarze (4)",
# "3 thoughts on “Title”"): a forum numbers its replies and posts, not its comments.
SCORED_MIN_CHARS = 300
# How far above a thread's first record its heading may stand: non-blank lines, each short
# (the section's sort and form buttons sit between).
HEADING_REACH = 12
# Records with neither controls nor strong headers are a thread only right under a heading,
# within this many short lines, that counts the comments ("59 Comments on “Title”"), or under
# any comment heading when their headers sign them from below ("Posted by: Name | March 13,
# 2009"); and not on a listing, whose items count their comments. Dated lines under a bare
# "Comments" are not enough: where the page loads its thread later, a sidebar's dated
# teasers follow.
BARE_HEADING_REACH = 4

_MONTH = (
    r"jan(?:uary|vier|uar|uari)?|feb(?:ruary|ruar|ruari)?|f[ée]vrier|febbraio|fevereiro|"
    r"mar(?:ch|s|zo|ço)?|m[äa]rz|maart|apr(?:il|ile)?|avril|abril|may|mai|maio|mayo|maggio|"
    r"mei|june?|juin|junio|giugno|junho|juni|july?|juillet|julio|luglio|julho|juli|"
    r"aug(?:ust|ustus)?|ao[ûu]t|agosto|sep(?:t|tember|tembre|tiembre|tembro)?|settembre|"
    r"oct(?:ober|obre)?|okt(?:ober)?|octubre|ottobre|outubro|nov(?:ember|embre|iembre|embro)?|"
    r"dec(?:ember)?|d[ée]cembre|dez(?:ember|embro)?|diciembre|dicembre|enero|gennaio|janeiro"
)
_YEAR = r"(?:\d{4}|'\d{2})"
_TIME = r"\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?\s?m\.?)?"
_ABSOLUTE = (
    rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_MONTH})\.?,?(?:\s+{_YEAR})?"
    rf"|\b(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b,?(?:\s+{_YEAR})?"
    rf"|\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b)"
)
_UNIT_EN = (r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|"
            r"mos?|years?|yrs?|y)\.?")
_RELATIVE = (
    rf"(?:\b(?:\d+|an?|one)\s*{_UNIT_EN}\s+ago\b"
    r"|\bvor\s+(?:\d+|einer?|einem)\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|"
    r"monat(?:en)?|jahr(?:en)?)\b"
    r"|\bil y a\s+(?:\d+|une?)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b"
    r"|\bhace\s+(?:\d+|una?)\s+(?:segundos?|minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?|"
    r"años?)\b"
    r"|\b(?:\d+|un[ao]?)\s+(?:secondi|minuti|ore|giorni|settimane|mesi|anni|ora|giorno|mese|"
    r"anno)\s+fa\b"
    r"|\bh[áa]\s+(?:\d+|uma?)\s+(?:segundos?|minutos?|horas?|dias?|semanas?|mes(?:es)?|"
    r"anos?)\b"
    r"|\b(?:\d+|een)\s+(?:seconden|minuten|uur|dagen|dag|weken|week|maanden|maand|jaar)\s+"
    r"geleden\b"
    r"|\b\d+\s+(?:секунд\w*|минут\w*|час\w*|дн\w*|день|недел\w*|месяц\w*|год\w*|лет)\s+назад"
    r"|\b\d+\s+(?:секунд\w*|хвилин\w*|годин\w*|дн\w*|день|тижн\w*|тиждень|місяц\w*|рок\w*|"
    r"рік)\s+тому"
    r"|\bför\s+(?:\d+|en|ett)\s+(?:sekunder?|minuter?|timmar?|timme|dagar?|veckor?|vecka|"
    r"månader?|år)\s+sedan\b"
    r"|\bfor\s+(?:\d+|en|et|ett)\s+(?:sekunder|minutter?|timer?|dage?|dager|døgn|uger?|uker?|"
    r"måneder|måned|år)\s+siden\b"
    r"|\b\d+\s+(?:sekuntia|minuuttia|tuntia|tunti|päivää|päivä|viikkoa|viikko|kuukautta|"
    r"kuukausi|vuotta|vuosi)\s+sitten\b"
    r"|\bp[řr]ed\s+(?:\d+\s+)?(?:sekund\w*|minut\w*|minút\w*|hodin\w*|dn[yíia]\w*|dň\w*|"
    r"týd\w*|týžd\w*|měsíc\w*|mesiac\w*|rok\w*|let)\b"
    r"|\b\d+\s+(?:másodperce|perce|órája|napja|hete|hónapja|éve)\b"
    r"|\bacum\s+(?:\d+|o|un)\s+(?:secunde|secundă|minute|minut|ore|oră|zile|zi|săptămâni|"
    r"săptămână|luni|lună|ani|an)\b"
    r"|\b\d+\s+(?:saniye|dakika|saat|gün|hafta|ay|yıl)\s+önce\b"
    r"|\bfa\s+(?:\d+|una?)\s+(?:segons?|minuts?|hores|hora|dies|dia|setmanes|setmana|mesos|"
    r"mes|anys?)\b"
    # Japanese, Chinese and Korean: "3時間前", "3小时前", "3시간 전".
    r"|\d+\s*(?:秒|分|時間|日|週間|か月|ヶ月|カ月|年)前"
    r"|\d+\s*(?:秒钟|秒鐘|分钟|分鐘|小时|小時|天|周|週|个月|個月)前"
    r"|\d+\s*(?:초|분|시간|일|주|개월|달|년)\s*전)"
)
# "Name says:", and Blogger's "Name said..." as its translations word it.
_SAYS = (r"\b(?:says|said|wrote|writes|schreibt|schrieb|sagte|a [ée]crit|dit|escribi[óo]|"
         r"dijo|dice|scrive|ha scritto|ha detto|escreveu|disse|schreef|zei|napisał\w*|"
         r"написал\w*)\s*(?::|\.\.\.|…)\s*$")
# Slashdot-style: "by Name (222434) on Tuesday July 24, @10:34AM (#40749375)",
# "Re:SEO.....duh (Score:5, Insightful)".
_SCORED = r"\(score:\s*-?\d+|^by\s+\S.{0,60}\(\d+\)|\(#\d{4,}\)"


class _OnFirstUse:
    """A regex compiled at its first search: the multilingual ones take milliseconds to
    compile (a one-file run's start-up), and most pages never pass the gate that leads to
    them. Once compiled, the pattern's own methods stand in for these (no call between)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern, self._flags = pattern, flags

    def _compile(self) -> re.Pattern[str]:
        compiled = re.compile(self._pattern, self._flags)
        self.search = compiled.search  # type: ignore[method-assign,assignment]
        self.match = compiled.match  # type: ignore[method-assign,assignment]
        self.findall = compiled.findall  # type: ignore[method-assign,assignment]
        self.sub = compiled.sub  # type: ignore[method-assign,assignment]
        return compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self._compile().search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self._compile().match(text)

    def findall(self, text: str) -> list[str]:
        return self._compile().findall(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._compile().sub(replacement, text)


_DATE_OR_TIME = _OnFirstUse(rf"{_ABSOLUTE}|{_RELATIVE}|\b{_TIME}\b|@\s?{_TIME}", re.I)
_RELATIVE_DATE = _OnFirstUse(_RELATIVE, re.I)
_SAYS_END = _OnFirstUse(_SAYS, re.I)
_ABSOLUTE_DATE = _OnFirstUse(_ABSOLUTE, re.I)
_CLOCK = _OnFirstUse(rf"\b{_TIME}\b|@\s?{_TIME}", re.I)
_STRONG_HEADER = re.compile(rf"{_SAYS}|{_SCORED}", re.I)
_SCORE = re.compile(r"\(score:\s*-?\d+", re.I)
# What forum and Q&A software prints in a post's header, and a news site's comments do not.
FORUM_MARK = re.compile(r"\b(?:asked|answered|edited|modified|start date|registered|joined|"
                    r"member since|last edited|posts?:|beiträge:|mitglied seit|inscrit|"
                    r"messages:|registrado)|^#\d+\b|\bpost #\d+", re.I)
# A reply's depth on a line of its own, which a forum's threaded replies print and a news site's
# comments do not ("level 1", "level 2": Reddit's).
_NESTING = re.compile(r"^\s*level\s+\d{1,2}\s*$", re.I)
# Every header has a digit, a colon, a bracket or a relative date's word: most short lines
# have none of these and need no further look.
_HEADER_HINT = re.compile(r"\d|:|\(|\.\.\.\s*$|…\s*$|"
                          r"\b(?:ago|vor|il y a|hace|fa|h[áa]|geleden|назад|тому|sedan|"
                          r"siden|sitten|před|pred|acum|önce)\b",
                          re.I)
# No header or control line is longer than this many characters.
_LONGEST_SHORT_LINE = 300
# Nor a comment section's heading (WordPress's "N thoughts on" quotes the post's title);
# every other heading is at most _SHORT_HEADING characters.
_LONGEST_HEADING = 260
_SHORT_HEADING = 80
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』]*\s*$")
# A comment section's heading, in the languages threads are read in (README): a count of
# comments ("12 Comments", "1,204 Comments", "Comments (12)", "124 Reader Comments", "3
# comments · 2 replies"), WordPress's count of thoughts, responses or comments on the post's
# quoted title, as its translations word it, or the section's name ("Comments", "Readers'
# comments", "Diskutieren Sie mit", "I commenti dei lettori", "Responses (31)"). A forum
# numbers its replies and posts, not its comments.
_COUNT = (r"(?:\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d)?\s?[km]|(?!0+\b)\d+|"
          r"one|two|three|four|five|six|seven|eight|nine|ten)")
# Japanese, Chinese and Korean count with no space and a counter word ("3件のコメント",
# "12条评论"; Korean spaces it, "3개의 댓글", "댓글 3개"). A counter and its noun are one run
# of letters, the word the compiled gate reads: both forms are heading nouns.
CJK_COMMENT_NOUNS = frozenset({"コメント", "评论", "評論", "留言", "댓글"})
CJK_COUNTERS = ("件の", "条", "條")
# The nouns a heading counts, in the forms the languages of the stoplists give them
# (casefolded).
COMMENT_NOUNS = frozenset({
    "comment", "comments", "kommentar", "kommentare", "commentaire", "commentaires",
    "comentario", "comentarios", "commenti", "commento", "comentário", "comentários",
    "reacties", "reactie", "komentarz", "komentarze", "komentarzy", "комментарий",
    "комментария", "комментариев", "комментарии", "kommentarer", "kommentti", "kommenttia",
    "kommentit", "komentář", "komentáře", "komentářů", "komentár", "komentáre", "komentárov",
    "hozzászólás", "hozzászólások", "komment", "kommentek", "comentariu", "comentarii",
    "yorum", "yorumlar", "comentari", "comentaris", "коментар", "коментарі", "коментарів",
    "коментаря",
    *CJK_COMMENT_NOUNS,
    *(counter + noun for counter in CJK_COUNTERS for noun in CJK_COMMENT_NOUNS - {"댓글"})})
THOUGHT_NOUNS = frozenset({
    "thought", "thoughts", "response", "responses", "reply", "replies", "reaction",
    "reactions", "gedanke", "gedanken", "antworten", "réflexion", "réflexions", "réponse",
    "réponses", "pensamiento", "pensamientos", "respuesta", "respuestas", "pensieri",
    "risposte", "pensamento", "pensamentos", "resposta", "respostas", "gedachte", "gedachten",
    "odpowiedzi", "przemyślenie", "przemyślenia", "мысли", "мысль", "мысля", "ответ", "ответа",
    "ответов"})


# The one-word section names (`_SECTION`) a count may follow ("Discussion (12)", "Diskuze
# (41)"): nouns of the gate's headings too.
SECTION_NOUNS = frozenset({"discussion", "conversation", "diskussion", "leserkommentare",
                           "réactions", "debatt", "debat", "keskustelu", "diskuze", "diskuzi",
                           "diskuse", "diskusia"})


def _either(words: frozenset[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))) + ")"


_COMMENTS = rf"(?:(?:reader\s+)?{_either(COMMENT_NOUNS)})"
_THOUGHTS = _either(THOUGHT_NOUNS)
_SECTION = (r"(?:(?:the\s+|your\s+)?(?:readers?['’]?\s+)?comments(?:\s+from\s+(?:our\s+)?readers)?|"
            r"responses|discussion|conversation|join\s+the\s+(?:discussion|conversation)|"
            r"(?:leser)?kommentare|diskussion|diskutieren\s+sie\s+mit|"
            r"(?:les\s+|vos\s+)?(?:commentaires|réactions)|"
            r"(?:los\s+)?comentarios(?:\s+de\s+(?:los\s+)?lectores)?|"
            r"(?:i\s+)?commenti(?:\s+dei\s+lettori)?|(?:os\s+)?comentários(?:\s+dos\s+leitores)?|"
            r"reacties|komentarze|комментарии|коментарі|kommentarer|debatt?|kommentit|"
            r"keskustelu|diskuz[ei]|diskuse|diskusia|komentáře|komentáre|hozzászólások|"
            r"kommentek|comentarii|yorumlar|comentaris|网友评论|網友評論|"
            rf"{_either(CJK_COMMENT_NOUNS)})")
_ON = r"(?:on|to|zu|zum|sur|à|en|sobre|su|a|em|para|op|over|bij|do|na\s+temat|на|к|о)"
_CJK_COUNTED = (rf"\d+\s*(?:{'|'.join(CJK_COUNTERS)})?{_either(CJK_COMMENT_NOUNS)}|"
                rf"\d+\s*개의\s+댓글|"
                rf"{_either(CJK_COMMENT_NOUNS)}\s*[(（]?\s*\d+\s*(?:件|条|條|개)?\s*[)）]?")
_COMMENT_HEADING = _OnFirstUse(
    rf"^\W*(?:{_COUNT}\s+{_COMMENTS}(?:\s*[·|•,]\s*{_COUNT}\s+{_THOUGHTS})?|"
    rf"(?:{_COMMENTS}|{_SECTION})\s*[(\[（]\s*{_COUNT}\s*[)\]）]|"
    rf"{_SECTION}(?:\s+{_COUNT})?|{_CJK_COUNTED}|"
    rf"{_COUNT}\s+(?:{_COMMENTS}|{_THOUGHTS})\s+{_ON}\s+[\"“‘'«„‚»].{{1,200}})\W*$", re.I)
# A header that signs its record from below: the record's text stands above it. Its first
# words, for the compiled gate (which reads a line's first word).
SIGNATURE_WORDS = frozenset({
    "posted", "written", "geschrieben", "verfasst", "publié", "posté", "publicado", "escrito",
    "pubblicato", "scritto", "postado", "geplaatst", "dodane", "napisane"})
_SIGNATURE = _OnFirstUse(
    rf"^\W*(?:{'|'.join(sorted(SIGNATURE_WORDS))})\s+(?:by|von|par|por|da|door|przez)\b", re.I)
# A record's count of votes or recommendations: a number and a word or two, either way round
# ("9 Empfehlungen", "Recommend 17", "Нравится 2").
_VOTES = re.compile(r"^\W*(?:\d+(?:[.,]\d+)?\s*[^\W\d_]+(?:\s+[^\W\d_]+)?|"
                    r"[^\W\d_]+(?:\s+[^\W\d_]+)?\s*\W?\d+(?:[.,]\d+)?\W?)\W*$")
# The most such counts one record's buttons leave on the lines below them.
MAX_TALLY_LINES = 3
_WORD = re.compile(r"[^\W\d_]{2,}")

# Words of a thread's controls, in the languages threads are read in; a control line needs
# one of the STRONG ones (a "Share" or "2 likes" alone may be an article's).
STRONG_CONTROLS = frozenset({
    "reply", "replies", "permalink", "report", "flag", "upvote", "downvote", "upvotes",
    "downvotes", "points", "point", "score", "parent", "quote", "antworten", "antwort",
    "melden", "zitieren", "répondre", "repondre", "signaler", "citer", "responder",
    "denunciar", "citar", "rispondi", "segnala", "cita", "beantwoorden", "reageer",
    "reageren", "ответить", "пожаловаться", "цитировать", "odpowiedz", "zgłoś", "svara",
    "rapportera", "vastaa", "odpovědět", "yanıtla", "responda", "anmäl", "svar", "rapportér",
    "rapporter", "anmeld", "ilmoita", "nahlásit", "odpovedať", "nahlásiť", "válasz",
    "válaszol", "jelentés", "răspunde", "raportează", "cevapla", "şikayet", "şikâyet",
    "respon", "відповісти", "поскаржитися", "返信", "通報", "回复", "回覆", "举报", "舉報",
    "답글", "신고",
})
WEAK_CONTROLS = frozenset({
    "to", "this", "share", "like", "likes", "unlike", "vote", "votes", "up", "down", "link",
    "save", "award", "embed", "follow", "block",
    "edit", "delete", "hide", "show", "collapse", "expand", "more", "less", "abuse", "spam",
    "recommend", "recommended", "helpful", "thread", "log", "login", "in", "sign", "or",
    "and", "comment", "comments", "insightful", "informative", "interesting", "funny",
    "offtopic", "troll", "flamebait", "redundant", "overrated", "underrated", "teilen",
    "gefällt", "mir", "partager", "aime", "compartir", "me", "gusta", "condividi", "mi",
    "piace", "partilhar", "gosto", "curtir", "curtida", "curtidas", "lubię", "delen",
    "поделиться", "нравится", "da", "a", "de", "à",
    "von", "sur", "su", "em", "op", "на", "gilla", "dela", "tykkää", "jaa", "líbí",
    "sdílet", "tetszik", "megosztás", "beğen", "paylaş", "いいね", "赞", "点赞", "讚", "分享",
    "좋아요", "공유",
})


@lru_cache(maxsize=1 << 14)
def line_kind(line: str) -> LineKind:
    """What a line is in a thread's record: its header, a control, or text. (Cached: the
    chain's passes see the same lines again, and most lines are long text, decided by their
    length alone.)"""
    if len(line) > _LONGEST_SHORT_LINE:
        return "text"
    words = line.split()
    n = len(words)
    if n == 0:
        return "text"
    if n <= CONTROL_MAX_WORDS and _is_control(line):
        return "control"
    if n <= HEADER_MAX_WORDS and _HEADER_HINT.search(line) and _is_header(line):
        return "header"
    return "text"


_CONTROL_WORDS = _core.ControlWords(STRONG_CONTROLS, WEAK_CONTROLS, SIGNATURE_WORDS,
                                    COMMENT_NOUNS | THOUGHT_NOUNS | SECTION_NOUNS)


def _is_control(line: str) -> bool:
    """The line's words (runs of two letters or more, casefolded) are all the controls'
    words, one of them strong."""
    return _CONTROL_WORDS.is_control(line)


def _is_signature(line: str) -> bool:
    """A header that signs its record from below: "Posted by: Name | March 13, 2009"."""
    return _SIGNATURE.match(line) is not None and _DATE_OR_TIME.search(line) is not None


def _is_header(line: str) -> bool:
    if _STRONG_HEADER.search(line):
        return True
    match = _DATE_OR_TIME.search(line)
    if match is None:
        return False
    # A header names someone or something beside the date; and it is no sentence.
    rest = line[:match.start()] + " " + line[match.end():]
    if _SENTENCE_END.search(line) and not line.rstrip().endswith(("ago", "ago.")):
        return False
    return len(_WORD.findall(rest)) <= HEADER_MAX_WORDS - 2


@dataclass(frozen=True, slots=True)
class Thread:
    """A thread found among a page's lines: where it starts and ends (indices into the lines
    given, inclusive), its records' headers and its control lines (none for a thread the
    markup names), whether its records carry moderation scores, and whether its headers
    carry a forum's or a Q&A site's marks ("Start date", "answered", "Registered:")."""

    start: int
    end: int
    headers: tuple[int, ...] = ()
    controls: tuple[int, ...] = ()
    scored: bool = False
    forum: bool = False
    headed: bool = False  # under a comment section's heading, which `start` is then


def find_threads(lines: Sequence[str]) -> list[Thread]:
    """The comment threads among `lines` (blank lines are allowed and skipped)."""
    # A thread has a control line, two headers that say who wrote (`_STRONG_HEADER`) or sign
    # their records ("Posted by: Name |"), or a heading that counts its comments (one: a
    # listing repeats them): a page with none of these (most pages) has none, and is spared
    # reading each line's kind.
    controls, candidates, counted = _CONTROL_WORDS.gate(
        list(lines), CONTROL_MAX_WORDS, HEADER_MAX_WORDS, _LONGEST_SHORT_LINE, _LONGEST_HEADING)
    headings = [i for i in counted if _COMMENT_HEADING.match(lines[i].strip())]
    if not controls and not (len(headings) == 1 and _header_below(lines, headings[0])) and sum(
            1 for i in candidates
            if _STRONG_HEADER.search(lines[i]) or _is_signature(lines[i])) < MIN_RECORDS:
        return []
    return threads_among(lines, headings)


def _header_below(lines: Sequence[str], heading: int) -> bool:
    """Whether a header stands right below the heading (BARE_HEADING_REACH lines and the
    record's own header line): where records with no buttons under a count may start."""
    seen = 0
    for j in range(heading + 1, len(lines)):
        if lines[j].strip():
            if line_kind(lines[j]) == "header":
                return True
            seen += 1
            if seen > BARE_HEADING_REACH:
                return False
    return False


def threads_among(lines: Sequence[str], counted: Sequence[int] | None = None) -> list[Thread]:
    """`find_threads` without its gate: every line's kind read. `counted`: the lines that
    are headings counting a thread's comments (the gate's; read here when not given)."""
    if counted is None:
        counted = [i for i in _CONTROL_WORDS.gate(list(lines), CONTROL_MAX_WORDS,
                                                  HEADER_MAX_WORDS, _LONGEST_SHORT_LINE,
                                                  _LONGEST_HEADING)[2]
                   if _COMMENT_HEADING.match(lines[i].strip())]
    kinds = [line_kind(line) if line.strip() else "blank" for line in lines]
    headers = [i for i, kind in enumerate(kinds) if kind == "header"]
    threads: list[Thread] = []
    group: list[int] = []
    for i in [*headers, -1]:
        if group and (i < 0 or _text_lines(kinds, group[-1], i) > MAX_RECORD_LINES
                      or _embeds_apart(lines, kinds, group[-1], i)):
            thread = _thread(lines, kinds, group, counted)
            if thread is not None:
                threads.append(thread)
            group = []
        if i >= 0:
            group.append(i)
    return threads + _headed_without_headers(lines, kinds, threads)


# An embedded social post names its account on a line of its own ("@CoastalRescueUK").
_ACCOUNT = re.compile(r"^\s*@[\w.]{1,30}\s*$")


def _embeds_apart(lines: Sequence[str], kinds: list[str], header: int, nxt: int) -> bool:
    """Whether the records of `header` and of the next header `nxt` are two posts embedded
    in an article (each with its time and its "Reply" as a browser renders them), not a
    thread's: after the first one's buttons the article goes on (prose), and then the second
    names its account. A thread's next record follows the buttons with a name and a date; a
    Q&A page's answers (signed below) bring prose after the buttons, but no account line."""
    last = max((j for j in range(header + 1, nxt) if kinds[j] == "control"), default=None)
    if last is None:
        return False
    prose = next((j for j in range(last + 1, nxt)
                  if kinds[j] == "text" and _is_prose(lines[j])), None)
    return prose is not None and any(_ACCOUNT.match(lines[j]) for j in range(prose + 1, nxt))


def _above_controls(kinds: list[str], tallies: set[int]) -> list[int]:
    """The text lines with a control below them within HEADLESS_RECORD_LINES other lines (a
    control's tally aside) and no header between: where a headless thread's heading may
    stand."""
    near: list[int] = []
    gap: int | None = None  # lines down to the next control; None: none in reach
    for j in range(len(kinds) - 1, -1, -1):
        kind = kinds[j]
        if kind == "control":
            gap = 0
        elif kind == "header":
            gap = None
        elif kind == "text" and gap is not None:
            if gap <= HEADLESS_RECORD_LINES:
                near.append(j)
            gap += j not in tallies
    near.reverse()
    return near


def _headings_among(lines: Sequence[str], indices: Sequence[int]) -> list[int]:
    return [i for i in indices
            if _may_be_heading(lines[i]) and _COMMENT_HEADING.match(lines[i].strip())]


def _may_be_heading(line: str) -> bool:
    """A short line, or one that starts with the count of WordPress's "N thoughts on “a
    long title”": most lines of a page are prose and need no further look."""
    return len(line) <= _SHORT_HEADING or (
        len(line) <= _LONGEST_HEADING and line.lstrip()[:1].isdigit())


def _headed_without_headers(lines: Sequence[str], kinds: list[str],
                            found: Sequence[Thread]) -> list[Thread]:
    """Threads whose records have no header line to find (a comments plugin's record is a
    bare name, the text, and "Like · Reply · 2y"): a comment section's heading followed by
    at least MIN_RECORDS control lines, each closing a record with text. Without the
    heading such records could not be told from an article's last paragraphs."""
    if "control" not in kinds:
        return []
    covered = {j for t in found for j in range(t.start, t.end + 1)}
    # A header that opens no thread is one more line of a record here (a quote's "Name
    # said:" inside a comment).
    kinds = [k if k != "header" or j in covered else "text" for j, k in enumerate(kinds)]
    tallies = _tallies(lines, kinds)
    candidates = _headings_among(lines, _above_controls(kinds, tallies))
    if not candidates:
        return []
    threads: list[Thread] = []
    done = -1
    for i in candidates:
        if i <= done or i in covered:
            continue
        controls: list[int] = []
        since = 0  # lines since the heading or the last control, its tally aside
        j = i + 1
        while j < len(lines) and j not in covered and kinds[j] != "header" \
                and since <= HEADLESS_RECORD_LINES:
            if kinds[j] == "control":
                if since == 0:
                    break  # a control with no record before it: the section's own buttons
                controls.append(j)
                since = 0
            elif kinds[j] != "blank":
                since += j not in tallies
            j += 1
        if len(controls) >= MIN_RECORDS:
            end = _counts_below(lines, kinds, controls[-1])
            threads.append(Thread(_first_heading(lines, kinds, i, done), end, (),
                                  tuple(controls), headed=True))
            done = end
    return threads


def _tallies(lines: Sequence[str], kinds: list[str]) -> set[int]:
    """The lines of figures alone right under a control: the votes its buttons leave ("45
    (47 / -2)" under "Upvote"), no line of the next record's. Narrower than `_counts_below`
    on purpose: these decide where a headless record ends, and under a record's buttons a
    line with a word ("Recommend 17", or a name) may be the next record's first."""
    found: set[int] = set()
    after = False
    for j, kind in enumerate(kinds):
        if kind == "blank":
            continue
        if after and kind == "text" and not _has_letters(lines[j]):
            found.add(j)
        after = kind == "control"
    return found


def _has_letters(line: str) -> bool:
    return any(c.isalpha() for c in line)


def marked_threads(lines: Sequence[str], marked: Sequence[bool]) -> list[Thread]:
    """Threads the page's markup names: runs of lines inside a comment section's container
    (an HTML page's `comments` flags) with at least MIN_RECORDS lines of text."""
    threads: list[Thread] = []
    start = None
    for i in range(len(lines) + 1):
        inside = i < len(lines) and marked[i]
        if inside and start is None:
            start = i
        if not inside and start is not None and (i == len(lines) or lines[i].strip()):
            end = i - 1
            while end > start and not lines[end].strip():
                end -= 1
            if sum(1 for j in range(start, end + 1) if lines[j].strip()) >= MIN_RECORDS:
                threads.append(Thread(start, end))
            start = None
    return threads


def under_article(lines: Sequence[str], threads: Sequence[Thread],
                  counted: Sequence[bool] | None = None) -> bool:
    """Whether the page's threads sit under an article (readers' comments) rather than make
    the page (a forum's or a Q&A site's posts): enough prose before its first thread, and no
    forum's marks in its threads' headers. `counted` says which lines count as prose (lines
    other stages took still show a thread's shape, but they are no article's)."""
    if not threads or any(t.forum for t in threads):
        return False
    first = min(t.start for t in threads)
    prose = sum(_width(lines[j]) for j in range(first)
                if (counted is None or counted[j]) and _is_prose(lines[j]))
    needed = SCORED_MIN_CHARS if any(t.scored or t.headed for t in threads) \
        else ARTICLE_MIN_CHARS
    return prose >= needed


def _text_lines(kinds: list[str], start: int, end: int) -> int:
    return sum(1 for k in kinds[start + 1:end] if k != "blank")


def _thread(lines: Sequence[str], kinds: list[str], headers: list[int],
            counted: Sequence[int]) -> Thread | None:
    """The thread these headers open, or None when their records do not have a thread's
    shape: at least MIN_RECORDS records with text, and controls, strong headers or a comment
    section's heading right above them (BARE_HEADING_REACH; `counted`: the page's headings
    that count comments)."""
    forum = sum(1 for h in headers if FORUM_MARK.search(lines[h])) >= MIN_RECORDS or sum(
        1 for j in range(headers[0], headers[-1]) if _NESTING.match(lines[j])) >= MIN_RECORDS
    # The heading stands above the first record, or above a later one: then the headers
    # before it are the page's own (an article's byline and date, a post's "Posted at 9:14
    # PM", a "Share this:" that passed for a header), and the thread starts below them. (A
    # forum's posts are its content, the comments under them too: its thread stays whole.)
    heading = _heading(lines, kinds, headers[0])
    if heading is not None:
        heading = _first_heading(lines, kinds, heading)
    if heading is None and not forum:
        for k in range(1, len(headers)):
            if _heading(lines, kinds, headers[k], floor=headers[k - 1]) is not None:
                return _thread(lines, kinds, headers[k:], counted)
        if _page_header_first(lines, headers):
            return _thread(lines, kinds, headers[1:], counted)
    end = _record_end(lines, kinds, headers[-1])
    bounds = [*headers[1:], end + 1]
    records = [h for h, nxt in zip(headers, bounds, strict=True)
               if any(kinds[j] == "text" for j in range(h + 1, nxt))]
    if len(records) < MIN_RECORDS:
        return None
    controls = tuple(j for j in range(headers[0], end + 1) if kinds[j] == "control")
    strong = sum(1 for h in headers if _STRONG_HEADER.search(lines[h]))
    if not controls and strong < MIN_RECORDS and not _bare_records_headed(
            lines, kinds, headers, counted):
        return None
    start = headers[0]
    # A name on the line above a date-only header belongs to the header.
    above = _previous(kinds, start)
    if above is not None and kinds[above] == "text" and _is_name(lines[above]):
        start = above
    scored = sum(1 for h in headers if _SCORE.search(lines[h])) >= MIN_RECORDS
    return Thread(start if heading is None else min(start, heading), end, tuple(headers),
                  controls, scored, forum, heading is not None)


def _page_header_first(lines: Sequence[str], headers: list[int]) -> bool:
    """Whether the group's first header is the page's own (an article's byline and date)
    rather than a record's, where no comment section's heading stands between to say so
    (Slash-style and link-aggregator threads have none): it reads as a byline ("By Name,
    date", "Published date", a date alone), and its shape (which of a header's parts it has)
    is not the one the later headers share, since one template prints a thread's headers. A
    forum's first post is signed with a name as its replies are, even where its date is
    written another way than theirs (a month old, they an hour)."""
    if len(headers) <= MIN_RECORDS or not _is_byline(lines[headers[0]]):
        return False
    later = Counter(_header_shape(lines[h]) for h in headers[1:])
    first = _header_shape(lines[headers[0]])
    return first not in later and later.most_common(1)[0][1] >= MIN_RECORDS


# How a page's own byline begins, in the packs' languages.
_BYLINE = re.compile(r"^\W*(?:by|von|par|por|door|di|av|af|przez|published|posted|updated|"
                     r"ver[öo]ffentlicht|aktualisiert|publi[ée]|mis à jour|publicado|"
                     r"actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|publicerad|"
                     r"opublikowano|опубликовано)\b", re.I)


# What may stand beside a date that is a page's byline alone: a weekday, a preposition.
_DATE_WORDS = frozenset({
    "on", "at", "am", "um", "le", "el", "il", "op", "den", "de", "the",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo",
    "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica",
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"})


def _is_byline(line: str) -> bool:
    """A byline's opening word, or a date with nothing beside it but a weekday or a
    preposition (a record's header names its writer)."""
    if _BYLINE.match(line):
        return True
    rest = _DATE_OR_TIME.sub(" ", line)
    return all(word.casefold() in _DATE_WORDS for word in _WORD.findall(rest))


# The parts a record's header may have, beside its name: each a bit of its shape.
_SLASH_ID = re.compile(r"\(#\d{4,}\)|\(\d+\)")
_SHAPE_PARTS: tuple[Callable[[str], object], ...] = (
    _BYLINE.search, _SLASH_ID.search, _SCORE.search,
    lambda line: _SAYS_END.search(line), lambda line: _RELATIVE_DATE.search(line),
    lambda line: _ABSOLUTE_DATE.search(line), lambda line: _CLOCK.search(line))


def _header_shape(line: str) -> int:
    return sum(1 << k for k, part in enumerate(_SHAPE_PARTS) if part(line) is not None)


def _bare_records_headed(lines: Sequence[str], kinds: list[str], headers: list[int],
                         counted: Sequence[int]) -> bool:
    """Whether records with neither controls nor strong headers are a thread: see
    BARE_HEADING_REACH."""
    if len(counted) > 1:  # a listing
        return False
    near = _heading(lines, kinds, headers[0], BARE_HEADING_REACH)
    if near is None:
        return False
    return near in counted or sum(1 for h in headers if _SIGNATURE.match(lines[h])) >= MIN_RECORDS


def _heading(lines: Sequence[str], kinds: list[str], header: int,
             reach: int = HEADING_REACH, floor: int = -1) -> int | None:
    """The comment section's heading above the line `header` and below the line `floor`,
    within `reach` short lines with words (a count beside the heading is none), or None.
    Above a header that signs its record from below ("Posted by: Name | March 13, 2009", as
    TypePad and Movable Type print it) the record's text comes first."""
    j = header - 1
    if _SIGNATURE.match(lines[header]):
        text = 0
        while j > floor and kinds[j] in ("blank", "text") and text < HEADLESS_RECORD_LINES:
            if kinds[j] == "text":
                if _COMMENT_HEADING.match(lines[j].strip()):
                    return j
                text += 1
            j -= 1
    seen = 0
    while j > floor and seen < reach:
        if kinds[j] != "blank":
            if _COMMENT_HEADING.match(lines[j].strip()):
                return j
            if len(lines[j].split()) > HEADER_MAX_WORDS:
                return None
            seen += _has_letters(lines[j])  # a line of figures is a count, not a button
        j -= 1
    return None


def _first_heading(lines: Sequence[str], kinds: list[str], heading: int, floor: int = -1) -> int:
    """The first of a section's headings, within reach of each other above its records ("38
    comments" over its sort buttons and "Join the discussion…"), below the line `floor`."""
    while (above := _heading(lines, kinds, heading, floor=floor)) is not None:
        heading = above
    return heading


def _is_prose(line: str) -> bool:
    return _width(line.strip()) >= PROSE_LINE_CHARS and _SENTENCE_END.search(line) is not None


# Han, kana and Hangul: a character of these says about what CJK_WIDTH letters of a
# European language say, so that an article's prose is measured alike in either.
_CJK = _OnFirstUse(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
                   r"\uf900-\ufaff]")
CJK_WIDTH = 3


def _width(line: str) -> int:
    """The line's length in European letters' worth (see CJK_WIDTH)."""
    if line.isascii():
        return len(line)
    return len(line) + (CJK_WIDTH - 1) * len(_CJK.findall(line))


def _record_end(lines: Sequence[str], kinds: list[str], header: int) -> int:
    """The last line of the record that `header` opens: its last control when it has one
    within reach, else the end of the first block of text after the header."""
    last_control = None
    j = header + 1
    seen = 0
    while j < len(lines) and seen < MAX_RECORD_LINES:
        if kinds[j] == "header":
            break
        if kinds[j] != "blank":
            seen += 1
            if kinds[j] == "control":
                last_control = j
        j += 1
    if last_control is not None:
        return _counts_below(lines, kinds, last_control)
    j = header + 1
    while j < len(lines) and kinds[j] == "blank":
        j += 1
    while j < len(lines) and kinds[j] == "text":
        j += 1
    return max(header, j - 1)


def _counts_below(lines: Sequence[str], kinds: list[str], control: int) -> int:
    """The last of the counts a record's last buttons leave on the lines right below them
    ("9 Empfehlungen", "Recommend 17", "▲ 3 ▼", "共感した 41"), or the buttons' line: a
    thread's last record ends there."""
    end = control
    while end + 1 < len(lines) and end - control < MAX_TALLY_LINES \
            and kinds[end + 1] == "text" and (
                _VOTES.match(lines[end + 1]) or not _has_letters(lines[end + 1])):
        end += 1
    return end


def _previous(kinds: list[str], index: int) -> int | None:
    j = index - 1
    while j >= 0 and kinds[j] == "blank":
        j -= 1
    return j if j >= 0 else None


def _is_name(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 4 and not _SENTENCE_END.search(line)
