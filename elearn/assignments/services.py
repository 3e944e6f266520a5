"""Use cases of assignments: authoring, drafts and submissions with files, grading, completion facts.

Beside it: grading.py (unit heads, the grading queue), similarity_check.py (the background check),
commitments.py (the action plan as data). The acting user is always an argument; nothing here reads the
request. Rules live in domain.py; permission checks are the callers' (core/authz.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from elearn.accounts.models import User
from elearn.assignments import domain
from elearn.assignments.domain import Grading, State, Template
from elearn.assignments.models import (
    Assignment,
    Grade,
    Submission,
    SubmissionFile,
)
from elearn.core import audit, clock, html, notify
from elearn.core.uploads import DOCX, UploadError, delete_stored, save_image, save_upload, sniff
from elearn.courses import services as course_services
from elearn.courses.messages import N_, Message, msg
from elearn.courses.models import Course, Section, SectionItem
from elearn.extensions import db

ITEM_KIND = "assignment"
MAX_TEXT = 200_000  # characters of stored HTML per text field


class AssignmentError(Exception):
    """A rule refused the change. `messages` are translatable Messages; `field` names the form field."""

    def __init__(self, *messages: Message, field: str | None = None):
        super().__init__("; ".join(m.render() for m in messages))
        self.messages = list(messages)
        self.field = field


def _fail(msgid: str, field: str | None = None, **params) -> AssignmentError:
    return AssignmentError(msg(msgid, **params), field=field)


# ---- authoring ---------------------------------------------------------------------------------------------------

@dataclass
class AssignmentData:
    title: str
    template: str = Template.REFLECTION
    instructions: str = ""
    due_at: object = None  # aware datetime or None
    late_until: object = None
    allow_text: bool = True
    allow_files: bool = True
    max_files: int = 3
    min_words: int | None = None
    max_words: int | None = None
    allow_resubmit: bool = True
    grading: str = Grading.RUBRIC
    rubric: tuple = ()  # domain.Criterion
    max_score: float | None = None
    pass_score: float | None = None
    similarity_percent: float = 50.0
    required: bool = True


def _validate(data: AssignmentData) -> None:
    if not data.title.strip():
        raise _fail(N_("Give the assignment a title."), "title")
    if data.template not in set(Template):
        raise _fail(N_("Unknown kind of assignment."), "template")
    for problem, field in ((domain.deadline_problem(data.due_at, data.late_until), "late_until"),
                           (domain.limits_problem(data.min_words, data.max_words), "max_words"),
                           (domain.grading_problem(data.grading, data.rubric, data.max_score, data.pass_score),
                            "pass_score")):
        if problem:
            raise _fail(problem, field)
    if data.grading == Grading.RUBRIC and not data.rubric:
        raise _fail(N_("A rubric needs at least one criterion."), "rubric")
    if not data.allow_text and not data.allow_files:
        raise _fail(N_("Allow online text, files, or both."), "allow_text")
    if not 10 <= data.similarity_percent <= 100:
        raise _fail(N_("The similarity threshold must be between 10 and 100 percent."), "similarity_percent")


def _apply(assignment: Assignment, data: AssignmentData) -> None:
    assignment.title = data.title.strip()[:300]
    assignment.template = data.template
    assignment.instructions = html.clean(data.instructions)
    assignment.due_at, assignment.late_until = data.due_at, data.late_until
    assignment.allow_text, assignment.allow_files = data.allow_text, data.allow_files
    assignment.max_files = max(1, min(int(data.max_files or 1), 10))
    assignment.min_words, assignment.max_words = data.min_words or None, data.max_words or None
    assignment.allow_resubmit = data.allow_resubmit
    assignment.grading = data.grading
    assignment.rubric = domain.rubric_to_json(data.rubric) if data.grading == Grading.RUBRIC else []
    assignment.max_score = data.max_score if data.grading == Grading.SCORE else None
    assignment.pass_score = data.pass_score if data.grading != Grading.PASS_FAIL else None
    assignment.similarity_threshold = round(data.similarity_percent / 100, 4)


def create_assignment(actor: User, section: Section, data: AssignmentData) -> Assignment:
    _validate(data)
    assignment = Assignment(course_id=section.course_id, created_by_id=actor.id)
    _apply(assignment, data)
    db.session.add(assignment)
    db.session.flush()
    section.items.append(SectionItem(kind=ITEM_KIND, ref_id=assignment.id, required=data.required,
                                     position=len(section.items) + 1))
    audit.record(actor, "assignment.create", assignment, after={"title": assignment.title}, label=assignment.title)
    db.session.commit()
    return assignment


def update_assignment(actor: User, assignment: Assignment, data: AssignmentData) -> Assignment:
    _validate(data)
    before = {"title": assignment.title, "due_at": str(assignment.due_at), "grading": assignment.grading}
    _apply(assignment, data)
    item = item_for(assignment)
    if item is not None:
        item.required = data.required
    after = {"title": assignment.title, "due_at": str(assignment.due_at), "grading": assignment.grading}
    audit.record(actor, "assignment.edit", assignment, before=before, after=after, label=assignment.title)
    db.session.commit()
    return assignment


def item_for(assignment: Assignment) -> SectionItem | None:
    return db.session.scalar(select(SectionItem).where(SectionItem.kind == ITEM_KIND,
                                                       SectionItem.ref_id == assignment.id))


def criteria(assignment: Assignment) -> tuple:
    return domain.rubric_from_json(assignment.rubric) if assignment.rubric else ()


def course_assignments(course: Course, include_hidden: bool = False) -> list[Assignment]:
    """The course's assignments in outline order."""
    ids = [item.ref_id for section in course.sections for item in section.items
           if item.kind == ITEM_KIND and (item.visible or include_hidden)]
    rows = {a.id: a for a in db.session.scalars(select(Assignment).where(Assignment.id.in_(ids or [0])))}
    return [rows[i] for i in ids if i in rows]


# ---- submissions -------------------------------------------------------------------------------------------------

def submission_of(assignment: Assignment, user_id: int) -> Submission | None:
    return db.session.scalar(select(Submission).where(Submission.assignment_id == assignment.id,
                                                      Submission.user_id == user_id))


def plain_text(assignment: Assignment, submission: Submission) -> str:
    """The visible text of a submission (the sections of a reflection essay one after another)."""
    if assignment.template == Template.REFLECTION:
        return "\n".join(html.text_only((submission.sections or {}).get(key, "")) for key in domain.SECTION_KEYS)
    return html.text_only(submission.text)


def comparable_text(assignment: Assignment, submission: Submission) -> str:
    """What the similarity check compares: the online text, then the text of attached PDF and DOCX files
    (read once and kept on the attachment row)."""
    from elearn.assignments.attachments import file_text
    from elearn.core.files import path_of

    parts = [plain_text(assignment, submission)]
    for link in submission.files:
        if link.text is None:
            try:
                link.text = file_text(path_of(link.file), link.file.content_type)
            except OSError:
                link.text = ""
        parts.append(link.text)
    return "\n".join(p for p in parts if p)


def window(assignment: Assignment) -> domain.Window:
    return domain.window(clock.now(), assignment.due_at, assignment.late_until)


def can_edit(assignment: Assignment, submission: Submission | None) -> bool:
    state = submission.state if submission is not None else State.DRAFT
    return domain.editable(state, assignment.allow_resubmit, window(assignment))


def _ensure_submission(actor: User, assignment: Assignment) -> Submission:
    submission = submission_of(assignment, actor.id)
    if submission is None:
        submission = Submission(assignment_id=assignment.id, user_id=actor.id, state=State.DRAFT, text="",
                                sections={})
        db.session.add(submission)
        db.session.flush()
    return submission


def _check_editable(assignment: Assignment, submission: Submission | None) -> None:
    when = window(assignment)
    if when == domain.Window.CLOSED:
        raise _fail(N_("Submissions closed on %(date)s."),
                    date=domain.local_text(domain.closes_at(assignment.due_at, assignment.late_until)))
    if not can_edit(assignment, submission):
        if submission is not None and submission.state == State.GRADED:
            raise _fail(N_("This submission has been graded and cannot be changed."))
        raise _fail(N_("This assignment does not allow submitting again."))


def save_draft(actor: User, assignment: Assignment, *, text: str | None = None, sections: dict | None = None,
               uploads=(), remove_file_ids=()) -> Submission:
    """Keep the learner's text and files as a draft. Editing a submitted submission makes it a draft again."""
    existing = submission_of(assignment, actor.id)
    _check_editable(assignment, existing)
    submission = existing or _ensure_submission(actor, assignment)
    if assignment.allow_text:
        if assignment.template == Template.REFLECTION and sections is not None:
            submission.sections = {key: html.clean((sections.get(key) or "")[:MAX_TEXT]) for key in domain.SECTION_KEYS}
        elif assignment.template == Template.FREE and text is not None:
            submission.text = html.clean(text[:MAX_TEXT])
    for link in list(submission.files):
        if link.id in set(remove_file_ids):
            delete_stored(link.file)
            submission.files.remove(link)
    uploads = [u for u in uploads if u is not None and (getattr(u, "filename", "") or "").strip()]
    if uploads and not assignment.allow_files:
        raise _fail(N_("This assignment does not take files."), "files")
    if len(submission.files) + len(uploads) > assignment.max_files:
        raise _fail(N_("At most %(n)s files can be attached."), "files", n=assignment.max_files)
    for upload in uploads:
        stored = accept_file(actor, upload)
        submission.files.append(SubmissionFile(file=stored))
    submission.word_count = domain.word_count(plain_text(assignment, submission))
    if submission.state == State.SUBMITTED:
        submission.state = State.DRAFT
    db.session.flush()
    for link in submission.files:
        link.file.attached_type, link.file.attached_id = "submission", submission.id
    db.session.commit()
    return submission


def accept_file(actor: User, upload):
    """A submission file: PDF or DOCX as sent, an image re-encoded (no metadata, e.g. the phone's GPS)."""
    head = upload.stream.read(8192)
    upload.stream.seek(0)
    fmt = sniff(head)
    if fmt is not None and fmt.kind == "image":
        return save_image(upload, owner=actor, attached_type="submission")
    stored = save_upload(upload, allowed_kinds={"document", "office", "image"}, owner=actor,
                         attached_type="submission")
    if stored.kind == "office" and stored.content_type != DOCX.content_type:
        raise UploadError(N_("This type of file is not allowed here. Allowed types: %(allowed)s."),
                          allowed=".pdf, .docx, .jpg, .png, .gif, .webp")
    return stored


def submit(actor: User, assignment: Assignment, *, check_similarity: bool = True) -> Submission:
    """Submit the draft. Submitting what is already submitted changes nothing (a double click).

    Then the similarity check of the assignment runs again in the background."""
    submission = submission_of(assignment, actor.id)
    if submission is not None and submission.state in (State.SUBMITTED, State.GRADED):
        return submission
    state = submission.state if submission is not None else State.DRAFT
    text = plain_text(assignment, submission) if submission is not None else ""
    count = domain.word_count(text)
    has_content = bool(count) or bool(submission is not None and submission.files)
    check = domain.submit_check(now=clock.now(), due_at=assignment.due_at, late_until=assignment.late_until,
                                state=state, allow_resubmit=assignment.allow_resubmit,
                                resubmitting=bool(submission is not None and submission.times_submitted),
                                has_content=has_content, count=count if assignment.allow_text else 0,
                                has_files=bool(submission is not None and submission.files),
                                min_words=assignment.min_words if assignment.allow_text else None,
                                max_words=assignment.max_words if assignment.allow_text else None)
    if not check.ok:
        raise AssignmentError(check.problem)
    submission.state = State.SUBMITTED
    submission.submitted_at = clock.now()
    submission.late = check.late
    submission.times_submitted += 1
    submission.word_count = count
    if assignment.template == Template.REFLECTION:
        from elearn.assignments.commitments import store_commitments

        store_commitments(assignment, submission)
    audit.record(actor, "assignment.submit", submission, after={"assignment_id": assignment.id, "late": check.late},
                 label=assignment.title[:200])
    db.session.commit()
    if check_similarity:
        from elearn.assignments.similarity_check import start_similarity

        start_similarity(actor, assignment)
    return submission


# ---- grading -----------------------------------------------------------------------------------------------------

def grade(actor: User, submission: Submission, *, levels=None, score: float | None = None,
          pass_flag: bool | None = None, feedback: str = "") -> Grade:
    """Grade (or re-grade) a submitted submission; the learner is notified and their completion updated."""
    assignment = submission.assignment
    if submission.state not in (State.SUBMITTED, State.GRADED):
        raise _fail(N_("Only submitted work can be graded."))
    top = None
    chosen: list[int] = []
    if assignment.grading == Grading.RUBRIC:
        crit = criteria(assignment)
        try:
            chosen = [int(x) for x in (levels or [])]
            score = domain.rubric_score(crit, chosen)
        except (TypeError, ValueError):
            raise _fail(N_("Choose one level for every criterion."), "levels") from None
        top = domain.rubric_max(crit)
    elif assignment.grading == Grading.SCORE:
        top = assignment.max_score
        if score is None or not 0 <= score <= (top or 0):
            raise _fail(N_("The score must be between 0 and %(max)s."), "score", max=top or 0)
    else:
        if pass_flag is None:
            raise _fail(N_("Choose pass or fail."), "passed")
        score = None
    ok = domain.passed(assignment.grading, score=score, pass_score=assignment.pass_score, pass_flag=pass_flag)
    row = submission.grade or Grade(submission_id=submission.id)
    before = {"score": row.score, "passed": row.passed} if submission.grade else None
    row.grader_id, row.score, row.max_score, row.passed, row.levels = actor.id, score, top, ok, chosen
    row.feedback = html.clean((feedback or "")[:MAX_TEXT])
    row.graded_at = clock.now()
    submission.grade = row
    submission.state = State.GRADED
    audit.record(actor, "assignment.grade", submission, before=before, after={"score": score, "passed": ok},
                 label=assignment.title[:200])
    notify.send([submission.user_id], kind="assignment_graded",
                title=f"Đã chấm bài: {assignment.title}"[:300],
                body=("Đạt" if ok else "Chưa đạt") + (f" · {score:g}/{top:g}" if score is not None and top else ""),
                url=f"/assignments/{assignment.id}")
    enrolment = course_services.enrolment_of(submission.user_id, assignment.course_id)
    if enrolment is not None and enrolment.state == "active":
        db.session.flush()
        course_services.recompute(enrolment)
    db.session.commit()
    return row


# ---- completion (FACT_HOOKS) ------------------------------------------------------------------------------------

def completion_facts(course: Course, user_id: int) -> dict:
    ids = [a.id for a in course_assignments(course)]
    passed = set(db.session.scalars(
        select(Submission.assignment_id).join(Grade, Grade.submission_id == Submission.id)
        .where(Submission.user_id == user_id, Submission.assignment_id.in_(ids or [0]), Grade.passed.is_(True))))
    return {"assignments_passed": frozenset(passed), "course_assignment_ids": frozenset(ids)}
