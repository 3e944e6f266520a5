"""Forum pages: a course's discussions, a forum, a thread, posting, editing, lecturer tools, flags, search.

Thin adapters: read the request, ask core/authz.py, call services.py, render. A course the person may not
even see is a 404; a course they see but may not study (not enrolled) is a 403, as are actions the rules
refuse. Every change is a POST with a CSRF token; posting is rate-limited per person.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.admin.forms import choice
from elearn.core import authz, html
from elearn.core.files import StoredFile, send_stored
from elearn.core.pagination import paginate
from elearn.core.uploads import UploadError, format_size
from elearn.courses.forms import lenient_int
from elearn.courses.models import Course, Section
from elearn.courses.services import CourseError
from elearn.extensions import db, limiter
from elearn.forums import domain, forms, services
from elearn.forums.models import Flag, Forum, Post, Thread

bp = Blueprint("forums", __name__)

DEFAULT_POST_LIMIT = "10 per minute;120 per hour"


def post_rate_limit() -> str:
    return current_app.config.get("FORUM_POST_RATE_LIMIT") or DEFAULT_POST_LIMIT


def poster_key() -> str:
    """One posting budget per person, whether they post from the pages or through the API."""
    if request.blueprint == "api":  # the limit is checked before the API has looked the token up
        from elearn.api import bearer_token
        from elearn.core import tokens

        secret = bearer_token()
        return "forum-post:token:" + tokens.digest(secret)[:32] if secret else f"forum-post:addr:{request.remote_addr}"
    uid = getattr(current_user, "id", None)
    return f"forum-post:{uid}" if uid else f"forum-post:addr:{request.remote_addr}"


posting_limit = limiter.limit(post_rate_limit, key_func=poster_key, methods=["POST"])


def _actor() -> User:
    return current_user._get_current_object()


# --- loading with the person's rights -------------------------------------------------------------

def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, "forum.read", course):
        abort(403)
    return course


def _forum(forum_id: int) -> Forum:
    forum = db.session.get(Forum, forum_id)
    if forum is None:
        abort(404)
    _course(forum.course_id)
    if not services.forum_open_to(_actor(), forum):
        abort(404)
    return forum


def _thread(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        abort(404)
    forum = _forum(thread.forum_id)
    if thread.deleted_at is not None and not authz.can(current_user, "forum.moderate", forum.course):
        abort(404)
    return thread


def _post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    _thread(post.thread_id)
    if not services.post_readable(_actor(), post):
        abort(403)
    return post


def _moderated(course: Course) -> None:
    if not authz.can(current_user, "forum.moderate", course):
        abort(403)


def _errors(err: CourseError) -> list[str]:
    db.session.rollback()
    return [m.render(_) for m in err.messages]


def _flash_errors(err: CourseError) -> None:
    for text in _errors(err):
        flash(text, "error")


def forum_title(forum: Forum) -> str:
    return forum.title or _("General discussion")


def _files(form) -> list:
    data = getattr(form.attachment, "data", None)
    return [data] if data is not None and getattr(data, "filename", "") else []


def _render(template: str, **context):
    return render_template(f"forums/{template}", forum_title=forum_title, kind_labels=domain.FORUM_KIND_LABELS,
                           format_size=format_size, **context)


# --- a course's discussions -------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/discussions")
@login_required
def course_forums(course_id: int):
    course = _course(course_id)
    user = _actor()
    moderator = authz.can(user, "forum.moderate", course)
    forums_ = services.course_forums(course, include_hidden=moderator)
    unread, _by_thread = services.unread_counts(user, course)
    counts = dict(db.session.execute(
        select(Thread.forum_id, func.count(Thread.id)).where(Thread.forum_id.in_([f.id for f in forums_] or [0]),
                                                            Thread.deleted_at.is_(None)).group_by(Thread.forum_id)).all())
    open_flags = db.session.scalar(select(func.count()).select_from(services.open_flags(course).subquery())) \
        if moderator else 0
    return _render("course.html", course=course, forums=forums_, unread=unread, counts=counts,
                   search_form=forms.SearchForm(), moderator=moderator, open_flags=open_flags)


@bp.route("/courses/<int:course_id>/discussions/general")
@login_required
def general(course_id: int):
    course = _course(course_id)
    return redirect(url_for("forums.forum", forum_id=services.general_forum(course).id))


@bp.route("/courses/<int:course_id>/discussions/search")
@login_required
def search(course_id: int):
    course = _course(course_id)
    form = forms.SearchForm(request.args)
    q = (form.q.data or "").strip()[:100]
    page = paginate(services.search(_actor(), course, q)) if q else None
    return _render("search.html", course=course, form=form, q=q, page=page)


# --- a forum ------------------------------------------------------------------------------------------

@bp.route("/forums/<int:forum_id>")
@login_required
def forum(forum_id: int):
    forum = _forum(forum_id)
    user = _actor()
    course = forum.course
    moderator = authz.can(user, "forum.moderate", course)
    page = paginate(services.threads_query(forum, moderator))
    _unread, by_thread = services.unread_counts(user, course)
    refusal = domain.post_refusal(services.actor(user, course), forum.kind, False, new_thread=True)
    return _render("forum.html", course=course, forum=forum, page=page, unread=by_thread, refusal=refusal,
                   subscribed=services.is_subscribed(user.id, "forum", forum.id), toggle=forms.ToggleForm(),
                   moderator=moderator, my_posts=services.posts_by(user.id, [forum.id]).get(forum.id, 0))


@bp.route("/forums/<int:forum_id>/subscription", methods=["POST"])
@login_required
def forum_subscription(forum_id: int):
    forum = _forum(forum_id)
    form = forms.ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    on = services.set_subscription(_actor(), "forum", forum.id, form.value.data == "1")
    flash(_("You follow this forum: new posts reach you.") if on else _("You no longer follow this forum."), "success")
    return redirect(url_for("forums.forum", forum_id=forum.id))


@bp.route("/forums/<int:forum_id>/new", methods=["GET", "POST"])
@login_required
@posting_limit
def new_thread(forum_id: int):
    forum = _forum(forum_id)
    if not authz.can(current_user, "forum.start_thread", forum):
        abort(403)
    form = forms.ThreadForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            thread = services.start_thread(_actor(), forum, form.title.data, form.body.data, _files(form))
        except UploadError as err:
            db.session.rollback()
            form.attachment.errors = [err.translated()]
        except CourseError as err:
            errors = _errors(err)
        else:
            flash(_("Your thread has been posted."), "success")
            return redirect(url_for("forums.thread", thread_id=thread.id))
    return _render("thread_form.html", course=forum.course, forum=forum, form=form, errors=errors,
                   hint=forms.BODY_HINT)


# --- a thread -----------------------------------------------------------------------------------------

@bp.route("/threads/<int:thread_id>")
@login_required
def thread(thread_id: int):
    thread = _thread(thread_id)
    user = _actor()
    forum = thread.forum
    course = forum.course
    first = services.first_post(thread)
    page = paginate(services.top_level_query(user, thread))
    top_ids = [p.id for p in page.items]
    nested = services.nested_replies(user, thread, top_ids)
    all_posts = ([first] if first else []) + list(page.items) + [r for rs in nested.values() for r in rs]
    files = services.attachments([p.id for p in all_posts])
    _unread, by_thread = services.unread_counts(user, course)
    from elearn.forums.models import ReadMark

    mark = db.session.scalar(select(ReadMark.last_post_id).where(ReadMark.user_id == user.id,
                                                                 ReadMark.thread_id == thread.id)) or 0
    new_ids = {p.id for p in all_posts if p.id > mark and p.author_id != user.id}
    services.mark_thread_read(user, thread)
    reply_form = forms.ReplyForm()
    quote = request.args.get("quote", type=int)
    parent = request.args.get("parent", type=int)
    if quote:
        quoted = db.session.get(Post, quote)
        if quoted is not None and quoted.thread_id == thread.id and quoted.deleted_at is None \
                and services.post_readable(user, quoted):
            reply_form.body.data = domain.quote_html(quoted.author.full_name if quoted.author else "",
                                                     html.text_only(quoted.body))
            parent = parent or quoted.id
    if parent:
        reply_form.parent_id.data = str(parent)
    moderator = authz.can(user, "forum.moderate", course)
    who = services.actor(user, course)
    sees_others = services.sees_others(user, thread)
    refusal = domain.post_refusal(who, forum.kind, thread.locked, new_thread=False)
    other_forums = [f for f in services.course_forums(course, include_hidden=True) if f.id != forum.id] \
        if moderator else []
    move_form = forms.MoveForm()
    move_form.forum_id.choices = [choice(str(f.id), forum_title(f)) for f in other_forums]
    return _render("thread.html", course=course, forum=forum, thread=thread, first=first, page=page, nested=nested,
                   files=files, new_ids=new_ids, reply_form=reply_form, moderator=moderator, refusal=refusal,
                   sees_others=sees_others, toggle=forms.ToggleForm(), move_form=move_form,
                   can_reply=authz.can(user, "forum.reply", thread), hint=forms.BODY_HINT,
                   subscribed=services.is_subscribed(user.id, "thread", thread.id), unread_total=sum(by_thread.values()))


@bp.route("/threads/<int:thread_id>/reply", methods=["POST"])
@login_required
@posting_limit
def reply(thread_id: int):
    thread = _thread(thread_id)
    if not authz.can(current_user, "forum.reply", thread):
        abort(403)
    form = forms.ReplyForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for text in errors:
                flash(str(text), "error")
        return redirect(url_for("forums.thread", thread_id=thread.id) + "#reply")
    parent = None
    parent_id = lenient_int(form.parent_id.data)
    if parent_id:
        parent = db.session.get(Post, parent_id)
    try:
        post = services.reply(_actor(), thread, form.body.data, parent, _files(form))
    except UploadError as err:
        db.session.rollback()
        flash(err.translated(), "error")
        return redirect(url_for("forums.thread", thread_id=thread.id) + "#reply")
    except CourseError as err:
        _flash_errors(err)
        return redirect(url_for("forums.thread", thread_id=thread.id) + "#reply")
    flash(_("Your reply has been posted."), "success")
    return redirect(_post_url(post))


def _post_url(post: Post) -> str:
    """The page of the thread that shows this post (top-level replies are paginated oldest first)."""
    top = post.parent_id or post.id
    if post.is_first:
        return url_for("forums.thread", thread_id=post.thread_id)
    before = db.session.scalar(select(func.count()).select_from(Post).where(
        Post.thread_id == post.thread_id, Post.is_first.is_(False), Post.parent_id.is_(None), Post.id < top)) or 0
    per_page = current_app.config["PER_PAGE"]
    page = before // per_page + 1
    url = url_for("forums.thread", thread_id=post.thread_id, page=page if page > 1 else None)
    return f"{url}#post-{post.id}"


@bp.route("/threads/<int:thread_id>/subscription", methods=["POST"])
@login_required
def thread_subscription(thread_id: int):
    thread = _thread(thread_id)
    form = forms.ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    on = services.set_subscription(_actor(), "thread", thread.id, form.value.data == "1")
    flash(_("You follow this thread.") if on else _("You no longer follow this thread."), "success")
    return redirect(url_for("forums.thread", thread_id=thread.id))


@bp.route("/threads/<int:thread_id>/<any(pinned, locked):what>", methods=["POST"])
@login_required
def thread_toggle(thread_id: int, what: str):
    thread = _thread(thread_id)
    _moderated(thread.forum.course)
    form = forms.ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_flag(_actor(), thread, what, form.value.data == "1")
    flash(_("The changes have been saved."), "success")
    return redirect(url_for("forums.thread", thread_id=thread.id))


@bp.route("/threads/<int:thread_id>/move", methods=["POST"])
@login_required
def thread_move(thread_id: int):
    thread = _thread(thread_id)
    _moderated(thread.forum.course)
    form = forms.MoveForm()
    if not form.validate_on_submit():
        abort(400)
    target = db.session.get(Forum, lenient_int(form.forum_id.data) or 0)
    if target is None:
        abort(404)
    try:
        services.move_thread(_actor(), thread, target)
    except CourseError as err:
        _flash_errors(err)
    else:
        flash(_("The thread has been moved to “%(forum)s”.", forum=forum_title(target)), "success")
    return redirect(url_for("forums.thread", thread_id=thread.id))


# --- a post -------------------------------------------------------------------------------------------

@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    post = _post(post_id)
    if not authz.can(current_user, "forum.edit_post", post):
        abort(403)
    thread = post.thread
    form = forms.EditForm(data={"title": thread.title, "body": post.body} if request.method == "GET" else None)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            services.edit_post(_actor(), post, form.body.data, form.title.data if post.is_first else None,
                               _files(form))
        except UploadError as err:
            db.session.rollback()
            form.attachment.errors = [err.translated()]
        except CourseError as err:
            errors = _errors(err)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(_post_url(post))
    deadline = domain.edit_deadline(post.created_at, services.edit_minutes())
    return _render("post_edit.html", course=thread.forum.course, forum=thread.forum, thread=thread, post=post,
                   form=form, errors=errors, deadline=deadline, hint=forms.BODY_HINT,
                   moderator=authz.can(current_user, "forum.moderate", thread.forum.course))


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete(post_id: int):
    post = _post(post_id)
    if not authz.can(current_user, "forum.delete_post", post):
        abort(403)
    thread = post.thread
    form = forms.ReasonForm()
    errors: list[str] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.delete_post(_actor(), post, form.reason.data or "")
        except CourseError as err:
            errors = _errors(err)
        else:
            flash(_("The post has been deleted."), "success")
            if post.is_first:
                return redirect(url_for("forums.forum", forum_id=thread.forum_id))
            return redirect(url_for("forums.thread", thread_id=thread.id))
    needs_reason = post.author_id != current_user.id
    return _render("post_delete.html", course=thread.forum.course, forum=thread.forum, thread=thread, post=post,
                   form=form, errors=errors, needs_reason=needs_reason)


@bp.route("/posts/<int:post_id>/accept", methods=["POST"])
@login_required
def accept(post_id: int):
    post = _post(post_id)
    thread = post.thread
    _moderated(thread.forum.course)
    form = forms.ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.accept_answer(_actor(), thread, post if form.value.data == "1" else None)
    except CourseError as err:
        _flash_errors(err)
    else:
        flash(_("Marked as the accepted answer.") if thread.accepted_post_id else _("The accepted answer mark is removed."),
              "success")
    return redirect(_post_url(post))


@bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
def flag(post_id: int):
    post = _post(post_id)
    if not authz.can(current_user, "forum.flag", post):
        abort(403)
    form = forms.FlagForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            services.flag_post(_actor(), post, form.reason.data)
        except CourseError as err:
            errors = _errors(err)
        else:
            flash(_("Thank you: the lecturers will review this post."), "success")
            return redirect(_post_url(post))
    return _render("flag.html", course=post.thread.forum.course, forum=post.thread.forum, thread=post.thread,
                   post=post, form=form, errors=errors)


@bp.route("/posts/<int:post_id>/files/<int:file_id>")
@login_required
def attachment(post_id: int, file_id: int):
    post = _post(post_id)
    file = db.session.get(StoredFile, file_id)
    if file is None or file.attached_type != services.ATTACHED_TYPE or file.attached_id != post.id \
            or (post.deleted_at is not None and not authz.can(current_user, "forum.moderate", post.thread.forum.course)):
        abort(404)
    return send_stored(file, as_attachment=request.args.get("download") == "1")


# --- flags (lecturers) ------------------------------------------------------------------------------

@bp.route("/courses/<int:course_id>/discussions/flags")
@login_required
def flags(course_id: int):
    course = _course(course_id)
    _moderated(course)
    page = paginate(services.open_flags(course))
    return _render("flags.html", course=course, page=page, form=forms.ResolveForm())


@bp.route("/flags/<int:flag_id>/resolve", methods=["POST"])
@login_required
def resolve(flag_id: int):
    row = db.session.get(Flag, flag_id)
    if row is None:
        abort(404)
    course = _course(row.post.thread.forum.course_id)
    _moderated(course)
    form = forms.ResolveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.resolve_flag(_actor(), row, form.outcome.data == "remove", form.reason.data or "")
    except CourseError as err:
        _flash_errors(err)
    else:
        flash(_("The post has been removed.") if form.outcome.data == "remove" else _("The post is kept."), "success")
    return redirect(url_for("forums.flags", course_id=course.id))


# --- forums in the course flow (lecturers) -----------------------------------------------------------

def _forum_data(form) -> services.ForumData:
    return services.ForumData(title=form.title.data or "", kind=form.kind.data, intro=form.intro.data or "",
                              min_posts=form.min_posts.data or 0, required=bool(form.required.data))


@bp.route("/courses/<int:course_id>/manage/sections/<int:section_id>/forums/new", methods=["GET", "POST"])
@login_required
def forum_new(course_id: int, section_id: int):
    course = db.session.get(Course, course_id)
    if course is None or not authz.can(current_user, "course.view", course):
        abort(404)
    if not authz.can(current_user, "course.edit", course):
        abort(403)
    section = db.session.get(Section, section_id)
    if section is None or section.course_id != course.id:
        abort(404)
    form = forms.ForumForm()
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            forum = services.create_forum(_actor(), section, _forum_data(form))
        except CourseError as err:
            errors = _errors(err)
        else:
            flash(_("The forum “%(title)s” has been added.", title=forum.title), "success")
            return redirect(url_for("courses.structure", course_id=course.id))
    return _render("forum_form.html", course=course, section=section, forum=None, form=form, errors=errors)


@bp.route("/forums/<int:forum_id>/settings", methods=["GET", "POST"])
@login_required
def forum_settings(forum_id: int):
    forum = _forum(forum_id)
    if not authz.can(current_user, "course.edit", forum.course) or forum.general_of_id is not None:
        abort(403)
    item = services.item_for_forum(forum)
    form = forms.ForumForm(data={"title": forum.title, "kind": forum.kind, "intro": forum.intro,
                                 "min_posts": forum.min_posts, "required": item.required if item else True}
                           if request.method == "GET" else None)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            services.update_forum(_actor(), forum, _forum_data(form))
        except CourseError as err:
            errors = _errors(err)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("forums.forum", forum_id=forum.id))
    return _render("forum_form.html", course=forum.course, section=None, forum=forum, form=form, errors=errors)
