"""The question bank: import (preview writes nothing, confirm writes everything good in one go), categories from
paths, export -> re-import stability, versions on edit, filters, soft delete."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from elearn.core.audit import AuditEntry
from elearn.extensions import db
from elearn.quizzes import bank, formats, services
from elearn.quizzes.models import BankQuestion, QuestionCategory, QuestionTag, QuestionVersion
from elearn.quizzes.questions import QType, Question
from tests.course_factories import make_course

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpora" / "moodle-questions"

GIFT = """// Câu hỏi mẫu
$CATEGORY: $course$/top/Luật/Chương 1

::Q1:: Nghị quyết là văn bản gì? {=Văn bản của Đảng ~Văn bản của Quốc hội#Sai}

::Q2:: Thủ đô của Việt Nam là Hà Nội. {T}

$CATEGORY: $course$/top/Luật/Chương 2

::Q3:: 2 + 2 = {#4:0}

::Bad:: Câu không có đáp án đúng {~a ~b}

::Q4:: Viết cảm nghĩ. {}
"""


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def imports_audited() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "questions.import")))


def category_paths(course) -> set[str]:
    return {" / ".join(n.path) for n in services.category_tree(course)}


@pytest.fixture
def course(factory):
    return make_course(factory)


# --- pure path rules ------------------------------------------------------------------------------------------------

def test_category_parts_drop_context_and_moodle_root():
    assert bank.category_parts("$course$/top/Luật/Chương 1") == ["Luật", "Chương 1"]
    assert bank.category_parts("Top/Sub") == ["Top", "Sub"]  # only Moodle's own lower-case "top" is hidden
    assert bank.category_parts("A//B/C") == ["A/B", "C"]
    assert bank.category_parts("") == [bank.DEFAULT_CATEGORY]
    assert bank.category_path(["A/B", "C"]) == "$course$/A//B/C"


# --- preview and confirm --------------------------------------------------------------------------------------------

def test_preview_lists_questions_and_problems_and_writes_nothing(course):
    preview = services.import_preview(course, GIFT.encode(), "bank.gift.txt")
    assert preview.fmt == "gift"
    assert [i.name for i in preview.items] == ["Q1", "Q2", "Q3", "Q4"]
    assert [i.qtype for i in preview.items] == ["multichoice", "truefalse", "numerical", "essay"]
    assert preview.items[0].category == "Luật / Chương 1"
    assert [(p.line, p.warning) for p in preview.errors] == [(12, False)]
    assert preview.new_categories == ["Luật"]  # the first missing level of each path
    assert count(BankQuestion) == count(QuestionCategory) == count(QuestionVersion) == 0
    assert not imports_audited()


def test_confirm_imports_good_questions_creates_categories_and_reports_bad_ones(course, factory):
    lecturer = course.lecturer_links[0].user
    counts = services.import_confirm(lecturer, course, GIFT.encode(), "bank.gift.txt", "gift")
    assert (counts.imported, counts.skipped, counts.categories_created) == (4, 1, 3)
    assert counts.problems[0].line == 12
    assert category_paths(course) == {"Luật", "Luật / Chương 1", "Luật / Chương 2"}
    assert count(QuestionVersion) == 4
    assert set(db.session.scalars(select(QuestionVersion.number))) == {1}
    tree = {" / ".join(n.path): n.count for n in services.category_tree(course)}
    assert tree == {"Luật": 0, "Luật / Chương 1": 2, "Luật / Chương 2": 2}
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "questions.import")).one()
    assert entry.after["imported"] == 4 and entry.actor_id == lecturer.id


def test_nothing_is_written_when_no_question_is_good(course):
    counts = services.import_confirm(None, course, b"::Bad:: {~a ~b}", "x.gift", "gift")
    assert counts.imported == 0 and counts.skipped == 1
    assert count(BankQuestion) == count(QuestionCategory) == 0
    assert not imports_audited()


def test_garbage_gives_a_report_and_writes_nothing(course):
    data = bytes(range(256)) * 2000
    preview = services.import_preview(course, data, "junk.gift")
    assert not preview.items and preview.errors
    assert services.import_confirm(None, course, data, "junk.gift").imported == 0
    assert count(BankQuestion) == 0


def test_reimport_appends_the_questions_again_without_duplicate_detection(course):
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    # Documented behaviour (as in Moodle): the same file imported twice gives every question twice,
    # but the categories are found by path and not created again.
    assert count(BankQuestion) == 8
    assert count(QuestionCategory) == 3


def test_questions_without_category_go_to_the_default_one(course):
    services.import_confirm(None, course, b"::A:: Yes? {T}\n", "a.gift")
    assert category_paths(course) == {bank.DEFAULT_CATEGORY}


def test_banks_of_two_courses_are_separate(course, factory):
    other = make_course(factory)
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    services.import_confirm(None, other, "$CATEGORY: Luật\n::A:: Yes? {T}\n".encode(), "a.gift")
    assert db.session.scalar(select(func.count()).select_from(services.list_questions(other).subquery())) == 1
    assert {c.course_id for c in db.session.scalars(select(QuestionCategory).where(
        QuestionCategory.name == "Luật"))} == {course.id, other.id}


# --- export and re-import -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["gift", "moodlexml", "json"])
def test_export_then_reimport_gives_the_same_questions(course, factory, fmt):
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    first = services.export_course(course, fmt)
    copy = make_course(factory)
    counts = services.import_confirm(None, copy, first.encode(), "bank", fmt)
    assert counts.imported == 4 and not counts.problems
    assert category_paths(copy) == category_paths(course)
    original = [q.to_json() for q in services.export_questions(course)]
    again = [q.to_json() for q in services.export_questions(copy)]
    assert again == original
    assert services.export_course(copy, fmt) == first


def test_json_export_is_the_list_of_question_objects(course):
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    data = json.loads(services.export_course(course, "json"))
    assert isinstance(data, list) and len(data) == 4
    q1 = next(d for d in data if d["name"] == "Q1")
    assert q1["type"] == "multichoice" and q1["single"] is True
    assert q1["category"] == "$course$/Luật/Chương 1"
    assert {a["fraction"] for a in q1["answers"]} == {1.0, 0.0}


def test_deleted_questions_are_not_exported_nor_listed(course):
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    q1 = db.session.scalars(select(BankQuestion).where(BankQuestion.name == "Q1")).one()
    services.delete_question(None, q1)
    assert "Q1" not in services.export_course(course, "gift")
    assert "Q1" not in {q.name for q in db.session.scalars(services.list_questions(course))}
    assert db.session.get(BankQuestion, q1.id).deleted  # soft: the row and its versions stay
    assert count(QuestionVersion) == 4


# --- versions -------------------------------------------------------------------------------------------------------

def test_editing_adds_a_version_and_keeps_the_old_one(course):
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    question = db.session.scalars(select(BankQuestion).where(BankQuestion.name == "Q2")).one()
    old = dict(services.version_of(question, 1).data)
    edited = services.current_question(question)
    edited.text = "Thủ đô của Việt Nam là TP. Hồ Chí Minh."
    edited.answers = [a for a in edited.answers]
    for a in edited.answers:
        a.fraction = 1.0 if a.text == "false" else 0.0
    edited.tags = ["địa lý", "Địa lý", " cơ bản "]
    version = services.update_question(None, question, edited)
    assert version.number == 2 and question.current_version == 2
    assert services.version_of(question, 1).data == old
    assert services.current_question(question).text.endswith("Hồ Chí Minh.")
    assert question.tag_names == ["cơ bản", "địa lý"]
    assert "ho chi minh" in question.search_text


def test_an_invalid_edit_is_refused_and_changes_nothing(course):
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    question = db.session.scalars(select(BankQuestion).where(BankQuestion.name == "Q1")).one()
    edited = services.current_question(question)
    edited.answers = edited.answers[:1]
    with pytest.raises(services.QuestionError):
        services.update_question(None, question, edited)
    db.session.rollback()
    assert count(QuestionVersion) == 4 and question.current_version == 1


# --- filters --------------------------------------------------------------------------------------------------------

def _names(stmt) -> set[str]:
    return {q.name for q in db.session.scalars(stmt)}


def test_filters_by_category_type_tag_and_text_without_diacritics(course):
    services.import_confirm(None, course, GIFT.encode(), "a.gift")
    q3 = db.session.scalars(select(BankQuestion).where(BankQuestion.name == "Q3")).one()
    edited = services.current_question(q3)
    edited.tags = ["Toán"]
    services.update_question(None, q3, edited)
    cats = {" / ".join(n.path): n.category.id for n in services.category_tree(course)}
    assert _names(services.list_questions(course, category_id=cats["Luật / Chương 1"])) == {"Q1", "Q2"}
    assert _names(services.list_questions(course, category_id=cats["Luật"])) == set()
    assert _names(services.list_questions(course, category_id=cats["Luật"], subcategories=True)) == {
        "Q1", "Q2", "Q3", "Q4"}
    assert _names(services.list_questions(course, qtype="essay")) == {"Q4"}
    assert _names(services.list_questions(course, tag="toán")) == {"Q3"}
    assert _names(services.list_questions(course, q="nghi quyet")) == {"Q1"}
    assert _names(services.list_questions(course, q="THỦ ĐÔ")) == {"Q2"}
    assert _names(services.list_questions(course, q="100%")) == set()
    assert count(QuestionTag) == 1


# --- the shared corpus ----------------------------------------------------------------------------------------------

corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"external question corpus not found at {CORPUS}")


@corpus
def test_every_corpus_file_imports_its_good_questions_and_round_trips(course, factory):
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")
    assert files
    total = 0
    for path in files:
        data = path.read_bytes()
        preview = services.import_preview(course, data, path.name)
        expected = len(formats.parse(data, formats.detect_format(path.name, data)).questions)
        assert len(preview.items) == expected, path.name
        counts = services.import_confirm(None, course, data, path.name)
        assert counts.imported == expected, path.name
        total += expected
    assert count(BankQuestion) == total
    paths = category_paths(course)
    assert {"Iota", "Iota / Kappa", "Iota / Kappa / Lambda"} <= paths
    assert "Default for New Features" in paths
    for fmt in ("gift", "moodlexml", "json"):
        copy = make_course(factory)
        first = services.export_course(course, fmt)
        assert services.import_confirm(None, copy, first.encode(), "x", fmt).imported == total, fmt
        assert services.export_course(copy, fmt) == first, fmt


def test_numerical_and_types_survive_storage(course):
    q = Question(type=QType.NUMERICAL, name="N", text="Bao nhiêu?", category="Số")
    q.answers = formats.parse("::N:: Bao nhiêu? {#1..5}", "gift").questions[0].answers
    services.import_confirm(None, course, formats.export([q], "json").encode(), "n.json", "json")
    stored = services.export_questions(course)[0]
    assert stored.type == QType.NUMERICAL and stored.answers[0].tolerance == 2
