"""Use cases of live classes: schedule, room actions (each recorded as a numbered room event), attendance.

Takes the acting user as an argument; never reads the request. Each room action is committed before it is
acknowledged or broadcast; an action repeated with the same client id is applied once.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from elearn.core import audit, clock, html, notify
from elearn.courses import catalog
from elearn.courses.models import Course, CourseLecturer, Enrolment, Lesson, Section, SectionItem
from elearn.extensions import db
from elearn.live import domain
from elearn.live.models import (
    LiveEvent,
    LiveMessage,
    LiveParticipant,
    LivePoll,
    LivePollVote,
    LivePresence,
    LiveSession,
    LiveUpvote,
)

REPLAY_LIMIT = 1000  # events replayed at most in one answer; the client asks again from the last one
RECENT_CHAT = 50  # chat lines a first-time joiner sees


class LiveError(Exception):
    """A rule refused the action; `msgid` is shown to the person (translated by the caller)."""

    def __init__(self, msgid: str, code: str = "invalid"):
        super().__init__(msgid)
        self.msgid = msgid
        self.code = code


# ---- schedule ----------------------------------------------------------------------------------

@dataclass
class SessionData:
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    description: str = ""
    join_opens_minutes: int = 15
    late_after_minutes: int = 10
    threshold_percent: int = 75
    in_person: bool = False
    location: str = ""
    stream_url: str = ""
    recording_url: str = ""
    slide_lesson_id: int | None = None
    required: bool = True


def _embed_hosts() -> set[str]:
    from elearn.courses.services import embed_hosts

    return embed_hosts()


def _validate(course: Course, data: SessionData) -> None:
    if not data.title.strip():
        raise LiveError(domain.N_("A title is required."))
    problems = domain.schedule_problems(data.starts_at, data.ends_at, data.threshold_percent, data.join_opens_minutes)
    if problems:
        raise LiveError(problems[0])
    if data.stream_url.strip() and not catalog.embed_allowed(data.stream_url, _embed_hosts()):
        raise LiveError(domain.N_("The stream address must be an https address on the list of allowed video hosts."))
    if data.recording_url.strip() and not catalog.is_http_url(data.recording_url.strip()):
        raise LiveError(domain.N_("The recording link must be a web address (http or https)."))
    if data.slide_lesson_id is not None and data.slide_lesson_id not in {lesson.id for lesson in slide_lessons(course)}:
        raise LiveError(domain.N_("Choose a PDF document of this course for the slides."))


def _apply(session: LiveSession, data: SessionData) -> None:
    session.title = data.title.strip()[:300]
    session.description = html.clean(data.description)
    session.starts_at, session.ends_at = data.starts_at, data.ends_at
    session.join_opens_minutes, session.late_after_minutes = data.join_opens_minutes, max(data.late_after_minutes, 0)
    session.threshold_percent = data.threshold_percent
    session.in_person, session.location = data.in_person, data.location.strip()[:300]
    session.stream_url, session.recording_url = data.stream_url.strip(), data.recording_url.strip()
    if session.slide_lesson_id != data.slide_lesson_id:
        session.slide_lesson_id, session.slide_page = data.slide_lesson_id, 1


def slide_lessons(course: Course) -> list[Lesson]:
    """The course's PDF documents a lecturer may show as slides."""
    return list(db.session.scalars(select(Lesson).where(Lesson.course_id == course.id, Lesson.kind == "document",
                                                        Lesson.file_id.is_not(None)).order_by(Lesson.title)))


def create_session(actor, course: Course, section: Section, data: SessionData) -> LiveSession:
    _validate(course, data)
    session = LiveSession(course_id=course.id, created_by_id=actor.id)
    _apply(session, data)
    db.session.add(session)
    db.session.flush()
    section.items.append(SectionItem(kind="live", ref_id=session.id, required=data.required,
                                     position=len(section.items) + 1))
    audit.record(actor, "live.create", session, after={"title": session.title,
                                                        "starts_at": session.starts_at.isoformat()}, label=session.title)
    db.session.commit()
    return session


def update_session(actor, session: LiveSession, data: SessionData) -> LiveSession:
    _validate(session.course, data)
    before = {"title": session.title, "starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat()}
    moved = session.starts_at != data.starts_at
    _apply(session, data)
    if moved:
        session.reminded_at = None  # a new time gets a new reminder
    item = section_item_of(session)
    if item is not None:
        item.required = data.required
    after = {"title": session.title, "starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat()}
    audit.record(actor, "live.update", session, before=before, after=after, label=session.title)
    db.session.commit()
    return session


def section_item_of(session: LiveSession) -> SectionItem | None:
    return db.session.scalar(select(SectionItem).where(SectionItem.kind == "live", SectionItem.ref_id == session.id))


def get_session(session_id) -> LiveSession | None:
    """A session with its course (and the course's lecturers, selectin): what every room event's permission check
    reads, in two queries instead of three."""
    try:
        return db.session.get(LiveSession, int(session_id), options=[joinedload(LiveSession.course)])
    except (TypeError, ValueError):
        return None


def course_sessions(course: Course) -> list[LiveSession]:
    return list(db.session.scalars(select(LiveSession).where(LiveSession.course_id == course.id)
                                   .order_by(LiveSession.starts_at)))


def _people_course_ids(user_id: int):
    enrolled = select(Enrolment.course_id).where(Enrolment.user_id == user_id, Enrolment.state == "active")
    teaching = select(CourseLecturer.course_id).where(CourseLecturer.user_id == user_id)
    return enrolled.union(teaching)


def calendar_sessions(user, since: datetime | None = None, course: Course | None = None):
    """A person's sessions (enrolled in or teaching the course; draft courses only for their lecturers), by start."""
    stmt = (select(LiveSession).join(Course, Course.id == LiveSession.course_id)
            .where(LiveSession.course_id.in_(_people_course_ids(user.id)))
            .order_by(LiveSession.starts_at))
    teaching = select(CourseLecturer.course_id).where(CourseLecturer.user_id == user.id)
    stmt = stmt.where((Course.state != "draft") | Course.id.in_(teaching))
    if since is not None:
        stmt = stmt.where(LiveSession.ends_at >= since)
    if course is not None:
        stmt = stmt.where(LiveSession.course_id == course.id)
    return stmt


def phase_of(session: LiveSession, now: datetime | None = None) -> str:
    return domain.phase(now or clock.now(), session.starts_at, session.ends_at, session.join_opens_minutes)


# ---- calendar feed tokens ----------------------------------------------------------------------

def _feed_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="live-calendar-feed")


def feed_token(user, course: Course | None = None) -> str:
    return _feed_serializer().dumps({"u": user.id, "c": course.id if course else None})


def feed_owner(token: str, course: Course | None = None):
    """The active person a calendar feed token belongs to (for this course, or the personal feed), or None."""
    from elearn.accounts.models import User

    try:
        data = _feed_serializer().loads(token or "")
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != (course.id if course else None):
        return None
    user = db.session.get(User, data.get("u") or 0)
    return user if user is not None and user.active else None


def ics_for(user, name: str, sessions: list[LiveSession], url_for_session) -> str:
    entries = [domain.CalendarEntry(uid=f"live-{s.id}@elearn", title=f"{s.title} · {s.course.title}",
                                    starts_at=s.starts_at, ends_at=s.ends_at, url=url_for_session(s),
                                    description=html.text_only(s.description), location=s.location,
                                    stamp=s.created_at)
               for s in sessions]
    return domain.ics_calendar(name, entries, clock.now())


# ---- reminders -----------------------------------------------------------------------------------

def send_due_reminders(lead_minutes: int, url_for_session) -> int:
    """Remind the learners and lecturers of sessions starting within `lead_minutes` (once per session)."""
    now = clock.now()
    sent = 0
    due = db.session.scalars(select(LiveSession).where(LiveSession.reminded_at.is_(None), LiveSession.starts_at > now,
                                                       LiveSession.starts_at <= now + timedelta(minutes=lead_minutes)))
    for session in list(due):
        if session.course.state == "draft":
            continue
        learners = db.session.scalars(select(Enrolment.user_id).where(Enrolment.course_id == session.course_id,
                                                                      Enrolment.state == "active"))
        people = set(learners) | session.course.lecturer_ids
        local = clock.to_local(session.starts_at).strftime("%H:%M %d/%m/%Y")
        sent += notify.send(people, kind="live.reminder", title=f"{session.title} — {local}",
                            body=f"{session.course.title}: {session.title} ({local})", url=url_for_session(session))
        session.reminded_at = now
        db.session.commit()
    return sent


# ---- the room: events --------------------------------------------------------------------------

def _next_seq(session_id: int) -> int:
    result = db.session.execute(update(LiveSession).where(LiveSession.id == session_id)
                                .values(last_seq=LiveSession.last_seq + 1).returning(LiveSession.last_seq))
    return int(result.scalar_one())


def existing_event(session: LiveSession, actor, client_id: str | None) -> LiveEvent | None:
    if not client_id:
        return None
    return db.session.scalar(select(LiveEvent).where(LiveEvent.session_id == session.id,
                                                     LiveEvent.actor_id == actor.id, LiveEvent.client_id == client_id))


def _event(session: LiveSession, kind: str, actor, payload: dict, client_id: str | None = None) -> LiveEvent:
    event = LiveEvent(session_id=session.id, seq=_next_seq(session.id), kind=kind,
                      actor_id=getattr(actor, "id", None), client_id=client_id or None, payload=payload, at=clock.now())
    db.session.add(event)
    return event


def _commit_event(session: LiveSession, actor, client_id: str | None) -> bool:
    """Commit; False when a concurrent retry with the same client id won the race (nothing applied twice)."""
    try:
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        if existing_event(session, actor, client_id) is not None:
            return False
        raise


def event_dict(event: LiveEvent) -> dict:
    return {"seq": event.seq, "kind": event.kind, "data": event.payload, "at": event.at.isoformat()}


def events_since(session: LiveSession, seq: int, limit: int = REPLAY_LIMIT) -> list[dict]:
    rows = db.session.scalars(select(LiveEvent).where(LiveEvent.session_id == session.id, LiveEvent.seq > seq)
                              .order_by(LiveEvent.seq).limit(limit))
    return [event_dict(e) for e in rows]


@dataclass
class Outcome:
    """The result of a room action: the event to broadcast (None: nothing new) and the answer to the sender."""

    event: LiveEvent | None
    ack: dict
    volatile: dict | None = None  # unsequenced state update to broadcast (tallies, counts)


def client_id_of(value) -> str | None:
    if value is None:
        return None
    value = str(value)[:64]
    return value or None


def participant(session: LiveSession, user_id: int, create: bool = False) -> LiveParticipant | None:
    row = db.session.scalar(select(LiveParticipant).where(LiveParticipant.session_id == session.id,
                                                          LiveParticipant.user_id == user_id))
    if row is None and create:
        row = LiveParticipant(session_id=session.id, user_id=user_id, muted=False)
        db.session.add(row)
        db.session.flush()
    return row


def participants(session: LiveSession) -> list[LiveParticipant]:
    return list(db.session.scalars(select(LiveParticipant).where(LiveParticipant.session_id == session.id)))


def _replayed(existing: LiveEvent) -> Outcome:
    return Outcome(None, {"ok": True, "seq": existing.seq, "duplicate": True, "id": existing.payload.get("id")})


def _say(session: LiveSession, actor, text, client_id, kind: str, max_chars: int, extra) -> Outcome:
    """A chat line or a question: idempotent by the client's id, refused when muted, text cleaned and limited."""
    client_id = client_id_of(client_id)
    existing = existing_event(session, actor, client_id)
    if existing is not None:
        return _replayed(existing)
    me = participant(session, actor.id)
    if me is not None and me.muted:
        raise LiveError(domain.N_("The lecturer has muted you in this session."), "muted")
    body, problem = domain.clean_text(text, max_chars)
    if problem:
        raise LiveError(problem)
    message = LiveMessage(session_id=session.id, author_id=actor.id, kind=kind, body=body, at=clock.now())
    db.session.add(message)
    db.session.flush()
    event = _event(session, kind, actor, {"id": message.id, "user_id": actor.id, "name": actor.full_name,
                                          "text": body, **extra(message)}, client_id)
    if not _commit_event(session, actor, client_id):
        return _replayed(existing_event(session, actor, client_id))
    return Outcome(event, {"ok": True, "seq": event.seq, "id": message.id})


def chat(session: LiveSession, actor, text, client_id=None) -> Outcome:
    return _say(session, actor, text, client_id, "chat", domain.CHAT_MAX_CHARS,
                lambda message: {"at": message.at.isoformat()})


def delete_message(session: LiveSession, actor, message_id) -> Outcome:
    message = _message(session, message_id)
    if message.deleted_at is None:
        message.deleted_at, message.deleted_by_id = clock.now(), actor.id
        # The text leaves the replay log too: a reconnecting client never receives it again.
        kind = "chat" if message.kind == "chat" else "question"
        for row in db.session.scalars(select(LiveEvent).where(LiveEvent.session_id == session.id,
                                                              LiveEvent.kind == kind)):
            if row.payload.get("id") == message.id:
                row.payload = {**row.payload, "text": "", "deleted": True}
        audit.record(actor, "live.message_delete", message, before={"text": message.body[:200]},
                     label=f"live {session.id}")
    event = _event(session, "deleted", actor, {"id": message.id, "kind": message.kind})
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq})


def set_muted(session: LiveSession, actor, user_id, muted: bool) -> Outcome:
    target = _person_in_course(session, user_id)
    row = participant(session, target.id, create=True)
    row.muted = bool(muted)
    audit.record(actor, "live.mute" if muted else "live.unmute", target, label=f"live {session.id}")
    event = _event(session, "muted", actor, {"user_id": target.id, "muted": row.muted})
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq})


def ask(session: LiveSession, actor, text, client_id=None) -> Outcome:
    return _say(session, actor, text, client_id, "question", domain.QUESTION_MAX_CHARS,
                lambda _message: {"upvotes": 0, "answered": False})


def upvote(session: LiveSession, actor, question_id) -> Outcome:
    question = _message(session, question_id, kind="question")
    if question.author_id == actor.id:
        raise LiveError(domain.N_("You cannot upvote your own question."))
    if db.session.scalar(select(LiveUpvote.id).where(LiveUpvote.message_id == question.id,
                                                     LiveUpvote.user_id == actor.id)) is None:
        db.session.add(LiveUpvote(message_id=question.id, user_id=actor.id))
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            question = _message(session, question_id, kind="question")
    question.upvotes = db.session.scalar(select(func.count()).select_from(LiveUpvote)
                                         .where(LiveUpvote.message_id == question.id)) or 0
    db.session.commit()
    return Outcome(None, {"ok": True, "upvotes": question.upvotes},
                   volatile={"kind": "upvotes", "data": {"id": question.id, "upvotes": question.upvotes}})


def mark_answered(session: LiveSession, actor, question_id) -> Outcome:
    question = _message(session, question_id, kind="question")
    if question.answered_at is None:
        question.answered_at = clock.now()
    event = _event(session, "answered", actor, {"id": question.id})
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq})


def _message(session: LiveSession, message_id, kind: str | None = None) -> LiveMessage:
    try:
        message = db.session.get(LiveMessage, int(message_id))
    except (TypeError, ValueError):
        message = None
    if message is None or message.session_id != session.id or (kind and message.kind != kind) or \
            (kind == "question" and message.deleted_at is not None):
        raise LiveError(domain.N_("This message does not exist."), "not_found")
    return message


def _person_in_course(session: LiveSession, user_id):
    from elearn.accounts.models import User

    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        user = None
    if user is None:
        raise LiveError(domain.N_("This person does not exist."), "not_found")
    return user


def hand(session: LiveSession, actor, raised: bool) -> Outcome:
    row = participant(session, actor.id, create=True)
    raised = bool(raised)
    if raised == (row.hand_raised_at is not None):
        db.session.commit()
        return Outcome(None, {"ok": True})
    row.hand_raised_at = clock.now() if raised else None
    row.hand_acknowledged_at = None
    event = _event(session, "hand", actor, {"user_id": actor.id, "name": actor.full_name, "raised": raised})
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq})


def acknowledge_hand(session: LiveSession, actor, user_id) -> Outcome:
    target = _person_in_course(session, user_id)
    row = participant(session, target.id)
    if row is None or row.hand_raised_at is None:
        raise LiveError(domain.N_("This person's hand is not raised."))
    row.hand_acknowledged_at = clock.now()
    row.hand_raised_at = None
    event = _event(session, "hand_ack", actor, {"user_id": target.id})
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq})


# ---- polls -------------------------------------------------------------------------------------------

def _poll(session: LiveSession, poll_id) -> LivePoll:
    try:
        poll = db.session.get(LivePoll, int(poll_id))
    except (TypeError, ValueError):
        poll = None
    if poll is None or poll.session_id != session.id:
        raise LiveError(domain.N_("This poll does not exist."), "not_found")
    return poll


def poll_counts(poll: LivePoll) -> list[int]:
    votes = db.session.scalars(select(LivePollVote.option).where(LivePollVote.poll_id == poll.id))
    return domain.tally(votes, len(poll.options))


def poll_dict(poll: LivePoll, counts: list[int] | None = None, mine: int | None = None) -> dict:
    closed = poll.closed_at is not None
    return {"id": poll.id, "question": poll.question, "options": poll.options, "quiz": poll.correct is not None,
            "revote": poll.revote, "closed": closed, "counts": counts if counts is not None else poll_counts(poll),
            "correct": poll.correct if closed else None, "mine": mine}


def open_poll(session: LiveSession, actor, question, options, correct=None, revote="ignore") -> Outcome:
    question, problem = domain.clean_text(question if isinstance(question, str) else "", 500)
    options = options if isinstance(options, list) else []
    cleaned = [domain.clean_text(o, 200)[0] for o in options[: domain.POLL_MAX_OPTIONS + 1]]
    if correct is not None:
        try:
            correct = int(correct)
        except (TypeError, ValueError):
            correct = -1
    problems = ([problem] if problem else []) + domain.poll_problems(question, cleaned, correct, revote)
    if problems:
        raise LiveError(problems[0])
    poll = LivePoll(session_id=session.id, question=question, options=cleaned, correct=correct, revote=revote,
                    created_by_id=actor.id, opened_at=clock.now())
    db.session.add(poll)
    db.session.flush()
    event = _event(session, "poll", actor, poll_dict(poll, [0] * len(cleaned)))
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq, "id": poll.id})


def vote(session: LiveSession, actor, poll_id, option) -> Outcome:
    """One vote per person: a second vote is ignored or replaces the first, as the poll says."""
    poll = _poll(session, poll_id)
    previous = db.session.scalar(select(LivePollVote).where(LivePollVote.poll_id == poll.id,
                                                            LivePollVote.user_id == actor.id))
    action, problem = domain.vote_outcome(previous.option if previous else None, option, len(poll.options),
                                          poll.revote, poll.closed_at is not None)
    if problem:
        raise LiveError(problem, "closed" if poll.closed_at is not None else "invalid")
    if action == "insert":
        db.session.add(LivePollVote(poll_id=poll.id, user_id=actor.id, option=option, at=clock.now()))
        try:
            db.session.commit()
        except IntegrityError:  # the same vote sent twice at once
            db.session.rollback()
            action = "keep"
    elif action == "replace":
        previous.option, previous.at = option, clock.now()
        db.session.commit()
    counts = poll_counts(poll)
    mine = db.session.scalar(select(LivePollVote.option).where(LivePollVote.poll_id == poll.id,
                                                               LivePollVote.user_id == actor.id))
    volatile = {"kind": "poll_results", "data": {"id": poll.id, "counts": counts}} if action != "keep" else None
    return Outcome(None, {"ok": True, "counted": action != "keep", "mine": mine, "counts": counts}, volatile=volatile)


def close_poll(session: LiveSession, actor, poll_id) -> Outcome:
    poll = _poll(session, poll_id)
    if poll.closed_at is None:
        poll.closed_at = clock.now()
    event = _event(session, "poll_closed", actor, poll_dict(poll))
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq})


# ---- slides ----------------------------------------------------------------------------------------

def slide_state(session: LiveSession, file_url) -> dict | None:
    if session.slide_lesson_id is None:
        return None
    return {"lesson_id": session.slide_lesson_id, "page": session.slide_page, "url": file_url(session)}


def show_slide(session: LiveSession, actor, lesson_id, page, file_url) -> Outcome:
    try:
        lesson_id, page = int(lesson_id) if lesson_id is not None else session.slide_lesson_id, int(page)
    except (TypeError, ValueError):
        raise LiveError(domain.N_("Choose a PDF document of this course for the slides.")) from None
    if lesson_id not in {lesson.id for lesson in slide_lessons(session.course)}:
        raise LiveError(domain.N_("Choose a PDF document of this course for the slides."))
    if not 1 <= page <= 10000:
        raise LiveError(domain.N_("There is no such page."))
    session.slide_lesson_id, session.slide_page = lesson_id, page
    event = _event(session, "slide", actor, slide_state(session, file_url))
    db.session.commit()
    return Outcome(event, {"ok": True, "seq": event.seq})


# ---- presence and attendance -----------------------------------------------------------------------

def enter(session: LiveSession, user, sid: str, commit: bool = True) -> LivePresence:
    """A stay begins (attendance). commit=False: only flushed, the caller commits (after reading the room, so
    that the commit does not expire and reload everything it has loaded)."""
    now = clock.now()
    stay = LivePresence(session_id=session.id, user_id=user.id, sid=sid[:64], joined_at=now, seen_at=now)
    db.session.add(stay)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return stay


def refresh_room_state(session: LiveSession) -> None:
    """Read again what other connections change while one joins (the sequence, the slide): a joiner's snapshot
    must not be older than its joining the room."""
    db.session.refresh(session, ["last_seq", "slide_lesson_id", "slide_page"])


def leave(sid: str) -> list[tuple[int, int]]:
    """Close the open stays of a connection; returns [(session id, user id)]."""
    now = clock.now()
    stays = list(db.session.scalars(select(LivePresence).where(LivePresence.sid == sid[:64],
                                                               LivePresence.left_at.is_(None))))
    for stay in stays:
        stay.left_at = now
    db.session.commit()
    return [(s.session_id, s.user_id) for s in stays]


def open_sids(user_id: int, course_id: int | None = None) -> list[str]:
    """The connections (any process) a person is in a room with now: of one course's sessions, or of all."""
    query = select(LivePresence.sid).where(LivePresence.user_id == user_id, LivePresence.left_at.is_(None))
    if course_id is not None:
        query = query.join(LiveSession, LiveSession.id == LivePresence.session_id).where(LiveSession.course_id == course_id)
    return list(dict.fromkeys(db.session.scalars(query)))


def seen(sid: str) -> None:
    db.session.execute(update(LivePresence).where(LivePresence.sid == sid[:64], LivePresence.left_at.is_(None))
                       .values(seen_at=clock.now()))
    db.session.commit()


PRESENT_PAGE = 500  # names in one page of the room's list (the lecturers'); learners get the count and the lecturers


def _here(session: LiveSession):
    fresh = clock.now() - domain.OPEN_STAY_GRACE
    return (LivePresence.session_id == session.id, LivePresence.left_at.is_(None), LivePresence.seen_at >= fresh)


def is_here(session: LiveSession, user_id: int) -> bool:
    return db.session.scalar(select(LivePresence.id).where(*_here(session), LivePresence.user_id == user_id)
                             .limit(1)) is not None


def present_count(session: LiveSession) -> int:
    return db.session.scalar(select(func.count(func.distinct(LivePresence.user_id))).where(*_here(session))) or 0


def present_now(session: LiveSession, limit: int | None = None, offset: int = 0, lecturers_only: bool = False,
                among=None) -> list[dict]:
    """Who is in the room now (one entry per person, whatever the number of their connections), lecturers first,
    then by name: a page of `limit` from `offset`; only the course's lecturers, or only people of `among`."""
    from elearn.accounts.models import User

    limit = PRESENT_PAGE if limit is None else limit
    lecturers = session.course.lecturer_ids
    query = (select(User.id, User.full_name).join(LivePresence, LivePresence.user_id == User.id).where(*_here(session)))
    if lecturers_only:
        if not lecturers:
            return []
        query = query.where(User.id.in_(lecturers))
    if among is not None:
        among = list(among)
        if not among:
            return []
        query = query.where(User.id.in_(among))
    rows = db.session.execute(query.group_by(User.id, User.full_name)
                              .order_by(User.id.in_(lecturers or {0}).desc(), User.full_name, User.id)
                              .offset(max(offset, 0)).limit(limit))
    return [{"user_id": r.id, "name": r.full_name, "lecturer": r.id in lecturers} for r in rows]


def presence_digest(session: LiveSession, touched: set[int], previous_count: int | None) -> domain.PresenceDigest:
    """One digest of who came and went (`touched`: the people who joined or left since the last one)."""
    here = present_now(session, limit=max(len(touched), 1), among=touched)
    return domain.presence_digest(touched, here, present_count(session), previous_count, session.course.lecturer_ids)


def snapshot(session: LiveSession, user, file_url, is_lecturer: bool) -> dict:
    """Everything a (re)joining client needs to draw the room as it is now."""
    chat_rows = list(db.session.scalars(select(LiveMessage).options(joinedload(LiveMessage.author))
                                        .where(LiveMessage.session_id == session.id, LiveMessage.kind == "chat",
                                               LiveMessage.deleted_at.is_(None))
                                        .order_by(LiveMessage.id.desc()).limit(RECENT_CHAT)))
    questions = list(db.session.scalars(select(LiveMessage).options(joinedload(LiveMessage.author))
                                        .where(LiveMessage.session_id == session.id, LiveMessage.kind == "question",
                                               LiveMessage.deleted_at.is_(None))
                                        .order_by(LiveMessage.id)))
    my_upvotes = set(db.session.scalars(select(LiveUpvote.message_id).join(LiveMessage)
                                        .where(LiveMessage.session_id == session.id, LiveUpvote.user_id == user.id))
                     ) if questions else set()  # a join asks nothing more of an empty room
    polls = list(db.session.scalars(select(LivePoll).where(LivePoll.session_id == session.id).order_by(LivePoll.id)))
    my_votes = dict(db.session.execute(select(LivePollVote.poll_id, LivePollVote.option).join(LivePoll)
                                       .where(LivePoll.session_id == session.id, LivePollVote.user_id == user.id)
                                       ).all()) if polls else {}
    me = participant(session, user.id)
    hands = []
    if is_lecturer:
        from elearn.accounts.models import User

        hands = [{"user_id": uid, "name": name} for uid, name in db.session.execute(
            select(LiveParticipant.user_id, User.full_name).join(User, User.id == LiveParticipant.user_id)
            .where(LiveParticipant.session_id == session.id, LiveParticipant.hand_raised_at.is_not(None))
            .order_by(LiveParticipant.hand_raised_at))]
    return {
        "seq": session.last_seq,
        "chat": [_chat_dict(m) for m in reversed(chat_rows)],
        "questions": [{"id": q.id, "user_id": q.author_id, "name": q.author.full_name if q.author else "",
                       "text": q.body, "upvotes": q.upvotes, "answered": q.answered_at is not None,
                       "upvoted": q.id in my_upvotes} for q in questions],
        "polls": [poll_dict(p, mine=my_votes.get(p.id)) for p in polls],
        "slide": slide_state(session, file_url),
        **_present_state(session, is_lecturer),
        "hands": hands,
        "me": {"user_id": user.id, "name": user.full_name, "lecturer": is_lecturer,
               "muted": bool(me and me.muted), "hand": bool(me and me.hand_raised_at)},
    }


def present_page(session: LiveSession, is_lecturer: bool, offset: int = 0) -> tuple[list[dict], int, bool]:
    """The room's people as one sees them: (people, count, more). Lecturers get a page of names from `offset` (the
    rest on request), learners the lecturers here and the count (a 3G phone needs no 2,000 names, and a join
    stays cheap)."""
    count = present_count(session)
    if not is_lecturer:
        return present_now(session, lecturers_only=True), count, False
    people = present_now(session, offset=offset)
    return people, count, offset + len(people) < count


def _present_state(session: LiveSession, is_lecturer: bool) -> dict:
    people, count, more = present_page(session, is_lecturer)
    return {"present": people, "present_count": count, "present_more": more}


def _chat_dict(message: LiveMessage) -> dict:
    return {"id": message.id, "user_id": message.author_id, "name": message.author.full_name if message.author else "",
            "text": message.body, "at": message.at.isoformat()}


def archive(session: LiveSession) -> dict:
    messages = list(db.session.scalars(select(LiveMessage).where(LiveMessage.session_id == session.id,
                                                                 LiveMessage.deleted_at.is_(None))
                                       .order_by(LiveMessage.id)))
    polls = list(db.session.scalars(select(LivePoll).where(LivePoll.session_id == session.id).order_by(LivePoll.id)))
    return {"chat": [m for m in messages if m.kind == "chat"], "questions": [m for m in messages if m.kind == "question"],
            "polls": [(p, poll_counts(p)) for p in polls]}


@dataclass(frozen=True)
class SheetRow:
    user: object
    result: domain.AttendanceResult
    enrolled: bool
    manual: bool


def attendance_sheet(session: LiveSession, now: datetime | None = None) -> list[SheetRow]:
    """Every active learner of the course (absentees included) and anyone else who attended, by name."""
    from elearn.accounts.models import User

    now = now or clock.now()
    enrolled_ids = set(db.session.scalars(select(Enrolment.user_id).where(Enrolment.course_id == session.course_id,
                                                                          Enrolment.state == "active")))
    stays: dict[int, list[domain.Stay]] = {}
    for row in db.session.scalars(select(LivePresence).where(LivePresence.session_id == session.id)):
        stays.setdefault(row.user_id, []).append(domain.Stay(row.joined_at, row.left_at, row.seen_at))
    marks = {p.user_id: p for p in db.session.scalars(select(LiveParticipant)
                                                       .where(LiveParticipant.session_id == session.id))}
    lecturers = session.course.lecturer_ids
    attended = {uid for uid in stays} | {uid for uid, p in marks.items() if p.checked_in_at or p.manual_status}
    ids = enrolled_ids | (attended - lecturers)
    people = db.session.scalars(select(User).where(User.id.in_(ids or [0])).order_by(User.full_name))
    rows = []
    for user in people:
        mark = marks.get(user.id)
        facts = domain.AttendanceFacts(stays=tuple(stays.get(user.id, ())),
                                       checked_in_at=mark.checked_in_at if mark else None,
                                       manual_status=mark.manual_status if mark else None)
        result = domain.attendance(facts, session.starts_at, session.ends_at, session.threshold_percent,
                                   session.late_after_minutes, now)
        rows.append(SheetRow(user, result, user.id in enrolled_ids, bool(mark and mark.manual_status)))
    return rows


def attendance_of(session: LiveSession, user_id: int, now: datetime | None = None) -> tuple[domain.AttendanceResult,
                                                                                           LiveParticipant | None]:
    """One person's attendance in a session (as on the sheet), with their check-in / manual mark row if any."""
    stays = [domain.Stay(r.joined_at, r.left_at, r.seen_at) for r in db.session.scalars(
        select(LivePresence).where(LivePresence.session_id == session.id, LivePresence.user_id == user_id))]
    mark = participant(session, user_id)
    facts = domain.AttendanceFacts(stays=tuple(stays), checked_in_at=mark.checked_in_at if mark else None,
                                   manual_status=mark.manual_status if mark else None)
    result = domain.attendance(facts, session.starts_at, session.ends_at, session.threshold_percent,
                               session.late_after_minutes, now or clock.now())
    return result, mark


def sheet_csv(session: LiveSession, rows: list[SheetRow], labels: dict[str, str], headers: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        first = clock.to_local(row.result.first_seen).strftime("%Y-%m-%d %H:%M") if row.result.first_seen else ""
        writer.writerow([_csv_safe(row.user.username), _csv_safe(row.user.full_name), labels[row.result.status],
                         f"{row.result.minutes:.0f}", first])
    return "\ufeff" + out.getvalue()


def _csv_safe(value: str) -> str:
    """No spreadsheet formulas from names (CSV injection)."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def mark(actor, session: LiveSession, user, status: str | None) -> None:
    if status not in (None, "", domain.Status.PRESENT, domain.Status.LATE, domain.Status.ABSENT):
        raise LiveError(domain.N_("Unknown attendance status."))
    row = participant(session, user.id, create=True)
    before = row.manual_status
    row.manual_status, row.marked_by_id = (status or None), actor.id
    audit.record(actor, "live.attendance_mark", user, before={"status": before}, after={"status": row.manual_status},
                 label=f"live {session.id}")
    db.session.commit()
    _recompute(session, user.id)


# ---- in-person QR check-in -------------------------------------------------------------------------

def _qr_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="live-qr-checkin")


def qr_token(session: LiveSession, now: datetime | None = None) -> str:
    return _qr_serializer().dumps([session.id, domain.qr_bucket(now or clock.now())])


def check_in(session: LiveSession, user, token: str) -> None:
    """Mark a person present from the hall's QR code: the code must be this session's and still fresh."""
    now = clock.now()
    try:
        session_id, bucket = _qr_serializer().loads(token or "")
    except (BadSignature, ValueError, TypeError):
        raise LiveError(domain.N_("This attendance code is not valid."), "invalid") from None
    if session_id != session.id or not isinstance(bucket, int):
        raise LiveError(domain.N_("This attendance code is not valid."), "invalid")
    if not domain.qr_bucket_valid(bucket, now):
        raise LiveError(domain.N_("This attendance code has expired: scan the code shown now."), "expired")
    if not domain.can_enter(now, session.starts_at, session.ends_at, session.join_opens_minutes):
        raise LiveError(domain.N_("Attendance is taken only while the session is open."), "closed")
    row = participant(session, user.id, create=True)
    if row.checked_in_at is None:
        row.checked_in_at = now
    db.session.commit()
    _recompute(session, user.id)


# ---- completion --------------------------------------------------------------------------------------

def _recompute(session: LiveSession, user_id: int) -> None:
    from elearn.courses.services import enrolment_of, recompute

    enrolment = enrolment_of(user_id, session.course_id)
    if enrolment is not None and enrolment.state == "active":
        recompute(enrolment)
        db.session.commit()


def completion_facts(course: Course, user_id: int) -> dict:
    """FACT_HOOKS: the sessions held so far (ended, visible in the course flow) and this person's minutes."""
    now = clock.now()
    visible = select(SectionItem.ref_id).join(Section).where(Section.course_id == course.id, SectionItem.kind == "live",
                                                             SectionItem.visible.is_(True))
    sessions = list(db.session.scalars(select(LiveSession).where(LiveSession.course_id == course.id,
                                                                 LiveSession.ends_at <= now,
                                                                 LiveSession.id.in_(visible))))
    if not sessions:
        return {}
    from elearn.courses.completion import SessionAttendance

    ids = [s.id for s in sessions]
    stays: dict[int, list[domain.Stay]] = {}
    for row in db.session.scalars(select(LivePresence).where(LivePresence.session_id.in_(ids),
                                                             LivePresence.user_id == user_id)):
        stays.setdefault(row.session_id, []).append(domain.Stay(row.joined_at, row.left_at, row.seen_at))
    marks = {p.session_id: p for p in db.session.scalars(select(LiveParticipant).where(
        LiveParticipant.session_id.in_(ids), LiveParticipant.user_id == user_id))}
    result = []
    for s in sessions:
        mark_row = marks.get(s.id)
        facts = domain.AttendanceFacts(tuple(stays.get(s.id, ())), mark_row.checked_in_at if mark_row else None,
                                       mark_row.manual_status if mark_row else None)
        outcome = domain.attendance(facts, s.starts_at, s.ends_at, s.threshold_percent, s.late_after_minutes, now)
        result.append(SessionAttendance(attended_minutes=outcome.minutes,
                                        required_minutes=domain.session_minutes(s.starts_at, s.ends_at)))
    return {"live_sessions": tuple(result)}


def attended_ids(ref_ids: list[int], user_id: int) -> set[int]:
    """Sessions (of these) where the person counts present."""
    now = clock.now()
    done = set()
    for session in db.session.scalars(select(LiveSession).where(LiveSession.id.in_(ref_ids or [0]))):
        stays = [domain.Stay(r.joined_at, r.left_at, r.seen_at) for r in db.session.scalars(
            select(LivePresence).where(LivePresence.session_id == session.id, LivePresence.user_id == user_id))]
        mark_row = participant(session, user_id)
        if not stays and mark_row is None:
            continue
        facts = domain.AttendanceFacts(tuple(stays), mark_row.checked_in_at if mark_row else None,
                                       mark_row.manual_status if mark_row else None)
        outcome = domain.attendance(facts, session.starts_at, session.ends_at, session.threshold_percent,
                                    session.late_after_minutes, now)
        if domain.is_present(outcome.status):
            done.add(session.id)
    return done


def delete_session(session_id: int) -> None:
    db.session.execute(delete(LiveSession).where(LiveSession.id == session_id))


def copy_session(session_id: int, new_course_id: int) -> int:
    src = db.session.get(LiveSession, session_id)
    clone = LiveSession(course_id=new_course_id, title=src.title, description=src.description,
                        starts_at=src.starts_at, ends_at=src.ends_at, join_opens_minutes=src.join_opens_minutes,
                        late_after_minutes=src.late_after_minutes, threshold_percent=src.threshold_percent,
                        in_person=src.in_person, location=src.location, stream_url=src.stream_url)
    db.session.add(clone)
    db.session.flush()
    return clone.id
