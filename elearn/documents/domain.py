"""Rules of the Party-document library. Pure Python: no Flask, no database.

- Number and symbol (số và ký hiệu): "57-NQ/TW", "350-QĐ/TW", "01/2021/NĐ-CP" — normalised for display and
  reduced to a search key that ignores case, spaces around separators and diacritics.
- Status: in force, amended, superseded — derived from the documents that amend or replace a document.
- Search queries: terms, symbols and "kind + number" ("nghi quyet 57"), a score per document, and the
  matching passage highlighted (escaped text, only our own <mark> tags).
"""
from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from markupsafe import Markup, escape

from elearn.accounts.domain import N_
from elearn.core.text import fold

MAX_SYMBOL = 60
MAX_TITLE = 500
MAX_BODY = 200  # issuing body
MAX_TAGS = 20
MAX_TAG = 60
SNIPPET_CHARS = 240  # folded characters of a highlighted passage


class DocKind(StrEnum):
    NGHI_QUYET = "nghi_quyet"
    QUY_DINH = "quy_dinh"
    CHI_THI = "chi_thi"
    KET_LUAN = "ket_luan"
    HUONG_DAN = "huong_dan"
    KE_HOACH = "ke_hoach"
    THONG_BAO = "thong_bao"
    QUYET_DINH = "quyet_dinh"
    KHAC = "khac"


KIND_LABELS = {
    DocKind.NGHI_QUYET: N_("Resolution"),
    DocKind.QUY_DINH: N_("Regulation"),
    DocKind.CHI_THI: N_("Directive"),
    DocKind.KET_LUAN: N_("Conclusion"),
    DocKind.HUONG_DAN: N_("Guidance"),
    DocKind.KE_HOACH: N_("Plan"),
    DocKind.THONG_BAO: N_("Notice"),
    DocKind.QUYET_DINH: N_("Decision"),
    DocKind.KHAC: N_("Other document"),
}
# The Vietnamese names are part of every document's search text, whatever the interface language:
# "nghi quyet 57" must find 57-NQ/TW.
KIND_VI = {
    DocKind.NGHI_QUYET: "Nghị quyết", DocKind.QUY_DINH: "Quy định", DocKind.CHI_THI: "Chỉ thị",
    DocKind.KET_LUAN: "Kết luận", DocKind.HUONG_DAN: "Hướng dẫn", DocKind.KE_HOACH: "Kế hoạch",
    DocKind.THONG_BAO: "Thông báo", DocKind.QUYET_DINH: "Quyết định", DocKind.KHAC: "Văn bản",
}
# The letters of a symbol that name the kind (57-NQ/TW: NQ). QĐ is both quy định and quyết định.
KIND_CODES = {"nq": DocKind.NGHI_QUYET, "qd": DocKind.QUY_DINH, "ct": DocKind.CHI_THI, "kl": DocKind.KET_LUAN,
              "hd": DocKind.HUONG_DAN, "kh": DocKind.KE_HOACH, "tb": DocKind.THONG_BAO}


class Status(StrEnum):
    IN_FORCE = "in_force"
    AMENDED = "amended"
    SUPERSEDED = "superseded"


STATUS_LABELS = {Status.IN_FORCE: N_("In force"), Status.AMENDED: N_("Amended"),
                 Status.SUPERSEDED: N_("Superseded")}


class Change(StrEnum):
    """How a newer document changes an older one."""

    AMENDS = "amends"
    REPLACES = "replaces"


CHANGE_LABELS = {Change.AMENDS: N_("amended by"), Change.REPLACES: N_("replaced by")}


# --- number and symbol ------------------------------------------------------------------------------

_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
_AROUND_SEPARATORS = re.compile(r"\s*([-/])\s*")
_SYMBOL_CHARS = re.compile(r"[0-9A-ZĐ./\- ]+")
_PARTY_SYMBOL = re.compile(r"^(\d+)-([a-z]+)/([a-z0-9.\-]+)$")


def normalise_symbol(raw: str | None) -> str:
    """The display form: "57 - nq/tw" -> "57-NQ/TW", "350–qđ / tw" -> "350-QĐ/TW"."""
    text = unicodedata.normalize("NFC", raw or "").translate(_DASHES).strip()
    text = _AROUND_SEPARATORS.sub(r"\1", text)
    return " ".join(text.split()).upper()


def symbol_key(raw: str | None) -> str:
    """The search key: diacritics, case and spaces ignored ("350-QĐ/TW" -> "350-qd/tw")."""
    return fold(normalise_symbol(raw)).replace(" ", "")


@dataclass(frozen=True)
class Symbol:
    number: int
    kind_code: str  # folded, e.g. "nq", "qd"
    body_code: str  # folded, e.g. "tw", "tu"

    @property
    def kind(self) -> DocKind | None:
        return KIND_CODES.get(self.kind_code)


def parse_symbol(raw: str | None) -> Symbol | None:
    """A Party-style symbol "<number>-<kind>/<body>" split into its parts; None for other shapes."""
    match = _PARTY_SYMBOL.match(symbol_key(raw))
    if match is None:
        return None
    return Symbol(int(match.group(1)), match.group(2), match.group(3))


def symbol_problem(raw: str | None) -> str | None:
    """Why a number/symbol cannot be stored, or None."""
    text = normalise_symbol(raw)
    if not text:
        return N_("The number and symbol are required, e.g. 57-NQ/TW.")
    if len(text) > MAX_SYMBOL:
        return N_("The number and symbol are too long.")
    if not _SYMBOL_CHARS.fullmatch(text) or not any(ch.isdigit() for ch in text):
        return N_("Write the number and symbol as on the document, e.g. 57-NQ/TW or 350-QĐ/TW.")
    return None


def number_of(raw: str | None) -> int | None:
    """The leading number of a symbol ("57-NQ/TW" -> 57, "01/2021/NĐ-CP" -> 1)."""
    match = re.match(r"\d+", symbol_key(raw))
    return int(match.group(0)) if match else None


def clean_tags(raw: Iterable[str] | str | None) -> list[str]:
    """Subject tags from a comma-separated text (or a list): trimmed, de-duplicated ignoring diacritics."""
    items = raw.split(",") if isinstance(raw, str) else list(raw or [])
    seen, tags = set(), []
    for item in items:
        tag = " ".join(unicodedata.normalize("NFC", str(item)).split())[:MAX_TAG]
        key = fold(tag)
        if tag and key not in seen:
            seen.add(key)
            tags.append(tag)
    return tags[:MAX_TAGS]


# --- validating a document --------------------------------------------------------------------------

@dataclass
class DocumentFacts:
    symbol: str
    kind: str
    title: str
    issuing_body: str
    issued_on: date | None
    effective_on: date | None
    tags: list[str] = field(default_factory=list)


def validate(facts: DocumentFacts) -> dict[str, str]:
    """Problems by field name (msgids); empty when the document can be stored."""
    errors: dict[str, str] = {}
    problem = symbol_problem(facts.symbol)
    if problem:
        errors["symbol"] = problem
    if facts.kind not in set(DocKind):
        errors["kind"] = N_("Choose the kind of document.")
    if not facts.title.strip():
        errors["title"] = N_("The title (summary line) is required.")
    elif len(facts.title) > MAX_TITLE:
        errors["title"] = N_("The title is too long (at most 500 characters).")
    if not facts.issuing_body.strip():
        errors["issuing_body"] = N_("The issuing body is required.")
    elif len(facts.issuing_body) > MAX_BODY:
        errors["issuing_body"] = N_("The issuing body is too long (at most 200 characters).")
    if facts.issued_on is None:
        errors["issued_on"] = N_("The date issued is required.")
    elif facts.effective_on is not None and facts.effective_on < facts.issued_on:
        errors["effective_on"] = N_("The effective date cannot be before the date issued.")
    if len(facts.tags) > MAX_TAGS:
        errors["tags"] = N_("At most 20 subject tags.")
    return errors


# --- status and the amend / replace chain -----------------------------------------------------------

def status_from(changes: Iterable[str]) -> Status:
    """A document's status from the kinds of the changes made to it by newer documents."""
    kinds = set(changes)
    if Change.REPLACES in kinds:
        return Status.SUPERSEDED
    if Change.AMENDS in kinds:
        return Status.AMENDED
    return Status.IN_FORCE


def change_problem(*, old_id: int, old_issued: date, new_id: int, new_issued: date, change: str,
                   old_status: str, edges: Iterable[tuple[int, int]] = ()) -> str | None:
    """Why document `new_id` may not amend/replace `old_id`, or None.

    `edges` are the existing (changed, changing) pairs of the library, to refuse a loop.
    """
    if change not in set(Change):
        return N_("Choose whether the newer document amends or replaces this one.")
    if old_id == new_id:
        return N_("A document cannot amend or replace itself.")
    if new_issued < old_issued:
        return N_("The amending or replacing document must not be older than the document it changes.")
    if old_status == Status.SUPERSEDED:
        return N_("This document is already superseded.")
    if (old_id, new_id) in set(edges):
        return N_("This link already exists.")
    if _reaches(new_id, old_id, edges):
        return N_("This would make a loop: the newer document is itself changed by this one.")
    return None


def _reaches(start: int, goal: int, edges: Iterable[tuple[int, int]]) -> bool:
    following: dict[int, set[int]] = {}
    for changed, changing in edges:
        following.setdefault(changed, set()).add(changing)
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in following.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def notification_text(symbol: str, status: str, by_symbol: str, course_title: str) -> tuple[str, str]:
    """(title, body) of the notice to a citing course's lecturers, in Vietnamese (the site's language)."""
    verb = "bị thay thế" if status == Status.SUPERSEDED else "được sửa đổi, bổ sung"
    title = f"Văn bản {symbol} đã {verb} bởi {by_symbol}"
    body = (f"Khoá học “{course_title}” có bài học trích dẫn văn bản {symbol}. Văn bản này đã {verb} bởi "
            f"{by_symbol}. Vui lòng rà soát, cập nhật bài học và đánh dấu đã rà soát.")
    return title, body


# --- search queries -----------------------------------------------------------------------------------

_KIND_PHRASES = {fold(text): kind for kind, text in KIND_VI.items() if kind != DocKind.KHAC}
_SYMBOL_IN_QUERY = re.compile(r"\b\d+\s*[-/]\s*[a-z]+(?:\s*[-/]\s*[a-z0-9]+)*")
_TERM_SPLIT = re.compile(r"[\s,;:!?()\"“”'‘’«»]+")


@dataclass(frozen=True)
class Query:
    text: str  # the folded query
    terms: tuple[str, ...]  # folded words, each must match
    symbol_keys: tuple[str, ...] = ()  # symbols written in the query
    numbers: tuple[int, ...] = ()  # standalone numbers ("nghi quyet 57")
    kinds: tuple[str, ...] = ()  # kinds named in words ("nghi quyet")

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(raw: str | None, max_terms: int = 12) -> Query:
    text = fold(raw)[:200]
    symbols = tuple(dict.fromkeys(symbol_key(m.group(0)) for m in _SYMBOL_IN_QUERY.finditer(text)))
    rest = _SYMBOL_IN_QUERY.sub(" ", text)
    words = [w.strip(".-/") for w in _TERM_SPLIT.split(rest)]
    terms = tuple(dict.fromkeys([*symbols, *(w for w in words if w)]))[:max_terms]
    numbers = tuple(int(w) for w in words if w.isdigit() and len(w) <= 6)
    kinds = tuple(kind for phrase, kind in _KIND_PHRASES.items() if re.search(rf"\b{phrase}\b", rest))
    return Query(text=" ".join(terms), terms=terms, symbol_keys=symbols, numbers=numbers, kinds=kinds)


def _word_hits(term: str, folded: str, cap: int = 30) -> int:
    """Occurrences (at most `cap`) of `term` at the start of a word of `folded` text.

    A plain substring search (fast, even over a long text) with the word start checked by hand."""
    if not term or not folded:
        return 0
    hits, pos = 0, folded.find(term)
    while pos >= 0 and hits < cap:
        if pos == 0 or not (folded[pos - 1].isascii() and folded[pos - 1].isalnum()):
            hits += 1
        pos = folded.find(term, pos + 1)
    return hits


_STATUS_WEIGHT = {Status.IN_FORCE: 1.0, Status.AMENDED: 0.95, Status.SUPERSEDED: 0.8}


@dataclass(frozen=True)
class Candidate:
    """The folded fields of one document, for scoring."""

    symbol_key: str
    kind: str
    title: str
    meta: str  # kind name, issuing body, tags
    summary: str
    full_text: str  # typed text and the text of the PDF (its beginning, when long)
    status: str = Status.IN_FORCE
    text_complete: bool = True  # False: full_text is only the beginning of a longer text


def score(query: Query, doc: Candidate) -> float:
    """How well a document answers the query; 0 when some term is found nowhere (it is left out).

    Weights: the exact symbol first, then "kind + number", then words in the title, the other short
    fields, the summary, and (counted with diminishing returns) the full text. The word score of an amended
    document counts a little less, of a superseded one less again: the text in force comes first unless
    the person asked for the older one by its symbol.
    """
    if not query:
        return 0.0
    total = 0.0
    short = f"{doc.symbol_key} {doc.title} {doc.meta}"
    for term in query.terms:
        in_title = _word_hits(term, doc.title)
        in_short = _word_hits(term, short)
        in_summary = _word_hits(term, doc.summary)
        in_text = _word_hits(term, doc.full_text)
        if not (in_short or in_summary or in_text):
            if doc.text_complete:
                return 0.0
            total += 0.5  # the database found it further into the text than is scored here
            continue
        total += 8 * min(in_title, 2) + 4 * min(in_short, 2) + 3 * min(in_summary, 3) + math.log1p(in_text)
    symbol_bonus = 100.0 if doc.symbol_key in query.symbol_keys else 0.0
    number = number_of(doc.symbol_key)
    if number is not None and number in query.numbers:
        symbol_bonus += 30 + (20 if doc.kind in query.kinds else 0)
    if len(query.terms) > 1:
        if query.text in doc.title:
            total += 15
        elif query.text in doc.summary or query.text in doc.full_text:
            total += 6
    return round(total * _STATUS_WEIGHT.get(doc.status, 1.0) + symbol_bonus, 3)


def rank(query: Query, docs: Sequence[tuple[int, Candidate, date | None]]) -> list[tuple[int, float]]:
    """(id, score) of the documents that match, best first; ties: newer first, then lower id."""
    scored = [(doc_id, score(query, cand), issued) for doc_id, cand, issued in docs]
    kept = [row for row in scored if row[1] > 0]
    kept.sort(key=lambda row: (-row[1], -(row[2].toordinal() if row[2] else 0), row[0]))
    return [(doc_id, s) for doc_id, s, _issued in kept]


# --- highlighting -------------------------------------------------------------------------------------

def _fold_table() -> dict[int, str]:
    """One character for one: upper case and Latin letters with diacritics to their plain lower-case letter."""
    table = {}
    for cp in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        folded = fold(chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            table[cp] = folded
    return table


_FOLD_TABLE = _fold_table()
_VARIANTS: dict[str, set[str]] = {}
for _cp, _plain in _FOLD_TABLE.items():
    _VARIANTS.setdefault(_plain, {_plain}).add(chr(_cp))
MAX_ANCHORS = 300  # matches tried as the start of a passage


def fold_chars(text: str) -> str:
    """fold() character for character (same length, white space kept), for short texts."""
    return text.translate(_FOLD_TABLE)


@functools.lru_cache(maxsize=256)
def _term_pattern(term: str) -> re.Pattern:
    """A folded term as a pattern matching it in the original text, whatever the case and diacritics
    ("dang" matches "Đảng", "ĐẢNG", "đăng"). Searching the original text directly keeps every position,
    and is fast on a PDF's million characters (no per-character Python work)."""
    parts = []
    for ch in term:
        variants = sorted(_VARIANTS.get(ch, {ch}))
        parts.append(re.escape(ch) if len(variants) == 1 else "[" + "".join(re.escape(v) for v in variants) + "]")
    return re.compile("".join(parts))


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) ranges of `text` where a term starts a word; at a tie the longer wins."""
    found = []
    for term in set(t for t in terms if t):
        found.extend((m.start(), m.end()) for m in _term_pattern(term).finditer(text) if _starts_word(text, m.start()))
    found.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def coverage(text: str | None, terms: Sequence[str]) -> int:
    """How many distinct terms start a word of the text (diacritics ignored)."""
    text = unicodedata.normalize("NFC", text or "")
    return sum(1 for term in set(terms)
               if term and any(_starts_word(text, m.start()) for m in _term_pattern(term).finditer(text)))


def highlight(text: str | None, terms: Sequence[str], width: int | None = SNIPPET_CHARS) -> Markup:
    """The text (or, with `width`, the passage of about that many characters where the most terms
    meet) as HTML: everything escaped, each match inside <mark>. Empty when nothing matches and a
    passage was asked for."""
    text = unicodedata.normalize("NFC", text or "")
    spans = _spans(text, terms)
    if width is None:
        return _marked(text, 0, len(text), spans)
    if not spans:
        return Markup("")
    starts = [s for s, _e in spans]
    best_lo, best_count = 0, 0
    for start in starts[:MAX_ANCHORS]:
        lo = max(0, start - width // 3)
        inside = spans[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, lo + width)]
        count = len({fold_chars(text[s:e]) for s, e in inside})
        if count > best_count:
            best_lo, best_count = lo, count
    lo, hi = best_lo, min(len(text), best_lo + width)
    for _ in range(20):  # whole words at both ends
        if lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        if hi < len(text) and not text[hi].isspace():
            hi += 1
    kept = [(s, e) for s, e in spans if s >= lo and e <= hi]
    return _marked(text, lo, hi, kept, cut_left=lo > 0, cut_right=hi < len(text))


def _marked(text: str, lo: int, hi: int, spans, cut_left: bool = False, cut_right: bool = False) -> Markup:
    parts = [Markup("…")] if cut_left else []
    pos = lo
    for start, end in spans:
        parts.append(escape(text[pos:start]))
        parts.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    parts.append(escape(text[pos:hi]))
    if cut_right:
        parts.append(Markup("…"))
    return Markup("").join(parts)


# --- a page of a ranked list ----------------------------------------------------------------------------

class Paged:
    """A page of an already ranked list, with the attributes the pager macro and the API use."""

    def __init__(self, items: list, page: int, per_page: int, total: int):
        self.items = items
        self.page = page
        self.per_page = per_page
        self.total = total
        self.pages = max(1, math.ceil(total / per_page)) if per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge: int = 2, left_current: int = 2, right_current: int = 4, right_edge: int = 2):
        last = 0
        for num in range(1, self.pages + 1):
            if (num <= left_edge or self.page - left_current <= num <= self.page + right_current
                    or num > self.pages - right_edge):
                if last + 1 != num:
                    yield None
                yield num
                last = num
