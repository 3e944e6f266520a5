"""Rules of the document library: symbols, validation, the amend/replace chain, ranking, highlighting."""
from __future__ import annotations

from datetime import date

import pytest

from elearn.documents import domain
from elearn.documents.domain import Candidate, Change, DocKind, Status
from tests.xss_payloads import PAYLOADS, problems

# --- number and symbol -------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, shown, key", [
    ("57-NQ/TW", "57-NQ/TW", "57-nq/tw"),
    (" 57 - nq / tw ", "57-NQ/TW", "57-nq/tw"),
    ("350–qđ/tw", "350-QĐ/TW", "350-qd/tw"),
    ("01/2021/NĐ-CP", "01/2021/NĐ-CP", "01/2021/nd-cp"),
])
def test_symbols_are_normalised_for_display_and_search(raw, shown, key):
    assert domain.normalise_symbol(raw) == shown
    assert domain.symbol_key(raw) == key


def test_party_symbol_is_parsed_into_number_kind_and_body():
    symbol = domain.parse_symbol("350-QĐ/TW")
    assert (symbol.number, symbol.kind_code, symbol.body_code) == (350, "qd", "tw")
    assert domain.parse_symbol("57-NQ/TW").kind == DocKind.NGHI_QUYET
    assert domain.parse_symbol("01/2021/NĐ-CP") is None
    assert domain.number_of("01/2021/NĐ-CP") == 1


@pytest.mark.parametrize("raw", ["", "   ", "NQ/TW", "<script>", "57-NQ/TW; DROP", "9" * 61])
def test_bad_symbols_are_refused(raw):
    assert domain.symbol_problem(raw) is not None


def test_tags_are_trimmed_and_deduplicated_ignoring_diacritics():
    assert domain.clean_tags(" chuyển đổi số, Chuyen doi so ,, khoa học ") == ["chuyển đổi số", "khoa học"]


def _facts(**changes):
    data = dict(symbol="57-NQ/TW", kind="nghi_quyet", title="về đột phá", issuing_body="Bộ Chính trị",
                issued_on=date(2024, 12, 22), effective_on=None, tags=[])
    data.update(changes)
    return domain.DocumentFacts(**data)


def test_validation_names_each_bad_field():
    assert domain.validate(_facts()) == {}
    errors = domain.validate(_facts(kind="bogus", title=" ", issuing_body="", issued_on=None))
    assert set(errors) == {"kind", "title", "issuing_body", "issued_on"}
    errors = domain.validate(_facts(effective_on=date(2024, 1, 1)))
    assert set(errors) == {"effective_on"}


# --- status and the chain ------------------------------------------------------------------------------

def test_status_follows_the_changes_made_to_a_document():
    assert domain.status_from([]) == Status.IN_FORCE
    assert domain.status_from([Change.AMENDS]) == Status.AMENDED
    assert domain.status_from([Change.AMENDS, Change.REPLACES]) == Status.SUPERSEDED


def _change(**kw):
    args = dict(old_id=1, old_issued=date(2017, 1, 1), new_id=2, new_issued=date(2022, 1, 1),
                change=Change.REPLACES, old_status=Status.IN_FORCE, edges=())
    args.update(kw)
    return domain.change_problem(**args)


def test_valid_changes_are_allowed():
    assert _change() is None
    assert _change(change=Change.AMENDS, old_status=Status.AMENDED, edges=[(1, 3)]) is None


@pytest.mark.parametrize("kw", [
    {"new_id": 1},  # itself
    {"new_issued": date(2016, 1, 1)},  # older than the document it changes
    {"old_status": Status.SUPERSEDED},  # already superseded
    {"change": "deletes"},
    {"edges": [(1, 2)]},  # twice
    {"edges": [(2, 5), (5, 1)], "new_issued": date(2017, 1, 1)},  # a loop
])
def test_bad_changes_are_refused(kw):
    assert _change(**kw) is not None


def test_notification_text_names_both_documents():
    title, body = domain.notification_text("18-NQ/TW", Status.SUPERSEDED, "19-NQ/TW", "Khoá A")
    assert "18-NQ/TW" in title and "19-NQ/TW" in title and "thay thế" in title
    assert "Khoá A" in body


# --- queries and ranking -------------------------------------------------------------------------------

def test_query_finds_symbols_kinds_and_numbers():
    q = domain.parse_query("Nghị quyết 57")
    assert q.terms == ("nghi", "quyet", "57") and q.numbers == (57,) and q.kinds == (DocKind.NGHI_QUYET,)
    q = domain.parse_query("57 - NQ/TW khoa học")
    assert q.symbol_keys == ("57-nq/tw",) and "khoa" in q.terms


def _cand(symbol, title, kind="nghi_quyet", summary="", text="", status=Status.IN_FORCE):
    meta = f"{domain.symbol_key(symbol)} {domain.KIND_VI[DocKind(kind)].lower()}"
    from elearn.core.text import fold

    return Candidate(symbol_key=domain.symbol_key(symbol), kind=kind, title=fold(title), meta=fold(meta),
                     summary=fold(summary), full_text=fold(text), status=status)


DOCS = [
    (1, _cand("57-NQ/TW", "Về đột phá phát triển khoa học, công nghệ"), date(2024, 12, 22)),
    (2, _cand("66-NQ/TW", "Về đổi mới công tác xây dựng pháp luật", text="năm 1957 và 57 lần"), date(2025, 4, 30)),
    (3, _cand("57-KL/TW", "Kết luận về khoa học", kind="ket_luan"), date(2023, 5, 1)),
    (4, _cand("18-NQ/TW", "Về đất đai", text="không có gì"), date(2022, 6, 16)),
]


def test_nghi_quyet_57_ranks_57_nq_tw_first():
    ranked = domain.rank(domain.parse_query("nghi quyet 57"), DOCS)
    assert ranked[0][0] == 1
    assert 4 not in [doc_id for doc_id, _ in ranked]


def test_an_exact_symbol_beats_words():
    ranked = domain.rank(domain.parse_query("57-KL/TW"), DOCS)
    assert ranked[0][0] == 3


def test_every_term_must_match_somewhere():
    assert domain.rank(domain.parse_query("khoa học đất đai"), DOCS) == []


def test_full_text_matches_count_but_less_than_the_title():
    docs = [(1, _cand("1-NQ/TW", "Chuyển đổi số"), date(2020, 1, 1)),
            (2, _cand("2-NQ/TW", "Khác", text="chuyển đổi số " * 5), date(2021, 1, 1))]
    assert [d for d, _ in domain.rank(domain.parse_query("chuyen doi so"), docs)] == [1, 2]


def test_in_force_documents_come_before_superseded_ones_on_a_tie():
    docs = [(1, _cand("1-NQ/TW", "Đất đai", status=Status.SUPERSEDED), date(2020, 1, 1)),
            (2, _cand("2-NQ/TW", "Đất đai"), date(2020, 1, 1))]
    assert [d for d, _ in domain.rank(domain.parse_query("dat dai"), docs)] == [2, 1]


# --- highlighting ---------------------------------------------------------------------------------------

def test_fold_chars_keeps_every_position():
    text = "Đổi  MỚI Nghị quyết"
    folded = domain.fold_chars(text)
    assert folded == "doi  moi nghi quyet" and len(folded) == len(text)


def test_highlight_marks_terms_ignoring_diacritics():
    html = domain.highlight("Nghị quyết về chuyển đổi số quốc gia", ("chuyen", "doi", "so"), width=None)
    assert str(html) == "Nghị quyết về <mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark> quốc gia"


def test_highlight_gives_a_passage_around_the_match():
    text = "Mở đầu. " * 100 + "Đột phá phát triển khoa học, công nghệ." + " Kết thúc." * 100
    passage = str(domain.highlight(text, ("khoa", "hoc"), width=80))
    assert passage.startswith("…") and passage.endswith("…")
    assert "<mark>khoa</mark> <mark>học</mark>" in passage
    assert len(passage) < 200


def test_no_match_gives_no_passage():
    assert str(domain.highlight("Nội dung khác", ("dat",))) == ""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_highlight_escapes_everything_but_its_own_marks(payload):
    text = f"Nghị quyết {payload} chuyển đổi số {payload}"
    for width in (None, 60):
        html = str(domain.highlight(text, ("chuyen", "script", "img", "alert"), width=width))
        assert not problems(html), html
        assert "<" not in html.replace("<mark>", "").replace("</mark>", "")


def test_paged_pages():
    page = domain.Paged(list(range(10)), 2, 10, 35)
    assert (page.pages, page.has_prev, page.has_next, page.prev_num, page.next_num) == (4, True, True, 1, 3)
    assert list(page.iter_pages(left_edge=1, right_edge=1, left_current=1, right_current=1)) == [1, 2, 3, 4]


def test_the_document_in_force_beats_the_superseded_one_unless_asked_by_symbol():
    docs = [(1, _cand("24-QĐ/TW", "Thi hành Điều lệ Đảng", summary="điều lệ đảng", status=Status.SUPERSEDED),
             date(2021, 7, 30)),
            (2, _cand("232-QĐ/TW", "Thi hành Điều lệ Đảng"), date(2025, 1, 20))]
    assert [d for d, _ in domain.rank(domain.parse_query("dieu le dang"), docs)] == [2, 1]
    assert [d for d, _ in domain.rank(domain.parse_query("24-QĐ/TW"), docs)][0] == 1


def test_a_match_deep_in_a_long_text_is_found_and_shown_quickly():
    import time

    text = "Nghị quyết về chuyển đổi số quốc gia và phát triển. " * 40000 + "Cụm từ hiếm gặp ở cuối."
    began = time.monotonic()
    passage = str(domain.highlight(text, ("hiem", "gap")))
    assert time.monotonic() - began < 1
    assert "<mark>hiếm</mark> <mark>gặp</mark>" in passage and passage.startswith("…")
    assert domain.coverage(text, ("hiem", "gap", "xyz")) == 2


def test_a_term_beyond_the_scored_part_of_a_long_text_still_counts():
    query = domain.parse_query("hiem gap")
    cut = _cand("1-NQ/TW", "Khác", text="mở đầu")
    assert domain.score(query, cut) == 0
    assert domain.score(query, Candidate(**{**cut.__dict__, "text_complete": False})) > 0


def test_decomposed_text_is_matched_too():
    import unicodedata

    text = unicodedata.normalize("NFD", "Chuyển đổi số")
    assert str(domain.highlight(text, ("chuyen",), width=None)).startswith("<mark>Chuyển</mark>")
