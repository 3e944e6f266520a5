"""Pure rules about courses themselves: kinds, states, lesson kinds, who may self-enrol and when."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from elearn.courses.messages import N_, Message, msg


class CourseKind(StrEnum):
    TRAINING = "dao_tao"  # đào tạo (degree-level)
    REFRESHER = "boi_duong"  # bồi dưỡng
    WORKSHOP = "tap_huan"  # tập huấn


COURSE_KIND_LABELS = {
    CourseKind.TRAINING: N_("Training (đào tạo)"),
    CourseKind.REFRESHER: N_("Refresher training (bồi dưỡng)"),
    CourseKind.WORKSHOP: N_("Workshop (tập huấn)"),
}


class CourseState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


COURSE_STATE_LABELS = {
    CourseState.DRAFT: N_("Draft"),
    CourseState.PUBLISHED: N_("Published"),
    CourseState.ARCHIVED: N_("Archived"),
}

# Allowed state changes: a draft is published, a published course may go back to draft or be archived,
# an archived course may be published again.
TRANSITIONS = {
    CourseState.DRAFT: {CourseState.PUBLISHED},
    CourseState.PUBLISHED: {CourseState.DRAFT, CourseState.ARCHIVED},
    CourseState.ARCHIVED: {CourseState.PUBLISHED},
}


class LessonKind(StrEnum):
    PAGE = "page"
    DOCUMENT = "document"
    VIDEO = "video"
    LINK = "link"


LESSON_KIND_LABELS = {
    LessonKind.PAGE: N_("Page"),
    LessonKind.DOCUMENT: N_("Document (PDF)"),
    LessonKind.VIDEO: N_("Video"),
    LessonKind.LINK: N_("External link"),
}


class CompletionMode(StrEnum):
    ON_VIEW = "on_view"
    MANUAL = "manual"
    VIDEO_SHARE = "video_share"


COMPLETION_MODE_LABELS = {
    CompletionMode.ON_VIEW: N_("Done when viewed"),
    CompletionMode.MANUAL: N_("The learner marks it done"),
    CompletionMode.VIDEO_SHARE: N_("Done when enough of the video is watched"),
}


class EnrolMethod(StrEnum):
    SELF = "self"
    MANUAL = "manual"
    RULE = "rule"
    CSV = "csv"


ENROL_METHOD_LABELS = {
    EnrolMethod.SELF: N_("Self-enrolment"),
    EnrolMethod.MANUAL: N_("Enrolled by a lecturer or admin"),
    EnrolMethod.RULE: N_("Enrolled by target-group rule"),
    EnrolMethod.CSV: N_("Enrolled from a list"),
}

# A text lesson must stay light on a 3G phone.
MAX_PAGE_HTML_BYTES = 60 * 1024


def check_transition(current: str, target: str, has_content: bool) -> Message | None:
    """Why a course cannot move from `current` to `target` state, or None."""
    if target not in TRANSITIONS.get(CourseState(current), set()):
        return msg(N_("A course cannot go from this state to that one."))
    if target == CourseState.PUBLISHED and not has_content:
        return msg(N_("Add at least one lesson before publishing the course."))
    return None


@dataclass(frozen=True)
class SelfEnrolFacts:
    state: str
    self_enrol: bool
    opens_on: date | None
    closes_on: date | None
    capacity: int | None
    enrolled: int  # active enrolments now
    key_required: bool
    key_ok: bool
    audience_ok: bool
    already_enrolled: bool


def self_enrol_problems(f: SelfEnrolFacts, today: date) -> list[Message]:
    """Every reason a person may not enrol themself (empty list: allowed). Audience reasons come separately."""
    problems: list[Message] = []
    if f.already_enrolled:
        return [msg(N_("You are already enrolled in this course."))]
    if f.state != CourseState.PUBLISHED:
        problems.append(msg(N_("This course is not open for enrolment.")))
    if not f.self_enrol:
        problems.append(msg(N_("Learners cannot enrol themselves in this course; the training office enrols them.")))
    if f.opens_on and today < f.opens_on:
        problems.append(msg(N_("Enrolment opens on %(date)s."), date=f.opens_on.strftime("%d/%m/%Y")))
    if f.closes_on and today > f.closes_on:
        problems.append(msg(N_("This course closed on %(date)s."), date=f.closes_on.strftime("%d/%m/%Y")))
    if f.capacity is not None and f.enrolled >= f.capacity:
        problems.append(msg(N_("This course is full (%(n)s places)."), n=f.capacity))
    if f.key_required and not f.key_ok:
        problems.append(msg(N_("The enrolment key is wrong.")))
    if not f.audience_ok:
        problems.append(msg(N_("This course is meant for another target group.")))
    return problems


def page_too_heavy(html: str) -> bool:
    return len(html.encode("utf-8")) > MAX_PAGE_HTML_BYTES


def is_http_url(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit((url or "").strip())
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and len(url) <= 1000


def embed_allowed(url: str, allowed_hosts: set[str]) -> bool:
    """A video embed URL is allowed only over HTTPS and from a host on the admins' allow-list
    (a host also allows its sub-domains)."""
    from urllib.parse import urlsplit

    url = (url or "").strip()
    parts = urlsplit(url)
    # Browsers read a backslash as "/": "https://evil.example\\@video.tinh.gov.vn/" is evil.example. Addresses
    # with credentials, a bad port or a host that is not a plain host name are refused as well.
    if parts.scheme != "https" or not parts.hostname or "\\" in url or "@" in parts.netloc:
        return False
    try:
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        return False
    host = parts.hostname.lower()
    if embed_host_problem(host) is not None:
        return False
    return any(host == h or host.endswith("." + h) for h in (a.lower().strip(".") for a in allowed_hosts))


_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"


def embed_host_problem(host: str) -> str | None:
    """Why `host` is not a bare host name for the embed allow-list (a msgid), or None.

    Only a host is accepted ("video.tinh.gov.vn"): no scheme, port, path, wildcard or IP address,
    at least two labels, and a top-level label of letters. Internationalised names in punycode form.
    """
    host = (host or "").strip().lower()
    if not host:
        return N_("Enter a host name, for example video.tinh.gov.vn.")
    if len(host) > 253 or not re.fullmatch(rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})+", host) \
            or not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", host.rsplit(".", 1)[-1]):
        return N_("Enter only a host name such as video.tinh.gov.vn: no http://, port, path or IP address.")
    return None
