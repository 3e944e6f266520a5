"""Pages of the document library: browse and search, read, add and edit, record amendments and
replacements; the lesson citation editor and a course's cited documents with their "document updated"
warnings.

Thin adapters: read the request, ask core/authz.py, call services.py / search.py, render. Everyone signed
in reads the library; lecturers and admins change it ("documents.manage"); a course's lecturers choose what
its lessons cite ("documents.cite"). A course the person may not see is a 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.models import User
from elearn.core import authz
from elearn.core.files import send_stored
from elearn.core.pagination import page_args
from elearn.core.uploads import UploadError, format_size, save_upload
from elearn.courses import services as course_services
from elearn.courses.models import Course, Lesson
from elearn.documents import domain, search, services
from elearn.documents.forms import ChangeForm, CiteForm, DocumentForm, SearchForm, form_data
from elearn.documents.models import Document, DocumentReview
from elearn.extensions import db

bp = Blueprint("documents", __name__)

FILE_MAX_AGE = 3600
LABELS = {"kind": domain.KIND_LABELS, "status": domain.STATUS_LABELS, "change": domain.CHANGE_LABELS}


def _actor() -> User:
    return current_user._get_current_object()


def _render(template: str, **context):
    return render_template(f"documents/{template}", labels=LABELS, **context)


def _document(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    return document


def _uploaded(field) -> bool:
    data = getattr(field, "data", None)
    return bool(data is not None and getattr(data, "filename", ""))


def _show_errors(form, err: services.DocumentError) -> None:
    db.session.rollback()
    for name, msgid in err.errors.items():
        target = getattr(form, name, None)
        text = _(msgid, **err.params)
        if target is not None:
            target.errors = [*target.errors, text]
        else:
            flash(text, "error")


def _visible_citations(document_ids: list[int]) -> dict[int, list[tuple[Course, Lesson | None]]]:
    """Per document: the (course, lesson) pairs the person may see; the lesson only if they may study it."""
    user = _actor()
    allowed: dict[int, tuple[bool, bool]] = {}
    out: dict[int, list[tuple[Course, Lesson | None]]] = {}
    for doc_id, course, lesson in services.citations(document_ids):
        if course.id not in allowed:
            allowed[course.id] = (authz.can(user, "course.view", course), authz.can(user, "course.study", course))
        view, study = allowed[course.id]
        if view:
            out.setdefault(doc_id, []).append((course, lesson if study else None))
    return out


# ---- browse and search -------------------------------------------------------------------------

@bp.route("/documents")
@login_required
def index():
    authz.require("documents.view")
    form = SearchForm(request.args, bodies=search.issuing_bodies())
    form.validate()
    filters = search.Filters(
        q=(form.q.data or "").strip()[:200] if not form.q.errors else "",
        kind=form.kind.data if form.kind.data in set(domain.DocKind) else "",
        status=form.status.data if form.status.data in set(domain.Status) else "",
        tag=(form.tag.data or "").strip()[:60],
        body=form.body.data or "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None)
    page_no, per_page = page_args()
    page, query = search.search(filters, page=page_no, per_page=per_page)
    cited = _visible_citations([hit.document.id for hit in page.items])
    courses: dict[int, Course] = {}  # "the same search box finds the courses": only for a query
    for pairs in cited.values() if filters.q else ():
        for course, _lesson in pairs:
            courses.setdefault(course.id, course)
    return _render("index.html", form=form, page=page, query=query, cited=cited, courses=list(courses.values()),
                   searched=bool(filters))


# ---- one document ------------------------------------------------------------------------------------

@bp.route("/documents/<int:document_id>")
@login_required
def show(document_id: int):
    authz.require("documents.view")
    document = _document(document_id)
    cited = _visible_citations([document.id]).get(document.id, [])
    by_course: dict[int, tuple[Course, list[Lesson]]] = {}
    for course, lesson in cited:
        entry = by_course.setdefault(course.id, (course, []))
        if lesson is not None:
            entry[1].append(lesson)
    change_form = ChangeForm() if authz.can(_actor(), "documents.manage") and \
        document.status != domain.Status.SUPERSEDED else None
    return _render("show.html", document=document, changes=services.changes_of(document),
                   changes_made=services.changed_by(document), citing=list(by_course.values()),
                   change_form=change_form,
                   file_size=format_size(document.file.size) if document.file is not None else "")


@bp.route("/documents/<int:document_id>/file")
@login_required
def file(document_id: int):
    authz.require("documents.view")
    document = _document(document_id)
    if document.file is None:
        abort(404)
    return send_stored(document.file, as_attachment=request.args.get("download") == "1", max_age=FILE_MAX_AGE)


def _save(form: DocumentForm, save):
    """Store the uploaded PDF (if any) and run `save(file)`; refusals go on the form. The saved document or None."""
    try:
        stored = None
        if _uploaded(form.file):
            stored = save_upload(form.file.data, allowed_kinds={"document"}, owner=_actor(),
                                 attached_type="document")
        return save(stored)
    except UploadError as err:
        db.session.rollback()
        form.file.errors = [*form.file.errors, err.translated()]
    except services.DocumentError as err:
        _show_errors(form, err)
    return None


def _text_flash(document: Document) -> None:
    if document.text_status == "pending":
        flash(_("The PDF is long: its text is being indexed for the search and will be found in a few minutes."),
              "success")
    elif document.text_status in ("empty", "failed"):
        flash(_("No text could be read from this PDF (it may be a scan). It is stored, but its content is not "
                "searchable: paste the text in the full-text field if you have it."), "warning")


@bp.route("/documents/new", methods=["GET", "POST"])
@login_required
def new():
    authz.require("documents.manage")
    form = DocumentForm()
    if form.validate_on_submit():
        document = _save(form, lambda stored: services.create_document(_actor(), form.data_object(), file=stored))
        if document is not None:
            flash(_("The document %(symbol)s has been added to the library.", symbol=document.symbol), "success")
            _text_flash(document)
            return redirect(url_for("documents.show", document_id=document.id))
    return _render("form.html", form=form, document=None, bodies=search.issuing_bodies())


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
@login_required
def edit(document_id: int):
    authz.require("documents.manage")
    document = _document(document_id)
    form = DocumentForm(data=form_data(document) if request.method == "GET" else None)
    if form.validate_on_submit():
        saved = _save(form, lambda stored: services.update_document(_actor(), document, form.data_object(),
                                                                    file=stored))
        if saved is not None:
            flash(_("The changes have been saved."), "success")
            if _uploaded(form.file):
                _text_flash(saved)
            return redirect(url_for("documents.show", document_id=saved.id))
        document = _document(document_id)
    return _render("form.html", form=form, document=document, bodies=search.issuing_bodies())


def _by_symbol(symbol: str) -> Document | None:
    """The newest document with this number and symbol."""
    return db.session.scalar(select(Document).where(Document.symbol_key == domain.symbol_key(symbol))
                             .order_by(Document.issued_on.desc(), Document.id.desc()).limit(1))


@bp.route("/documents/<int:document_id>/changes", methods=["POST"])
@login_required
def change(document_id: int):
    authz.require("documents.manage")
    document = _document(document_id)
    form = ChangeForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for text in errors:
                flash(str(text), "error")
        return redirect(url_for("documents.show", document_id=document.id))
    newer = _by_symbol(form.by_symbol.data)
    if newer is None:
        flash(_("No document with the number and symbol %(symbol)s is in the library: add it first.",
                symbol=domain.normalise_symbol(form.by_symbol.data)), "error")
        return redirect(url_for("documents.show", document_id=document.id))
    try:
        notified = services.record_change(_actor(), document, newer, form.change.data, form.note.data or "")
    except services.DocumentError as err:
        db.session.rollback()
        for msgid in err.errors.values():
            flash(_(msgid, **err.params), "error")
    else:
        flash(_("Recorded: %(symbol)s is now “%(status)s”. Lecturers notified: %(n)s.", symbol=document.symbol,
                status=_(domain.STATUS_LABELS[domain.Status(document.status)]), n=notified), "success")
    return redirect(url_for("documents.show", document_id=document.id))


@bp.route("/documents/<int:document_id>/reindex", methods=["POST"])
@login_required
def reindex(document_id: int):
    authz.require("documents.manage")
    document = _document(document_id)
    if document.file is None:
        abort(404)
    services.reindex_text(_actor(), document)
    if document.text_status == "ok":
        flash(_("The text of the PDF has been read again and is searchable."), "success")
    _text_flash(document)
    return redirect(url_for("documents.show", document_id=document.id))


# ---- lesson citations -----------------------------------------------------------------------------------

def _managed_course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, "documents.cite", course):
        abort(403)
    return course


def _lesson_of(course: Course, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.course_id != course.id:
        abort(404)
    return lesson


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/documents", methods=["GET", "POST"])
@login_required
def lesson_citations(course_id: int, lesson_id: int):
    course = _managed_course(course_id)
    lesson = _lesson_of(course, lesson_id)
    form = CiteForm()
    if form.validate_on_submit():
        document = _by_symbol(form.symbol.data)
        if document is None:
            form.symbol.errors = [_("No document with the number and symbol %(symbol)s is in the library.",
                                    symbol=domain.normalise_symbol(form.symbol.data))]
        else:
            try:
                added = services.cite(_actor(), lesson, document)
            except services.DocumentError as err:
                db.session.rollback()
                form.symbol.errors = [*form.symbol.errors, *[_(m, **err.params) for m in err.errors.values()]]
            else:
                flash(_("The lesson now cites %(symbol)s.", symbol=document.symbol) if added
                      else _("The lesson already cites %(symbol)s.", symbol=document.symbol), "success")
                return redirect(url_for("documents.lesson_citations", course_id=course.id, lesson_id=lesson.id))
    symbols = db.session.execute(select(Document.symbol, Document.title).order_by(Document.issued_on.desc())
                                 .limit(500)).all()
    return _render("lesson_citations.html", course=course, lesson=lesson, form=form,
                   documents=services.lesson_documents(lesson.id), symbols=symbols)


@bp.route("/courses/<int:course_id>/lessons/<int:lesson_id>/documents/<int:document_id>/remove", methods=["POST"])
@login_required
def lesson_uncite(course_id: int, lesson_id: int, document_id: int):
    course = _managed_course(course_id)
    lesson = _lesson_of(course, lesson_id)
    document = _document(document_id)
    if services.uncite(_actor(), lesson, document):
        flash(_("The lesson no longer cites %(symbol)s.", symbol=document.symbol), "success")
    return redirect(url_for("documents.lesson_citations", course_id=course.id, lesson_id=lesson.id))


# ---- a course's documents and its "document updated" warnings -------------------------------------------

@bp.route("/courses/<int:course_id>/documents")
@login_required
def course_documents(course_id: int):
    course = _managed_course(course_id)
    return _render("course_documents.html", course=course, rows=services.course_documents(course),
                   reviews=services.open_reviews(course.id),
                   lessons=[(item, view) for _s, entries in course_services.outline(course, None, include_hidden=True)
                            for item, view, _done in entries if item.kind == "lesson"])


@bp.route("/courses/<int:course_id>/documents/reviews/<int:review_id>", methods=["POST"])
@login_required
def review(course_id: int, review_id: int):
    course = _managed_course(course_id)
    row = db.session.get(DocumentReview, review_id)
    if row is None or row.course_id != course.id:
        abort(404)
    services.mark_reviewed(_actor(), row)
    flash(_("Marked as reviewed: %(symbol)s.", symbol=row.document.symbol), "success")
    return redirect(url_for("documents.course_documents", course_id=course.id))


# ---- pieces shown on the course pages -------------------------------------------------------------------

@bp.app_context_processor
def _template_helpers():
    def document_warnings(course) -> list[DocumentReview]:
        """Open "document updated" warnings of a course, for those who maintain it."""
        if course is None or not authz.can(current_user, "documents.cite", course):
            return []
        return services.open_reviews(course.id)

    def lesson_documents(lesson) -> list[Document]:
        return services.lesson_documents(lesson.id) if lesson is not None else []

    return {"document_warnings": document_warnings, "lesson_documents": lesson_documents,
            "document_labels": LABELS}

