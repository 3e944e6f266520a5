"""`seed-demo` adds the document library: real Party documents with generated, searchable PDFs, lessons of the
demo courses citing them, and one supersession whose citing course shows its lecturers the warning."""
from __future__ import annotations

from sqlalchemy import func, select

from elearn.core.notifications import Notification
from elearn.courses.models import Course, Lesson
from elearn.demo.documents import DOCUMENTS, seed_documents
from elearn.documents import search, services
from elearn.documents.models import Document, LessonDocument
from elearn.extensions import db


def test_the_library_has_real_documents_with_searchable_pdfs(demo_seeded):
    assert any(line.startswith("Demo documents: 14 Party documents") for line in demo_seeded)
    documents = {d.symbol: d for d in db.session.scalars(select(Document))}
    assert len(documents) == len(DOCUMENTS) >= 12
    assert {d.kind for d in documents.values()} >= {"nghi_quyet", "quy_dinh", "chi_thi", "ket_luan"}
    for document in documents.values():
        assert document.file is not None and document.file.content_type == "application/pdf"
        assert document.text_status == "ok" and "ban trinh dien" in document.full_text_folded, document.symbol
    assert documents["24-QĐ/TW"].status == "superseded" and documents["232-QĐ/TW"].status == "in_force"


def test_lessons_cite_them_and_the_superseded_one_warns_its_course(demo_seeded):
    session = db.session
    assert session.scalar(select(func.count()).select_from(LessonDocument)) >= 15
    old = session.scalar(select(Document).where(Document.symbol == "24-QĐ/TW"))
    courses = services.citing_courses(old)
    assert [c.code for c in courses] == ["BD-DVM"]
    assert len(services.open_reviews(courses[0].id)) == 1
    notified = set(session.scalars(select(Notification.user_id).where(Notification.kind == "document.updated")))
    assert notified == courses[0].lecturer_ids
    nq57 = session.scalar(select(Document).where(Document.symbol == "57-NQ/TW"))
    lessons = session.scalars(select(Lesson).join(LessonDocument, LessonDocument.lesson_id == Lesson.id)
                              .where(LessonDocument.document_id == nq57.id)).all()
    assert {session.get(Course, lesson.course_id).code for lesson in lessons} >= {"BD-NQ57", "TH-AI-CBCC"}


def test_searching_the_demo_library(demo_seeded):
    page, _query = search.search(search.Filters(q="nghi quyet 57"))
    assert page.items[0].document.symbol == "57-NQ/TW"
    page, _query = search.search(search.Filters(q="dieu le dang"))
    assert [hit.document.symbol for hit in page.items] == ["232-QĐ/TW", "24-QĐ/TW"]


def test_seeding_again_changes_nothing(demo_seeded):
    before = db.session.scalar(select(func.count()).select_from(Document))
    assert seed_documents() == "Demo documents already present; nothing changed."
    assert db.session.scalar(select(func.count()).select_from(Document)) == before
