"""Use cases for courses: authoring, structure, enrolment, progress and completion.

The acting user is always an argument; nothing here reads the request.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from elearn.accounts.models import Profile, Unit, User
from elearn.core import audit, clock, html
from elearn.core.text import fold, like_pattern
from elearn.courses import catalog, domain, items
from elearn.courses.catalog import CourseState, EnrolMethod
from elearn.courses.messages import Message, msg
from elearn.courses.models import (
    Announcement,
    Course,
    CourseCategory,
    CourseLecturer,
    EmbedHost,
    Enrolment,
    Lesson,
    LessonProgress,
    Section,
    SectionItem,
)
from elearn.extensions import db


class CourseError(Exception):
    """A rule refused the change. `messages` are translatable Messages; `field` names the form field."""

    def __init__(self, *messages: Message, field: str | None = None):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)
        self.field = field


def _fail(msgid: str, field: str | None = None, **params) -> CourseError:
    return CourseError(msg(msgid, **params), field=field)


# ---- catalogue ---------------------------------------------------------------------------------

def categories() -> list[CourseCategory]:
    return list(db.session.scalars(select(CourseCategory).order_by(CourseCategory.position, CourseCategory.name)))


def catalogue_query(viewer: User | None, *, q: str = "", category_id: int | None = None, kind: str = "",
                    include_drafts_of: int | None = None):
    """Published courses (plus drafts the viewer teaches), searched without diacritics."""
    stmt = select(Course)
    visible = Course.state == CourseState.PUBLISHED
    if include_drafts_of is not None:
        taught = select(CourseLecturer.course_id).where(CourseLecturer.user_id == include_drafts_of)
        visible = or_(visible, Course.id.in_(taught))
    stmt = stmt.where(visible)
    if q.strip():
        stmt = stmt.where(Course.search_text.like(like_pattern(q), escape="\\"))
    if category_id:
        stmt = stmt.where(Course.category_id == category_id)
    if kind:
        stmt = stmt.where(Course.kind == kind)
    return stmt.order_by(Course.opens_on.desc().nulls_last(), Course.title)


def refresh_search_text(course: Course) -> None:
    """fold(title, code, summary text, lesson titles): what the catalogue search looks at."""
    lesson_titles = db.session.scalars(select(Lesson.title).where(Lesson.course_id == course.id)).all() \
        if course.id else []
    summary_text = html.text_only(course.summary)
    course.search_text = fold(" ".join([course.code, course.title, summary_text, *lesson_titles]))


# ---- authoring ---------------------------------------------------------------------------------

@dataclass
class CourseData:
    code: str
    title: str
    summary: str = ""
    category_id: int | None = None
    kind: str = catalog.CourseKind.REFRESHER
    hours: float = 0
    opens_on: date | None = None
    closes_on: date | None = None
    capacity: int | None = None
    self_enrol: bool = True
    enrol_key: str = ""


def _validate(data: CourseData, course_id: int | None) -> None:
    problems = []
    code = data.code.strip().upper()
    if not code or len(code) > 40:
        problems.append(msg(domain.N_("A course code of 1-40 characters is required.")))
    elif db.session.scalar(select(Course.id).where(Course.code == code, Course.id != (course_id or 0))):
        problems.append(msg(domain.N_("This course code is already used.")))
    if not data.title.strip():
        problems.append(msg(domain.N_("A title is required.")))
    if data.kind not in set(catalog.CourseKind):
        problems.append(msg(domain.N_("Unknown course kind.")))
    if data.hours is None or data.hours < 0 or data.hours > 5000:
        problems.append(msg(domain.N_("Hours must be between 0 and 5000.")))
    if data.opens_on and data.closes_on and data.closes_on < data.opens_on:
        problems.append(msg(domain.N_("The course closes before it opens.")))
    if data.capacity is not None and data.capacity < 1:
        problems.append(msg(domain.N_("Capacity must be at least 1, or left empty for no limit.")))
    if data.category_id and db.session.get(CourseCategory, data.category_id) is None:
        problems.append(msg(domain.N_("Unknown category.")))
    if problems:
        raise CourseError(*problems)


def _apply(course: Course, data: CourseData) -> None:
    course.code = data.code.strip().upper()
    course.title = data.title.strip()
    course.summary = html.clean(data.summary)
    course.category_id = data.category_id or None
    course.kind = data.kind
    course.hours = data.hours
    course.opens_on = data.opens_on
    course.closes_on = data.closes_on
    course.capacity = data.capacity
    course.self_enrol = data.self_enrol
    course.enrol_key = data.enrol_key.strip()


def _snapshot(course: Course) -> dict:
    return {"code": course.code, "title": course.title, "kind": course.kind, "hours": float(course.hours or 0),
            "opens_on": course.opens_on.isoformat() if course.opens_on else None,
            "closes_on": course.closes_on.isoformat() if course.closes_on else None,
            "capacity": course.capacity, "state": course.state, "self_enrol": course.self_enrol,
            "category_id": course.category_id}


def create_course(actor: User, data: CourseData) -> Course:
    _validate(data, None)
    course = Course(created_by_id=actor.id, state=CourseState.DRAFT, audience=[], completion_rules=[])
    _apply(course, data)
    course.lecturer_links.append(CourseLecturer(user_id=actor.id))
    db.session.add(course)
    db.session.flush()
    refresh_search_text(course)
    audit.record(actor, "course.create", course, after=_snapshot(course), label=course.code)
    db.session.commit()
    return course


def update_course(actor: User, course: Course, data: CourseData) -> Course:
    _validate(data, course.id)
    before = _snapshot(course)
    _apply(course, data)
    refresh_search_text(course)
    old, new = audit.diff(before, _snapshot(course))
    if new:
        audit.record(actor, "course.update", course, before=old, after=new, label=course.code)
    db.session.commit()
    return course


def lesson_count(course: Course) -> int:
    return db.session.scalar(select(func.count()).select_from(SectionItem).join(Section)
                             .where(Section.course_id == course.id)) or 0


def set_state(actor: User, course: Course, target: str) -> None:
    problem = catalog.check_transition(course.state, target, lesson_count(course) > 0)
    if problem:
        raise CourseError(problem)
    before = course.state
    course.state = target
    audit.record(actor, "course.state", course, before={"state": before}, after={"state": target}, label=course.code)
    db.session.commit()


def set_lecturers(actor: User, course: Course, user_ids: Iterable[int]) -> None:
    wanted = set(user_ids)
    if not wanted:
        raise _fail(domain.N_("A course needs at least one lecturer."), "lecturers")
    found = set(db.session.scalars(select(User.id).where(User.id.in_(wanted))))
    if found != wanted:
        raise _fail(domain.N_("Unknown lecturer."), "lecturers")
    before = sorted(course.lecturer_ids)
    for link in list(course.lecturer_links):
        if link.user_id not in wanted:
            course.lecturer_links.remove(link)
    for uid in sorted(wanted - course.lecturer_ids):
        course.lecturer_links.append(CourseLecturer(user_id=uid))
    audit.record(actor, "course.lecturers", course, before={"lecturers": before}, after={"lecturers": sorted(wanted)},
                 label=course.code)
    db.session.commit()


def copy_course(actor: User, source: Course, code: str, title: str) -> Course:
    """Start a new class from an existing course: settings, audience, rules and the whole structure."""
    data = CourseData(code=code, title=title, summary=source.summary, category_id=source.category_id,
                      kind=source.kind, hours=float(source.hours or 0), capacity=source.capacity,
                      self_enrol=source.self_enrol, enrol_key=source.enrol_key)
    _validate(data, None)
    course = Course(created_by_id=actor.id, state=CourseState.DRAFT, audience=list(source.audience or []),
                    completion_rules=list(source.completion_rules or []), copied_from_id=source.id,
                    cover_file_id=source.cover_file_id)
    _apply(course, data)
    course.lecturer_links.append(CourseLecturer(user_id=actor.id))
    db.session.add(course)
    db.session.flush()
    for section in source.sections:
        new_section = Section(course_id=course.id, title=section.title, summary=section.summary,
                              position=section.position)
        db.session.add(new_section)
        db.session.flush()
        for item in section.items:
            prov = items.provider(item.kind)
            if prov is None:
                continue
            db.session.add(SectionItem(section_id=new_section.id, position=item.position, kind=item.kind,
                                       ref_id=prov.copy(item.ref_id, course.id), required=item.required,
                                       visible=item.visible))
    db.session.flush()
    _repoint_images(source, course)
    refresh_search_text(course)
    audit.record(actor, "course.copy", course, after={"from": source.code, "code": course.code}, label=course.code)
    db.session.commit()
    return course


def _repoint_images(source: Course, course: Course) -> None:
    """Inline images of a copied course point at the copy (courses.course_image accepts files of the
    course it was copied from, so learners of the copy see them)."""
    old, new = f"/courses/{source.id}/images/", f"/courses/{course.id}/images/"
    course.summary = course.summary.replace(old, new)
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)):
        if old in (lesson.body or ""):
            lesson.body = lesson.body.replace(old, new)


def set_cover(actor: User, course: Course, file=None) -> None:
    """Set (or with None remove) the cover image; the old one is deleted unless a copy still shows it."""
    from elearn.core.files import StoredFile, delete_stored

    old_id = course.cover_file_id
    if file is not None:
        file.attached_type, file.attached_id = "course_cover", course.id
        course.cover_file_id = None
        db.session.flush()
        course.cover_file_id = file.id
    else:
        course.cover_file_id = None
    if old_id and old_id != course.cover_file_id:
        shared = db.session.scalar(select(func.count()).select_from(Course)
                                   .where(Course.cover_file_id == old_id, Course.id != course.id))
        old = db.session.get(StoredFile, old_id)
        if old is not None and not shared:
            delete_stored(old)
    audit.record(actor, "course.cover", course, before={"cover": old_id}, after={"cover": course.cover_file_id},
                 label=course.code)
    db.session.commit()


def set_audience(actor: User, course: Course, rules: list[domain.AudienceRule]) -> None:
    for rule in rules:
        problems = domain.audience_rule_problems(rule)
        if problems:
            field, msgid = next(iter(problems.items()))
            raise _fail(msgid, field)
    before = course.audience
    course.audience = domain.audience_to_json(rules)
    audit.record(actor, "course.audience", course, before={"audience": before}, after={"audience": course.audience},
                 label=course.code)
    db.session.commit()


def set_completion_rules(actor: User, course: Course, rules: list) -> None:
    before = course.completion_rules
    course.completion_rules = domain.rules_to_json(rules)
    audit.record(actor, "course.completion_rules", course, before={"rules": before},
                 after={"rules": course.completion_rules}, label=course.code)
    db.session.commit()
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id)):
        recompute(enrolment)
    db.session.commit()


# ---- structure ---------------------------------------------------------------------------------

def add_section(actor: User, course: Course, title: str, summary: str = "") -> Section:
    if not title.strip():
        raise _fail(domain.N_("A title is required."), "title")
    position = (db.session.scalar(select(func.max(Section.position)).where(Section.course_id == course.id)) or 0) + 1
    section = Section(course_id=course.id, title=title.strip(), summary=html.clean(summary), position=position)
    db.session.add(section)
    db.session.commit()
    return section


def update_section(actor: User, section: Section, title: str, summary: str = "") -> None:
    if not title.strip():
        raise _fail(domain.N_("A title is required."), "title")
    section.title = title.strip()
    section.summary = html.clean(summary)
    db.session.commit()


def delete_section(actor: User, section: Section) -> None:
    for item in list(section.items):
        _delete_item_target(item)
    course = section.course
    audit.record(actor, "section.delete", section, before={"title": section.title}, label=section.title)
    db.session.delete(section)
    db.session.flush()
    _renumber(course.sections)
    refresh_search_text(course)
    db.session.commit()


def _renumber(rows) -> None:
    for index, row in enumerate(sorted(rows, key=lambda r: r.position), start=1):
        row.position = index


def move_section(actor: User, section: Section, delta: int) -> None:
    siblings = sorted(section.course.sections, key=lambda s: s.position)
    _swap(siblings, section, delta)
    db.session.commit()


def _swap(ordered: list, row, delta: int) -> None:
    index = ordered.index(row)
    target = index + delta
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position


def move_item(actor: User, item: SectionItem, delta: int = 0, to_section: Section | None = None) -> None:
    if to_section is not None and to_section.id != item.section_id:
        if to_section.course_id != item.section.course_id:
            raise _fail(domain.N_("An item can only move inside its course."))
        old = item.section
        position = len(to_section.items) + 1  # load both lists before anything moves
        with db.session.no_autoflush:  # a flush between remove and append would delete the "orphan" item
            old.items.remove(item)
            to_section.items.append(item)
            item.position = position
            _renumber(old.items)
    else:
        ordered = sorted(item.section.items, key=lambda i: i.position)
        _swap(ordered, item, delta)
    db.session.commit()


@dataclass
class LessonData:
    title: str
    kind: str
    body: str = ""
    url: str = ""
    completion_mode: str = catalog.CompletionMode.ON_VIEW
    video_threshold: float = domain.DEFAULT_VIDEO_SHARE
    minutes: int | None = None
    required: bool = True


def _validate_lesson(data: LessonData, has_file: bool, embed_hosts: set[str]) -> None:
    problems = []
    if not data.title.strip():
        problems.append(msg(domain.N_("A title is required.")))
    problem = domain.completion_mode_problem(data.kind, data.completion_mode)
    if problem:
        problems.append(msg(problem))
    if not 0.1 <= data.video_threshold <= 1:
        problems.append(msg(domain.N_("The share of the video to watch must be between 10% and 100%.")))
    if data.kind == catalog.LessonKind.PAGE and catalog.page_too_heavy(html.clean(data.body)):
        problems.append(msg(domain.N_("The page text is over 60 KB; split it into several lessons or attach a document.")))
    if data.kind == catalog.LessonKind.LINK and not catalog.is_http_url(data.url):
        problems.append(msg(domain.N_("An external link needs an address starting with http:// or https://.")))
    if data.kind == catalog.LessonKind.DOCUMENT and not has_file:
        problems.append(msg(domain.N_("Upload the PDF document of this lesson.")))
    if data.kind == catalog.LessonKind.VIDEO:
        if data.url:
            if not catalog.embed_allowed(data.url, embed_hosts):
                problems.append(msg(domain.N_("This video address is not on the list of allowed video sites.")))
        elif not has_file:
            problems.append(msg(domain.N_("Upload an MP4 or WebM video, or give the address of an allowed video site.")))
    if problems:
        raise CourseError(*problems)


def add_lesson(actor: User, section: Section, data: LessonData, file=None, embed_hosts: set[str] = frozenset()) -> Lesson:
    _validate_lesson(data, file is not None, set(embed_hosts))
    course = section.course
    lesson = Lesson(course_id=course.id)
    _apply_lesson(lesson, data, file)
    db.session.add(lesson)
    db.session.flush()
    if file is not None:
        file.attached_type, file.attached_id = "lesson", lesson.id
    section.items.append(SectionItem(kind="lesson", ref_id=lesson.id, required=data.required,
                                     position=len(section.items) + 1))
    db.session.flush()
    refresh_search_text(course)
    audit.record(actor, "lesson.create", lesson, after={"title": lesson.title, "kind": lesson.kind}, label=lesson.title)
    db.session.commit()
    return lesson


def update_lesson(actor: User, lesson: Lesson, item: SectionItem, data: LessonData, file=None,
                  embed_hosts: set[str] = frozenset()) -> Lesson:
    data.kind = lesson.kind  # the kind of a lesson does not change
    _validate_lesson(data, file is not None or lesson.file_id is not None, set(embed_hosts))
    _apply_lesson(lesson, data, file)
    if file is not None:
        file.attached_type, file.attached_id = "lesson", lesson.id
    item.required = data.required
    refresh_search_text(db.session.get(Course, lesson.course_id))
    db.session.commit()
    return lesson


def _apply_lesson(lesson: Lesson, data: LessonData, file) -> None:
    lesson.title = data.title.strip()
    lesson.kind = data.kind
    lesson.body = html.clean(data.body)
    lesson.url = data.url.strip()
    lesson.completion_mode = data.completion_mode
    lesson.video_threshold = data.video_threshold
    lesson.minutes = data.minutes
    if file is not None:
        lesson.file = file  # the relationship: a just-uploaded file has no id until the flush


def delete_item(actor: User, item: SectionItem) -> None:
    section = item.section
    audit.record(actor, "item.delete", item, before={"kind": item.kind, "ref_id": item.ref_id})
    _delete_item_target(item)
    section.items.remove(item)
    db.session.flush()
    _renumber(section.items)
    refresh_search_text(section.course)
    db.session.commit()


def _delete_item_target(item: SectionItem) -> None:
    prov = items.provider(item.kind)
    if prov is not None:
        prov.delete(item.ref_id)


def item_for_lesson(lesson: Lesson) -> SectionItem | None:
    return db.session.scalar(select(SectionItem).where(SectionItem.kind == "lesson", SectionItem.ref_id == lesson.id))


# ---- enrolment ---------------------------------------------------------------------------------

def cadre_facts(user: User) -> domain.CadreFacts:
    profile = user.profile
    if profile is None:
        return domain.CadreFacts()
    ancestors = []
    unit = db.session.get(Unit, profile.unit_id)
    while unit is not None:
        ancestors.append(unit.id)
        unit = unit.parent
    return domain.CadreFacts(unit_id=profile.unit_id, unit_ancestor_ids=tuple(ancestors), position=profile.position,
                             job_position=profile.job_position, categories=frozenset(profile.categories),
                             theory_level=profile.theory_level, party_member=profile.party_member,
                             birth_year=profile.birth_year, gender=profile.gender, ethnicity=profile.ethnicity)


def audience_match(user: User, course: Course) -> domain.Match:
    rules = domain.audience_from_json(course.audience)
    return domain.match_audience(cadre_facts(user), rules, clock.today_local().year)


def enrolment_of(user_id: int, course_id: int) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id))


def active_count(course: Course) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment)
                             .where(Enrolment.course_id == course.id, Enrolment.state == "active")) or 0


def self_enrol_check(user: User, course: Course, key: str | None = None) -> list[Message]:
    """Every reason the person may not enrol themself now (empty: allowed), audience reasons included."""
    existing = enrolment_of(user.id, course.id)
    match = audience_match(user, course)
    facts = catalog.SelfEnrolFacts(
        state=course.state, self_enrol=course.self_enrol, opens_on=course.opens_on, closes_on=course.closes_on,
        capacity=course.capacity, enrolled=active_count(course), key_required=bool(course.enrol_key),
        key_ok=(key is None) or (key.strip() == course.enrol_key), audience_ok=match.ok,
        already_enrolled=existing is not None and existing.state == "active")
    problems = catalog.self_enrol_problems(facts, clock.today_local())
    if not match.ok and not facts.already_enrolled:
        problems.extend(match.reasons)
    return problems


def self_enrol(user: User, course: Course, key: str = "") -> Enrolment:
    problems = self_enrol_check(user, course, key)
    if problems:
        raise CourseError(*problems)
    return _enrol(user, course, EnrolMethod.SELF, by=user, in_target=True)


def _enrol(user: User, course: Course, method: str, by: User | None, in_target: bool, reason: str = "") -> Enrolment:
    existing = enrolment_of(user.id, course.id)
    if existing is not None:
        if existing.state != "active":
            existing.state = "active"
            existing.method, existing.enrolled_by_id, existing.enrolled_at = method, by.id if by else None, clock.now()
            existing.in_target, existing.outside_reason = in_target, reason[:500]
        db.session.commit()
        return existing
    enrolment = Enrolment(course_id=course.id, user_id=user.id, method=method, enrolled_by_id=by.id if by else None,
                          in_target=in_target, outside_reason=reason[:500])
    db.session.add(enrolment)
    db.session.commit()
    return enrolment


def enrol_person(actor: User, course: Course, user: User, method: str = EnrolMethod.MANUAL,
                 reason: str = "") -> Enrolment:
    """Lecturers and admins may enrol anyone; outside the target group the reason is required and recorded."""
    match = audience_match(user, course)
    if not match.ok and not reason.strip():
        raise CourseError(msg(domain.N_("%(name)s is outside this course's target group: give the reason for enrolling them."),
                              name=user.full_name), *match.reasons, field="reason")
    enrolment = _enrol(user, course, method, by=actor, in_target=match.ok, reason="" if match.ok else reason.strip())
    audit.record(actor, "enrolment.create", enrolment,
                 after={"course": course.code, "user": user.username, "method": method, "in_target": match.ok,
                        "reason": enrolment.outside_reason}, label=f"{course.code}:{user.username}")
    db.session.commit()
    return enrolment


def unenrol(actor: User, enrolment: Enrolment) -> None:
    enrolment.state = "withdrawn"
    audit.record(actor, "enrolment.withdraw", enrolment, before={"state": "active"}, after={"state": "withdrawn"},
                 label=f"{enrolment.course.code}:{enrolment.user.username}")
    db.session.commit()
    import logging

    for hook in WITHDRAW_HOOKS:  # e.g. live rooms of the course drop the person at once
        try:
            hook(enrolment)
        except Exception:  # noqa: BLE001  (the withdrawal is committed; a feature's failure is logged, not raised)
            logging.getLogger(__name__).exception("withdraw hook %r failed", hook)


WITHDRAW_HOOKS: list = []  # hook(enrolment), called after an enrolment is withdrawn (committed)


def matching_people(course: Course) -> list[User]:
    """Everyone active with a cadre profile who matches the course's audience now (not yet enrolled)."""
    rules = domain.audience_from_json(course.audience)
    enrolled = select(Enrolment.user_id).where(Enrolment.course_id == course.id, Enrolment.state == "active")
    people = db.session.scalars(
        select(User).join(Profile).where(User.active.is_(True), User.id.not_in(enrolled))
        .options(selectinload(User.profile).selectinload(Profile.category_rows))  # not one query per person
    ).all()
    parents = dict(db.session.execute(select(Unit.id, Unit.parent_id)).all())
    year = clock.today_local().year
    out = []
    for person in people:
        facts = _facts_fast(person, parents)
        if domain.match_audience(facts, rules, year).ok:
            out.append(person)
    return out


def _facts_fast(user: User, parents: dict[int, int | None]) -> domain.CadreFacts:
    p = user.profile
    chain, node = [], p.unit_id
    while node is not None and node not in chain:
        chain.append(node)
        node = parents.get(node)
    return domain.CadreFacts(unit_id=p.unit_id, unit_ancestor_ids=tuple(chain), position=p.position,
                             job_position=p.job_position, categories=frozenset(p.categories),
                             theory_level=p.theory_level, party_member=p.party_member, birth_year=p.birth_year,
                             gender=p.gender, ethnicity=p.ethnicity)


def enrol_matching(actor: User, course: Course) -> int:
    """"Enrol everyone who matches now": returns how many were enrolled."""
    people = matching_people(course)
    if course.capacity is not None and active_count(course) + len(people) > course.capacity:
        raise _fail(domain.N_("%(n)s people match, more than the %(free)s free places."), n=len(people),
                    free=max(0, course.capacity - active_count(course)))
    now = clock.now()
    # Matching people have no active enrolment; some may have a withdrawn one to bring back.
    earlier = {e.user_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.state != "active"))}
    for person in people:
        existing = earlier.get(person.id)
        if existing is not None:
            existing.state, existing.method, existing.enrolled_at, existing.in_target = "active", EnrolMethod.RULE, now, True
        else:
            db.session.add(Enrolment(course_id=course.id, user_id=person.id, method=EnrolMethod.RULE,
                                     enrolled_by_id=actor.id, in_target=True, enrolled_at=now))
    audit.record(actor, "enrolment.by_rule", course, after={"enrolled": len(people)}, label=course.code)
    db.session.commit()
    return len(people)


@dataclass
class ListEnrolResult:
    enrolled: int
    outside_target: int
    already: int
    errors: list[tuple[int, str]]  # (line, msgid)


def enrol_from_list(actor: User, course: Course, data: bytes, reason: str = "") -> ListEnrolResult:
    """A CSV (or plain list) of usernames or e-mails, one per line; line numbers in errors."""
    text = data.decode("utf-8-sig", errors="replace")
    result = ListEnrolResult(0, 0, 0, [])
    rows = list(csv.reader(io.StringIO(text)))
    for line, row in enumerate(rows, start=1):
        key = (row[0] if row else "").strip()
        if not key or (line == 1 and fold(key) in {"username", "ten dang nhap", "email"}):
            continue
        user = db.session.scalar(select(User).where(or_(User.username == key.lower(), func.lower(User.email) == key.lower())))
        if user is None:
            result.errors.append((line, domain.N_("No account with this username or e-mail.")))
            continue
        if not user.active:
            result.errors.append((line, domain.N_("This account is disabled.")))
            continue
        existing = enrolment_of(user.id, course.id)
        if existing is not None and existing.state == "active":
            result.already += 1
            continue
        match = audience_match(user, course)
        why = "" if match.ok else (reason.strip() or "CSV")
        _enrol(user, course, EnrolMethod.CSV, by=actor, in_target=match.ok, reason=why)
        result.enrolled += 1
        result.outside_target += 0 if match.ok else 1
    audit.record(actor, "enrolment.from_list", course,
                 after={"enrolled": result.enrolled, "outside_target": result.outside_target,
                        "errors": len(result.errors)}, label=course.code)
    db.session.commit()
    return result


# ---- progress and completion ---------------------------------------------------------------------

def outline(course: Course, user_id: int | None, include_hidden: bool = False):
    """[(section, [(item, ItemView, completed)])] in order; items whose target vanished are skipped."""
    by_kind: dict[str, list[int]] = {}
    for section in course.sections:
        for item in section.items:
            by_kind.setdefault(item.kind, []).append(item.ref_id)
    views, done = {}, {}
    for kind, ids in by_kind.items():
        prov = items.provider(kind)
        if prov is None:
            continue
        views[kind] = prov.views(ids)
        done[kind] = prov.completed(ids, user_id) if user_id else set()
    result = []
    for section in course.sections:
        entries = []
        for item in section.items:
            if not item.visible and not include_hidden:
                continue
            view = views.get(item.kind, {}).get(item.ref_id)
            if view is None:
                continue
            entries.append((item, view, item.ref_id in done.get(item.kind, set())))
        result.append((section, entries))
    return result


def learner_facts(course: Course, user_id: int, needed: frozenset[str] | None = None) -> domain.LearnerFacts:
    """Lessons always; then the facts of the FACT_HOOKS, only those `needed` when it is given (a hook that does not
    say what it provides always runs)."""
    lesson_items = [item for section in course.sections for item in section.items
                    if item.kind == "lesson" and item.visible]
    ids = [item.ref_id for item in lesson_items]
    completed = dict(db.session.execute(
        select(LessonProgress.lesson_id, LessonProgress.completed_at)
        .where(LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(ids or [0]))
    ).all())
    lessons = {item.ref_id: domain.LessonFact(required=item.required, completed_at=completed.get(item.ref_id))
               for item in lesson_items}
    extra = {}
    for hook in FACT_HOOKS:  # later features (quizzes, live, ...) add their facts
        provides = getattr(hook, "provides", None)
        if needed is None or provides is None or provides & needed:
            extra.update(hook(course, user_id))
    return domain.LearnerFacts(lessons=lessons, **{k: v for k, v in extra.items() if k in _FACT_FIELDS},
                               extra={k: v for k, v in extra.items() if k not in _FACT_FIELDS})


FACT_HOOKS: list = []  # hook(course, user_id) -> {fact: value}; register with add_fact_hook


def add_fact_hook(hook, provides) -> None:
    """Register a FACT_HOOKS entry (once) with the names of the facts it returns: completion skips it when no rule
    of the course reads them."""
    hook.provides = frozenset(provides)
    if hook not in FACT_HOOKS:
        FACT_HOOKS.append(hook)
_FACT_FIELDS = {"quizzes_passed", "course_quiz_ids", "live_sessions", "live_attendance_share", "assignments_passed",
                "course_assignment_ids", "forum_posts", "survey_submitted"}


def completion_status(course: Course, user_id: int) -> domain.CompletionResult:
    rules = domain.rules_from_json(course.completion_rules)
    return domain.evaluate_completion(rules, learner_facts(course, user_id, domain.facts_read(rules)))


def recompute(enrolment: Enrolment) -> domain.CompletionResult:
    """Refresh the cached progress and record the completion date once (the caller commits)."""
    result = completion_status(enrolment.course, enrolment.user_id)
    enrolment.progress = round(result.progress, 4)
    was_complete = enrolment.completed_at is not None
    enrolment.completed_at = domain.completion_date(enrolment.completed_at, result, clock.now())
    if not was_complete and enrolment.completed_at is not None:
        for hook in COMPLETION_HOOKS:  # later features react to a completion (e.g. automatic certificates)
            hook(enrolment)
    return result


COMPLETION_HOOKS: list = []  # hook(enrolment), called once when an enrolment becomes complete (before commit)


def _progress_row(user_id: int, lesson_id: int) -> LessonProgress:
    row = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == user_id,
                                                         LessonProgress.lesson_id == lesson_id))
    if row is None:
        row = LessonProgress(user_id=user_id, lesson_id=lesson_id, watched_share=0.0, position_seconds=0.0)
        db.session.add(row)
    return row


def _update_lesson_completion(row: LessonProgress, lesson: Lesson) -> None:
    if row.completed_at is not None:
        return
    done = domain.lesson_completed(lesson.kind, lesson.completion_mode, viewed=row.viewed_at is not None,
                                   marked_done=row.marked_done_at is not None, watched_share=row.watched_share,
                                   threshold=lesson.video_threshold)
    if done:
        row.completed_at = clock.now()


def record_view(user: User, enrolment: Enrolment, lesson: Lesson, item: SectionItem | None) -> LessonProgress:
    row = _progress_row(user.id, lesson.id)
    now = clock.now()
    row.viewed_at = row.viewed_at or now
    _update_lesson_completion(row, lesson)
    enrolment.last_access_at = now
    if item is not None:
        enrolment.last_item_id = item.id
    db.session.flush()
    recompute(enrolment)
    db.session.commit()
    return row


def mark_done(user: User, enrolment: Enrolment, lesson: Lesson, done: bool = True) -> LessonProgress:
    if lesson.completion_mode == catalog.CompletionMode.VIDEO_SHARE:
        raise _fail(domain.N_("This video is completed by watching it."))
    row = _progress_row(user.id, lesson.id)
    if done:
        row.marked_done_at = row.marked_done_at or clock.now()
        _update_lesson_completion(row, lesson)
    else:
        row.marked_done_at = None
        row.completed_at = None if lesson.completion_mode == catalog.CompletionMode.MANUAL else row.completed_at
    db.session.flush()
    recompute(enrolment)
    db.session.commit()
    return row


def record_video(user: User, enrolment: Enrolment, lesson: Lesson, share: float, position: float) -> LessonProgress:
    """Idempotent: the highest share watched wins, so a retried or out-of-order report changes nothing."""
    share = min(max(float(share), 0.0), 1.0)
    row = _progress_row(user.id, lesson.id)
    row.watched_share = max(row.watched_share or 0.0, share)
    row.position_seconds = max(0.0, float(position))
    row.viewed_at = row.viewed_at or clock.now()
    _update_lesson_completion(row, lesson)
    db.session.flush()
    recompute(enrolment)
    db.session.commit()
    return row


def my_enrolments(user: User) -> list[Enrolment]:
    return list(db.session.scalars(
        select(Enrolment).join(Course).where(Enrolment.user_id == user.id, Enrolment.state == "active",
                                             Course.state != CourseState.DRAFT)
        .order_by(Enrolment.completed_at.is_not(None), Enrolment.last_access_at.desc().nulls_last())
    ))


def resume_item(enrolment: Enrolment) -> SectionItem | None:
    """Where the learner left off, else the first required item not yet done, else the first item."""
    if enrolment.last_item_id:
        item = db.session.get(SectionItem, enrolment.last_item_id)
        if item is not None and item.section.course_id == enrolment.course_id:
            return item
    for _section, entries in outline(enrolment.course, enrolment.user_id):
        for item, _view, done in entries:
            if not done:
                return item
    first = [entries for _s, entries in outline(enrolment.course, enrolment.user_id) if entries]
    return first[0][0][0] if first else None


# ---- participants and announcements ------------------------------------------------------------

def participants(course: Course):
    return select(Enrolment).join(User, User.id == Enrolment.user_id).where(
        Enrolment.course_id == course.id, Enrolment.state == "active").order_by(User.search_name)


def post_announcement(actor: User, course: Course, title: str, body: str) -> Announcement:
    from elearn.core import notify

    if not title.strip():
        raise _fail(domain.N_("A title is required."), "title")
    announcement = Announcement(course_id=course.id, author_id=actor.id, title=title.strip()[:300],
                                body=html.clean(body))
    db.session.add(announcement)
    db.session.flush()
    learners = db.session.scalars(select(Enrolment.user_id).where(Enrolment.course_id == course.id,
                                                                  Enrolment.state == "active")).all()
    notify.send(learners, kind="course.announcement", title=f"{course.title}: {announcement.title}",
                body=html.text_only(announcement.body), url=f"/courses/{course.id}#announcements")
    audit.record(actor, "course.announcement", course, after={"title": announcement.title, "recipients": len(learners)},
                 label=course.code)
    db.session.commit()
    return announcement


# ---- video embed allow-list --------------------------------------------------------------------

def embed_hosts() -> set[str]:
    """The host names video lessons may embed from (pass to add_lesson / update_lesson)."""
    return set(db.session.scalars(select(EmbedHost.host)))


def add_embed_host(actor: User, host: str) -> EmbedHost:
    host = (host or "").strip().lower().rstrip(".")
    problem = catalog.embed_host_problem(host)
    if problem:
        raise _fail(problem, "host")
    if db.session.scalar(select(EmbedHost.id).where(EmbedHost.host == host)):
        raise _fail(domain.N_("This host is already on the list."), "host")
    row = EmbedHost(host=host, added_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "embed_host.add", row, after={"host": host}, label=host)
    db.session.commit()
    return row


def remove_embed_host(actor: User, row: EmbedHost) -> None:
    audit.record(actor, "embed_host.remove", row, before={"host": row.host}, label=row.host)
    db.session.delete(row)
    db.session.commit()
