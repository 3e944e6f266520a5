"""Similarity between submissions of one assignment (copied reflection essays). Pure Python.

Texts are split into words and folded (lower case, no diacritics: "Nghị quyết" = "nghi quyet"), then cut
into overlapping runs of SHINGLE words. Two submissions are compared by containment: the share of the
shorter text's shingles that also occur in the other text (a copy padded with a few sentences of one's own
still scores high), reported with the Jaccard index for reference. Shingles that occur in the assignment's
own instructions and section headings do not count (everyone quotes the resolution's title).

The passages shared by a pair are the maximal runs of consecutive matching shingles, given as word ranges
on each side, so the grader sees them highlighted in both texts.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from elearn.assignments.domain import words
from elearn.core.text import fold

SHINGLE = 5  # words per shingle
DEFAULT_THRESHOLD = 0.5  # containment at or above which a pair is flagged
MIN_SHINGLES = 3  # texts shorter than this (in shingles) are never compared


def tokens(text: str) -> list[str]:
    """The words of the text as written (for showing passages)."""
    return words(text)


def folded(tokens_: list[str]) -> list[str]:
    return [fold(t) for t in tokens_]


def shingles(folded_words: list[str], k: int = SHINGLE) -> list[tuple[str, ...]]:
    return [tuple(folded_words[i:i + k]) for i in range(len(folded_words) - k + 1)]


@dataclass(frozen=True)
class Passage:
    a_start: int  # word index in text A
    b_start: int  # word index in text B
    length: int  # in words

    def to_json(self) -> list[int]:
        return [self.a_start, self.b_start, self.length]


@dataclass(frozen=True)
class Comparison:
    containment: float  # 0..1
    jaccard: float  # 0..1
    passages: tuple[Passage, ...] = field(default_factory=tuple)


@dataclass
class Prepared:
    """A text ready for comparison."""

    words: list[str]
    shingles: list[tuple[str, ...]]
    counted: set[tuple[str, ...]]  # shingles that count (not in the ignored set)


def prepare(text: str, ignore: set[tuple[str, ...]] = frozenset(), k: int = SHINGLE) -> Prepared:
    original = tokens(text)
    sh = shingles(folded(original), k)
    return Prepared(original, sh, set(sh) - set(ignore))


def ignored_shingles(texts: Iterable[str], k: int = SHINGLE) -> set[tuple[str, ...]]:
    """Shingles of the assignment's own text (instructions, headings), which every essay may repeat."""
    out: set[tuple[str, ...]] = set()
    for text in texts:
        out.update(shingles(folded(tokens(text)), k))
    return out


def _passages(a: Prepared, b: Prepared, common: set[tuple[str, ...]], k: int) -> tuple[Passage, ...]:
    """Maximal runs of consecutive shared shingles, as word ranges in both texts (longest first)."""
    where_b: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j, sh in enumerate(b.shingles):
        if sh in common:
            where_b[sh].append(j)
    found: list[Passage] = []
    covered_a: set[int] = set()
    i = 0
    while i < len(a.shingles):
        sh = a.shingles[i]
        if sh not in common or i in covered_a:
            i += 1
            continue
        best_j, best_len = -1, 0
        for j in where_b.get(sh, ()):
            n = 0
            while i + n < len(a.shingles) and j + n < len(b.shingles) and a.shingles[i + n] == b.shingles[j + n]:
                n += 1
            if n > best_len:
                best_j, best_len = j, n
        covered_a.update(range(i, i + best_len))
        found.append(Passage(i, best_j, best_len + k - 1))
        i += best_len
    return tuple(sorted(found, key=lambda p: (-p.length, p.a_start)))


def compare(a: Prepared, b: Prepared, k: int = SHINGLE) -> Comparison:
    if len(a.counted) < MIN_SHINGLES or len(b.counted) < MIN_SHINGLES:
        return Comparison(0.0, 0.0)
    common = a.counted & b.counted
    if not common:
        return Comparison(0.0, 0.0)
    containment = len(common) / min(len(a.counted), len(b.counted))
    jaccard = len(common) / len(a.counted | b.counted)
    return Comparison(containment, jaccard, _passages(a, b, common, k))


def similar_pairs(texts: Mapping[int, str], threshold: float = DEFAULT_THRESHOLD, ignore_texts: Iterable[str] = (),
                  k: int = SHINGLE) -> list[tuple[int, int, Comparison]]:
    """Every pair (id_a < id_b) of texts whose containment is at or above `threshold`, highest first.

    Only pairs sharing at least one shingle are compared (an inverted index), so a class of a few hundred
    essays is checked in well under a second.
    """
    ignore = ignored_shingles(ignore_texts, k)
    prepared = {key: prepare(text, ignore, k) for key, text in texts.items()}
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for key in sorted(prepared):
        for sh in prepared[key].counted:
            index[sh].append(key)
    candidates: set[tuple[int, int]] = set()
    for keys in index.values():
        if len(keys) > 1:
            for x in range(len(keys)):
                for y in range(x + 1, len(keys)):
                    candidates.add((keys[x], keys[y]))
    out = []
    for a, b in sorted(candidates):
        result = compare(prepared[a], prepared[b], k)
        if result.containment + 1e-9 >= threshold:
            out.append((a, b, result))
    out.sort(key=lambda t: (-t[2].containment, t[0], t[1]))
    return out


def segments(text_words: list[str], ranges: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The words joined into (text, highlighted) runs; `ranges` are (start, length) word ranges to highlight."""
    marked = [False] * len(text_words)
    for start, length in ranges:
        for i in range(max(start, 0), min(start + length, len(text_words))):
            marked[i] = True
    out: list[tuple[str, bool]] = []
    for word, flag in zip(text_words, marked, strict=True):
        if out and out[-1][1] == flag:
            out[-1] = (out[-1][0] + " " + word, flag)
        else:
            out.append((word, flag))
    return out
