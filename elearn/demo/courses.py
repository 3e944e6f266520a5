"""Demo courses: seven published courses and a lecturer's draft, enrolled learners with varied progress.

seed_courses() runs after the demo people exist. Everything goes through the course services, acted by
the demo lecturers, the training office's admin and the learners themselves, with the clock frozen at
plausible moments of the past months: the audit log, enrolment dates, last access and completion dates
read like a real term. The same data every time for the same day (a fixed random seed).

Idempotent: when any demo course code exists already, nothing changes.
"""
from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from elearn.accounts.domain import Category, Role
from elearn.accounts.models import Profile, Unit, User, UserRole
from elearn.core import clock
from elearn.core.uploads import save_upload
from elearn.courses import domain, services
from elearn.courses.catalog import CompletionMode, CourseState, LessonKind
from elearn.courses.models import Course, CourseCategory, Enrolment, Lesson, SectionItem
from elearn.demo import course_texts as texts
from elearn.demo import pdfdoc
from elearn.demo import people as people_data
from elearn.demo.people import ADMIN, LEADER_JOB, LECTURERS, PersonSpec
from elearn.demo.units import LOCALITIES
from elearn.extensions import db

SEED = 57
POOL_SIZE = 120  # learners who study at least one demo course
# Share of enrolments that are complete / half-way / not started (the demo learner has fixed ones).
FATES = {"completed": 0.42, "in_progress": 0.36, "not_started": 0.22}
OUTSIDE_REASON = "Chuyên viên Phòng Chuyển đổi số của Sở, tham gia để hướng dẫn, hỗ trợ các xã, phường."


@dataclass(frozen=True)
class Plan:
    """How one demo course is run: who teaches it, when, for whom, and how many study it."""

    text: texts.CourseText
    author: int  # index in people.LECTURERS: the lecturer who writes the course
    co_lecturers: tuple[int, ...] = ()
    created_days_ago: int = 200
    opens_days_ago: int = 150  # enrolment dates (published courses only)
    closes_in_days: int = 90
    audience: str = ""  # key of _Seeder.audience(): "" (everyone), party, localities, commune_leaders, secretaries
    learners: int = 0  # how many learners of the pool to enrol
    self_share: float = 0.0  # share of them who enrol themselves (the rest: the training office)
    prefer: str = ""  # key of _Seeder.preferred(): who is picked first among those who match
    publish: bool = True


PLANS = (
    Plan(texts.NQ57, author=0, co_lecturers=(1,), created_days_ago=190, opens_days_ago=160, closes_in_days=60,
         audience="party", learners=40, self_share=0.3),
    Plan(texts.AI, author=2, created_days_ago=150, opens_days_ago=120, closes_in_days=90, learners=28,
         self_share=0.6),
    Plan(texts.CDS, author=2, co_lecturers=(1,), created_days_ago=130, opens_days_ago=100, closes_in_days=120,
         audience="localities", learners=24, self_share=0.2),
    Plan(texts.DVM, author=0, created_days_ago=110, opens_days_ago=90, closes_in_days=150, audience="party",
         learners=12, prefer="recent_members"),
    Plan(texts.LDQL, author=1, created_days_ago=100, opens_days_ago=75, closes_in_days=75,
         audience="commune_leaders", learners=20, self_share=0.25),
    Plan(texts.QPAN, author=1, co_lecturers=(2,), created_days_ago=80, opens_days_ago=60, closes_in_days=100,
         learners=18, prefer="non_leaders"),
    Plan(texts.SECRETARIES, author=0, co_lecturers=(1,), created_days_ago=70, opens_days_ago=45,
         closes_in_days=120, audience="secretaries"),
    Plan(texts.HNQT_DRAFT, author=2, created_days_ago=12, opens_days_ago=0, closes_in_days=0, publish=False),
)
DEMO_CODES = tuple(plan.text.code for plan in PLANS)


def seed_courses() -> str:
    """Create the demo courses when none exists yet; returns one line for the seed's output."""
    present = sorted(db.session.scalars(select(Course.code).where(Course.code.in_(DEMO_CODES))))
    if present:
        return f"Demo courses already present ({', '.join(present)}); nothing changed."
    cast = _Cast.load()
    if cast is None:
        return "Demo courses not added: the demo administrator or lecturers were not found."
    # The services commit after each step. Expiring every loaded object at each of those ~1,500 commits
    # (and loading it again) would make the seed ten times slower; nothing else writes meanwhile.
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        return _Seeder(cast).run()
    except Exception:
        db.session.rollback()
        raise
    finally:
        session.expire_on_commit = expire


# --- who ------------------------------------------------------------------------------------------

def _find(spec: PersonSpec) -> User | None:
    return db.session.scalar(
        select(User).join(Profile, Profile.user_id == User.id).join(Unit, Unit.id == Profile.unit_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.full_name == spec.full_name, Unit.code == spec.unit_code, UserRole.role == str(spec.role))
        .order_by(User.id).limit(1))


@dataclass
class _Cast:
    admin: User
    lecturers: list[User]
    learners: list[User]  # every active demo learner, in id order

    @classmethod
    def load(cls) -> _Cast | None:
        admin = _find(ADMIN)
        lecturers = [_find(spec) for spec in LECTURERS]
        if admin is None or any(lec is None for lec in lecturers):
            return None
        learners = list(db.session.scalars(
            select(User).join(UserRole, UserRole.user_id == User.id).join(Profile, Profile.user_id == User.id)
            .where(UserRole.role == str(Role.LEARNER), User.active.is_(True)).order_by(User.id)))
        return cls(admin, lecturers, learners)


# --- the seeding ----------------------------------------------------------------------------------

class _Seeder:
    def __init__(self, cast: _Cast):
        self.cast = cast
        self.rng = random.Random(SEED)
        self.now = clock.now()
        self.today = clock.today_local()
        self.locality_ids = set(db.session.scalars(select(Unit.id).where(Unit.code.in_([loc.code for loc in LOCALITIES]))))
        self.categories = {c.code: c.id for c in db.session.scalars(select(CourseCategory))}
        self.fates: Counter = Counter()
        self.lessons = 0
        self.documents = 0
        # The learner whose login the seed prints: their own courses show each state of progress.
        self.demo = _find(people_data.demo_learner(people_data.learners()))

    def at(self, days_ago: float, hour: float | None = None) -> datetime:
        """A moment `days_ago` days before now, at a local office hour (random when not given)."""
        day = (self.now - timedelta(days=days_ago)).astimezone(clock.LOCAL_TZ).date()
        hour = self.rng.uniform(7.5, 17.0) if hour is None else hour
        local = datetime.combine(day, time(int(hour), int(hour % 1 * 60)), tzinfo=clock.LOCAL_TZ)
        return min(local.astimezone(self.now.tzinfo), self.now - timedelta(minutes=30))

    def run(self) -> str:
        courses = [(plan, self.build(plan)) for plan in PLANS]
        published = [(plan, course) for plan, course in courses if plan.publish]
        enrolments = self.enrol(published)
        self.progress(enrolments)
        self.announce(published[0][1], published[0][0])
        learners = len({e.user_id for e, _plan in enrolments})
        return (f"Demo courses created: {len(published)} published and {len(courses) - len(published)} draft, "
                f"{self.lessons} lessons ({self.documents} generated PDF); {len(enrolments)} enrolments of "
                f"{learners} learners: {self.fates['completed']} completed, {self.fates['in_progress']} in progress, "
                f"{self.fates['not_started']} not started.")

    # --- authoring ---------------------------------------------------------------------------------

    def build(self, plan: Plan) -> Course:
        text, author = plan.text, self.cast.lecturers[plan.author]
        opens = self.today - timedelta(days=plan.opens_days_ago) if plan.publish else None
        closes = self.today + timedelta(days=plan.closes_in_days) if plan.publish else None
        data = services.CourseData(
            code=text.code, title=text.title, summary=texts.to_html(text.summary),
            category_id=self.categories.get(text.category), kind=text.kind, hours=text.hours,
            opens_on=opens, closes_on=closes, self_enrol=True)
        created = plan.created_days_ago
        with clock.freeze(self.at(created)):
            course = services.create_course(author, data)
        if plan.co_lecturers:
            team = {author.id, *(self.cast.lecturers[i].id for i in plan.co_lecturers)}
            with clock.freeze(self.at(created - 1)):
                services.set_lecturers(self.cast.admin, course, team)
        for n, section_text in enumerate(text.sections):
            with clock.freeze(self.at(created - 2 - n * 3)):
                section = services.add_section(author, course, section_text.title,
                                               texts.to_html(section_text.summary) if section_text.summary else "")
                for lesson_text in section_text.lessons:
                    self.add_lesson(author, section, lesson_text)
        if not plan.publish:
            return course
        with clock.freeze(self.at(plan.opens_days_ago + 4)):
            services.set_completion_rules(author, course, [domain.RequiredLessonsDone()])
            rules = self.audience(plan.audience)
            if rules:
                services.set_audience(author, course, rules)
        with clock.freeze(self.at(plan.opens_days_ago + 2)):
            services.set_state(author, course, CourseState.PUBLISHED)
        return course

    def add_lesson(self, author: User, section, lesson: texts.LessonText) -> None:
        mode = CompletionMode.MANUAL if lesson.manual else CompletionMode.ON_VIEW
        data = services.LessonData(title=lesson.title, kind=lesson.kind, body=texts.to_html(lesson.text),
                                   url=lesson.url, completion_mode=mode, minutes=lesson.minutes)
        file = None
        if lesson.kind == LessonKind.DOCUMENT:
            doc = texts.DOCUMENTS[lesson.document]
            pdf = pdfdoc.render(doc.title, texts.blocks(doc.text), subtitle=doc.subtitle, issuer=doc.issuer,
                                author=author.full_name, created=clock.now())
            upload = FileStorage(io.BytesIO(pdf), filename=doc.file_name, content_type="application/pdf")
            file = save_upload(upload, allowed_kinds={"document"}, owner=author)
            self.documents += 1
        services.add_lesson(author, section, data, file=file)
        self.lessons += 1

    def audience(self, key: str) -> list[domain.AudienceRule]:
        if key == "party":
            return [domain.AudienceRule(party_member=True)]
        if key == "localities":
            return [domain.AudienceRule(unit_ids=frozenset(self.locality_ids))]
        if key == "commune_leaders":
            return [domain.AudienceRule(unit_ids=frozenset(self.locality_ids), job_positions=(LEADER_JOB,))]
        if key == "secretaries":
            return [domain.AudienceRule(categories=frozenset({Category.COMMUNE_SECRETARY}))]
        return []

    # --- enrolment ---------------------------------------------------------------------------------

    def pool(self) -> list[User]:
        """The learners who study: every commune Party secretary (their course enrols them by rule) and
        others drawn at random, POOL_SIZE in all."""
        secretaries = [u for u in self.cast.learners if Category.COMMUNE_SECRETARY in u.profile.categories]
        taken = {u.id for u in secretaries}  # ids: User compares equal by login id (flask-login's UserMixin)
        others = [u for u in self.cast.learners if u.id not in taken]
        drawn = self.rng.sample(others, max(0, min(len(others), POOL_SIZE - len(secretaries))))
        return sorted(secretaries + drawn, key=lambda u: u.id)

    def preferred(self, key: str, people: list[User]) -> list[User]:
        """Those matching `key` first (in random order), then the rest (in random order)."""
        def wanted(user: User) -> bool:
            p = user.profile
            if key == "recent_members":
                return bool(p.party_joined_year) and p.party_joined_year >= self.today.year - 6
            if key == "non_leaders":
                return p.job_position != LEADER_JOB and not p.position.startswith(("Trưởng", "Phó", "Bí thư"))
            return True
        first = [u for u in people if wanted(u)]
        rest = [u for u in people if not wanted(u)]
        self.rng.shuffle(first)
        self.rng.shuffle(rest)
        return first + rest

    def enrol(self, published: list[tuple[Plan, Course]]) -> list[tuple[Enrolment, Plan]]:
        pool = self.pool()
        pool_ids = {u.id for u in pool}
        demo = self.demo
        chosen: dict[str, list[User]] = {}
        for plan, course in published:
            if plan.audience == "secretaries":
                continue
            matching = [u for u in services.matching_people(course) if u.id in pool_ids]
            picked = self.preferred(plan.prefer, matching)[:plan.learners]
            if demo is not None and plan.text.code in (texts.NQ57.code, texts.AI.code, texts.CDS.code) \
                    and demo.id in {u.id for u in matching} - {u.id for u in picked}:
                picked[-1:] = [demo]
            chosen[plan.text.code] = picked
        # Everyone in the pool studies something: the AI course is open to all.
        studying = {u.id for people in chosen.values() for u in people}
        secretaries = {u.id for u in pool if Category.COMMUNE_SECRETARY in u.profile.categories}
        chosen[texts.AI.code] += [u for u in pool if u.id not in studying and u.id not in secretaries]

        enrolments: list[tuple[Enrolment, Plan]] = []
        for plan, course in published:
            if plan.audience == "secretaries":
                with clock.freeze(self.at(plan.opens_days_ago - 1, hour=8.5)):
                    services.enrol_matching(self.cast.admin, course)
                rows = db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id)
                                          .order_by(Enrolment.id)).all()
                enrolments += [(row, plan) for row in rows]
                continue
            for user in chosen[plan.text.code]:
                days_ago = plan.opens_days_ago - self.rng.uniform(0, min(25, plan.opens_days_ago * 0.4))
                with clock.freeze(self.at(days_ago)):
                    if self.rng.random() < plan.self_share:
                        row = services.self_enrol(user, course)
                    else:
                        row = services.enrol_person(self.cast.admin, course, user)
                enrolments.append((row, plan))
            if plan.text is texts.CDS:  # the office also enrols two provincial specialists, outside the target
                outside = [u for u in self.cast.learners if u.profile.unit.code == "SKHCN-CDS"
                           and not services.audience_match(u, course).ok][:2]
                for user in outside:
                    with clock.freeze(self.at(plan.opens_days_ago - 3)):
                        row = services.enrol_person(self.cast.admin, course, user, reason=OUTSIDE_REASON)
                    enrolments.append((row, plan))
        return enrolments

    # --- progress ----------------------------------------------------------------------------------

    def fate(self, enrolment: Enrolment, plan: Plan) -> str:
        if self.demo is not None and enrolment.user_id == self.demo.id:
            return {texts.NQ57.code: "completed", texts.AI.code: "in_progress", texts.CDS.code: "not_started",
                    texts.SECRETARIES.code: "in_progress"}.get(plan.text.code, "in_progress")
        return self.rng.choices(list(FATES), weights=list(FATES.values()))[0]

    def progress(self, enrolments: list[tuple[Enrolment, Plan]]) -> None:
        flows: dict[int, list[tuple[SectionItem, Lesson]]] = {}
        for enrolment, plan in enrolments:
            course_id = enrolment.course_id
            if course_id not in flows:
                course = db.session.get(Course, course_id)
                flows[course_id] = [(item, db.session.get(Lesson, item.ref_id)) for section in course.sections
                                    for item in section.items if item.kind == "lesson"]
            flow = flows[course_id]
            fate = self.fate(enrolment, plan)
            self.fates[fate] += 1
            if fate == "not_started":
                continue
            count = len(flow) if fate == "completed" else self.rng.randint(1, len(flow) - 1)
            user = db.session.get(User, enrolment.user_id)
            for (item, lesson), moment in zip(flow[:count], self.moments(enrolment, count), strict=True):
                with clock.freeze(moment):
                    services.record_view(user, enrolment, lesson, item)
                    if lesson.completion_mode == CompletionMode.MANUAL:
                        services.mark_done(user, enrolment, lesson)

    def moments(self, enrolment: Enrolment, count: int) -> list[datetime]:
        """`count` increasing study moments between the enrolment and now, in waking hours."""
        start = enrolment.enrolled_at
        span = max((self.now - start).total_seconds() / 86400 - 1, 0.1)
        days = sorted(self.rng.uniform(0, min(span, 6 + count * 9)) for _ in range(count))
        out = []
        for day in days:
            local = (start + timedelta(days=day)).astimezone(clock.LOCAL_TZ)
            local = local.replace(hour=self.rng.randint(6, 21), minute=self.rng.randint(0, 59))
            moment = max(local.astimezone(start.tzinfo), start + timedelta(minutes=5))
            out.append(min(moment, self.now - timedelta(minutes=10)))
        out.sort()
        for i in range(1, len(out)):  # one lesson after another, never at the same instant
            out[i] = max(out[i], out[i - 1] + timedelta(minutes=7))
        return out

    def announce(self, course: Course, plan: Plan) -> None:
        author = self.cast.lecturers[plan.author]
        with clock.freeze(self.at(20)):
            services.post_announcement(
                author, course, "Nhắc hoàn thành khóa học trước khi kết thúc",
                "<p>Đề nghị các đồng chí chưa hoàn thành khóa học sắp xếp thời gian học hết các bài bắt buộc, "
                "trong đó có <strong>Tài liệu tóm tắt Nghị quyết 57-NQ/TW</strong>, trước ngày khóa học kết "
                "thúc. Tài liệu có thể tải về để đọc khi không có kết nối mạng.</p>")
