"""Use cases of the question bank: import (preview, then confirm), export, listing, editing, deletion.

The acting user is always an argument; nothing here reads the request. A preview writes nothing; a confirmed
import writes categories, questions and their first versions in one transaction. Re-importing a file appends
its questions again: duplicates are NOT detected (Moodle does the same), so the preview says how many
questions will be added.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import Select, func, select

from elearn.core import audit
from elearn.core.text import like_pattern
from elearn.courses.messages import N_
from elearn.extensions import db
from elearn.quizzes import bank, formats
from elearn.quizzes.formats import common
from elearn.quizzes.models import BankQuestion, QuestionCategory, QuestionTag, QuestionVersion
from elearn.quizzes.questions import ImportProblem, QType, Question

UPLOAD_MAX_AGE_SECONDS = 2 * 24 * 3600  # unconfirmed uploads are removed after two days


class QuestionError(Exception):
    """A rule refused the change: `message` is a msgid, `params` its parameters."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


# --- categories -----------------------------------------------------------------------------------------------------


@dataclass
class CategoryNode:
    category: QuestionCategory
    depth: int
    count: int  # questions (not deleted) directly in it
    path: list[str]


def _categories(course_id: int) -> list[QuestionCategory]:
    return list(db.session.scalars(select(QuestionCategory).where(QuestionCategory.course_id == course_id)
                                   .order_by(QuestionCategory.position, QuestionCategory.name, QuestionCategory.id)))


def category_tree(course) -> list[CategoryNode]:
    """Every category of the course in tree order (parents before their children), with question counts."""
    cats = _categories(course.id)
    counts = dict(db.session.execute(
        select(BankQuestion.category_id, func.count()).where(BankQuestion.course_id == course.id,
                                                             BankQuestion.deleted.is_(False))
        .group_by(BankQuestion.category_id)).all())
    children: dict[int | None, list[QuestionCategory]] = {}
    for c in cats:
        children.setdefault(c.parent_id, []).append(c)
    nodes: list[CategoryNode] = []

    def walk(parent_id: int | None, depth: int, path: list[str]) -> None:
        for c in children.get(parent_id, []):
            nodes.append(CategoryNode(c, depth, counts.get(c.id, 0), [*path, c.name]))
            if depth < 50:  # a cycle cannot be made through the services; never loop anyway
                walk(c.id, depth + 1, [*path, c.name])

    walk(None, 0, [])
    return nodes


def category_paths(course) -> dict[int, list[str]]:
    return {n.category.id: n.path for n in category_tree(course)}


class _CategoryFinder:
    """Finds or (when `create`) makes the category of a path; without `create` it only notes the new paths."""

    def __init__(self, course, create: bool):
        self.course = course
        self.create = create
        self.by_key = {(c.parent_id, c.name): c for c in _categories(course.id)}
        self.new_paths: list[str] = []
        self.created = 0

    def find(self, path: str) -> QuestionCategory | None:
        parent: QuestionCategory | None = None
        parts = bank.category_parts(path)
        for depth, name in enumerate(parts):
            found = self.by_key.get((parent.id if parent else None, name))
            if found is None:
                if not self.create:
                    shown = bank.display_path(parts[:depth + 1])
                    if shown not in self.new_paths:
                        self.new_paths.append(shown)
                    return None
                siblings = sum(1 for (pid, _n) in self.by_key if pid == (parent.id if parent else None))
                found = QuestionCategory(course_id=self.course.id, parent_id=parent.id if parent else None,
                                         name=name, position=siblings)
                db.session.add(found)
                db.session.flush()
                self.by_key[(found.parent_id, name)] = found
                self.created += 1
            parent = found
        return parent


# --- import ---------------------------------------------------------------------------------------------------------


@dataclass
class PreviewItem:
    name: str
    qtype: str
    category: str  # shown path, "Top / Sub"
    line: int | None


@dataclass
class Preview:
    fmt: str
    filename: str
    items: list[PreviewItem] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.warning]


@dataclass
class ImportCounts:
    imported: int = 0
    skipped: int = 0  # problems that kept a question (or the file) out
    warnings: int = 0
    categories_created: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


def resolve_format(filename: str, data: bytes | str, fmt: str | None) -> str:
    """The format named (checked) or else guessed from the file; ValueError for an unknown name."""
    if fmt:
        name = fmt.lower()
        name = {"xml": "moodlexml", "moodle_xml": "moodlexml"}.get(name, name)
        if name not in formats.IMPORT_FORMATS:
            raise ValueError(f"unknown question format {fmt!r}")
        return name
    return formats.detect_format(filename, data)


def import_preview(course, data: bytes | str, filename: str, fmt: str | None = None) -> Preview:
    """What importing the file would create and every problem with its line. Writes nothing."""
    fmt = resolve_format(filename, data, fmt)
    result = formats.parse(data, fmt)
    finder = _CategoryFinder(course, create=False)
    items = []
    for q in result.questions:
        finder.find(q.category)
        items.append(PreviewItem(q.name, str(q.type), bank.display_path(bank.category_parts(q.category)), q.line))
    return Preview(fmt=fmt, filename=filename, items=items, problems=result.problems, new_categories=finder.new_paths)


def _new_question(actor, course, category: QuestionCategory, q: Question) -> BankQuestion:
    data = bank.stored_data(q)
    question = BankQuestion(course_id=course.id, category_id=category.id, qtype=str(q.type),
                            name=q.name[:bank.NAME_LENGTH], search_text=bank.search_text(q), current_version=1,
                            created_by_id=getattr(actor, "id", None), deleted=False)
    question.versions.append(QuestionVersion(number=1, data=data, created_by_id=getattr(actor, "id", None)))
    question.tags = [QuestionTag(tag=t) for t in data["tags"]]
    db.session.add(question)
    return question


def import_confirm(actor, course, data: bytes | str, filename: str, fmt: str | None = None) -> ImportCounts:
    """Import the good questions of the file (bad ones are skipped and reported), all in one transaction."""
    fmt = resolve_format(filename, data, fmt)
    result = formats.parse(data, fmt)
    counts = ImportCounts(skipped=sum(1 for p in result.problems if not p.warning),
                          warnings=sum(1 for p in result.problems if p.warning), problems=result.problems)
    if not result.questions:
        return counts
    try:
        finder = _CategoryFinder(course, create=True)
        for q in result.questions:
            _new_question(actor, course, finder.find(q.category), q)
        counts.imported = len(result.questions)
        counts.categories_created = finder.created
        audit.record(actor, "questions.import", course,
                     after={"file": (filename or "")[:200], "format": fmt, "imported": counts.imported,
                            "skipped": counts.skipped, "categories_created": counts.categories_created})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


# --- export ---------------------------------------------------------------------------------------------------------


def current_question(question: BankQuestion, paths: dict[int, list[str]] | None = None) -> Question:
    """The current version as a Question, its category path filled in."""
    version = version_of(question, question.current_version)
    q = Question.from_json(version.data)
    parts = (paths or {}).get(question.category_id)
    if parts is None:
        parts = category_paths_of(question)
    q.category = bank.category_path(parts)
    return q


def category_paths_of(question: BankQuestion) -> list[str]:
    parts: list[str] = []
    cat = question.category
    while cat is not None and len(parts) < 50:
        parts.insert(0, cat.name)
        cat = db.session.get(QuestionCategory, cat.parent_id) if cat.parent_id else None
    return parts


def export_questions(course) -> list[Question]:
    paths = category_paths(course)
    order = {cid: i for i, cid in enumerate(paths)}
    rows = list(db.session.scalars(select(BankQuestion).where(BankQuestion.course_id == course.id,
                                                              BankQuestion.deleted.is_(False))
                                   .order_by(BankQuestion.id)))
    rows.sort(key=lambda r: (order.get(r.category_id, len(order)), r.id))
    return [current_question(r, paths) for r in rows]


def export_course(course, fmt: str) -> str:
    """The course's bank (current versions, deleted questions left out) as GIFT, Moodle XML or JSON text."""
    return formats.export(export_questions(course), fmt)


# --- listing and editing --------------------------------------------------------------------------------------------


def list_questions(course, *, category_id: int | None = None, subcategories: bool = False, qtype: str = "",
                   tag: str = "", q: str = "") -> Select:
    """A select of the course's questions (not deleted), filtered; text search ignores diacritics."""
    stmt = select(BankQuestion).where(BankQuestion.course_id == course.id, BankQuestion.deleted.is_(False))
    if category_id is not None:
        ids = {category_id}
        if subcategories:
            for node in category_tree(course):
                if node.category.parent_id in ids:
                    ids.add(node.category.id)
        stmt = stmt.where(BankQuestion.category_id.in_(ids))
    if qtype:
        stmt = stmt.where(BankQuestion.qtype == qtype)
    if tag.strip():
        stmt = stmt.where(BankQuestion.id.in_(select(QuestionTag.question_id).where(
            func.lower(QuestionTag.tag) == " ".join(tag.split()).lower())))
    if q.strip():
        stmt = stmt.where(BankQuestion.search_text.like(like_pattern(q), escape="\\"))
    return stmt.order_by(BankQuestion.name, BankQuestion.id)


def course_tags(course) -> list[str]:
    return list(db.session.scalars(
        select(QuestionTag.tag).join(BankQuestion, BankQuestion.id == QuestionTag.question_id)
        .where(BankQuestion.course_id == course.id, BankQuestion.deleted.is_(False))
        .distinct().order_by(QuestionTag.tag)))


def question_of(course, question_id: int) -> BankQuestion | None:
    question = db.session.get(BankQuestion, question_id)
    if question is None or question.course_id != course.id or question.deleted:
        return None
    return question


def version_of(question: BankQuestion, number: int) -> QuestionVersion:
    return db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id,
                                                            QuestionVersion.number == number)).one()


def update_question(actor, question: BankQuestion, new: Question) -> QuestionVersion:
    """Save an edit as a new version (older versions, which attempts may use, are never changed)."""
    new.name = (new.name or "").strip()[:bank.NAME_LENGTH] or common.default_name(new.text, new.text_format)
    failures = common.validate(new)
    if failures:
        message, params = failures[0]
        raise QuestionError(message, **params)
    number = (db.session.scalar(select(func.max(QuestionVersion.number))
                                .where(QuestionVersion.question_id == question.id)) or 0) + 1
    data = bank.stored_data(new)
    version = QuestionVersion(question_id=question.id, number=number, data=data,
                              created_by_id=getattr(actor, "id", None))
    db.session.add(version)
    before = {"version": question.current_version, "name": question.name}
    question.current_version = number
    question.qtype = str(new.type)
    question.name = new.name
    question.search_text = bank.search_text(new)
    question.tags = [QuestionTag(tag=t) for t in data["tags"]]
    audit.record(actor, "questions.edit", question, before=before, after={"version": number, "name": new.name})
    db.session.commit()
    return version


def delete_question(actor, question: BankQuestion) -> None:
    """Soft delete: the question leaves the bank; its versions stay for the attempts that used them."""
    if question.deleted:
        return
    question.deleted = True
    audit.record(actor, "questions.delete", question, before={"deleted": False}, after={"deleted": True})
    db.session.commit()


TYPE_LABELS = {
    QType.MULTICHOICE: N_("Multiple choice"),
    QType.TRUEFALSE: N_("True/false"),
    QType.SHORTANSWER: N_("Short answer"),
    QType.NUMERICAL: N_("Numerical"),
    QType.MATCHING: N_("Matching"),
    QType.ESSAY: N_("Essay"),
    QType.DESCRIPTION: N_("Description"),
}


# --- uploads kept between preview and confirmation ------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9a-f]{32}")


def _upload_root() -> Path:
    path = Path(current_app.instance_path) / "question_imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def purge_old_uploads(max_age: int = UPLOAD_MAX_AGE_SECONDS) -> None:
    limit = time.time() - max_age
    for path in _upload_root().iterdir():
        try:
            if path.stat().st_mtime < limit:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
        except OSError:
            pass


def stash_upload(actor, course, data: bytes, filename: str, fmt: str) -> str:
    """Keep an uploaded file until it is confirmed; the token names it (random, 128 bits)."""
    purge_old_uploads()
    token = secrets.token_hex(16)
    folder = _upload_root() / token
    folder.mkdir()
    (folder / "data").write_bytes(data)
    meta = {"course_id": course.id, "user_id": getattr(actor, "id", None), "filename": (filename or "")[:255],
            "format": fmt}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_upload(actor, course, token: str) -> tuple[bytes, str, str] | None:
    """(data, filename, format) of a kept upload of this person for this course, or None."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    folder = _upload_root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        data = (folder / "data").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("course_id") != course.id or meta.get("user_id") != getattr(actor, "id", None):
        return None
    return data, meta.get("filename", ""), meta.get("format", "gift")


def drop_upload(token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        shutil.rmtree(_upload_root() / token, ignore_errors=True)
