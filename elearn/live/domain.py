"""Rules of live classes, pure Python: join window, attendance minutes and status, QR time buckets,
chat text, per-person rate limits, poll votes, reminders and the iCalendar format."""
from __future__ import annotations

import math
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


def N_(msgid: str) -> str:  # noqa: N802  (marks a msgid for extraction, translated where shown)
    return msgid


CHAT_MAX_CHARS = 500
QUESTION_MAX_CHARS = 500
POLL_MAX_OPTIONS = 8
QR_PERIOD_SECONDS = 30
QR_GRACE_BUCKETS = 2  # a code shown up to a minute ago still checks in (time to scan and confirm)


class Phase:
    UPCOMING = "upcoming"  # the room is not open yet
    OPEN = "open"  # join window: the room is open before the start
    LIVE = "live"
    ENDED = "ended"


PHASE_LABELS = {Phase.UPCOMING: N_("Upcoming"), Phase.OPEN: N_("Open: starting soon"), Phase.LIVE: N_("Live now"),
                Phase.ENDED: N_("Ended")}


class Status:
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"


STATUS_LABELS = {Status.PRESENT: N_("Present"), Status.LATE: N_("Late"), Status.ABSENT: N_("Absent")}


def phase(now: datetime, starts_at: datetime, ends_at: datetime, opens_minutes: int) -> str:
    if now >= ends_at:
        return Phase.ENDED
    if now >= starts_at:
        return Phase.LIVE
    if now >= starts_at - timedelta(minutes=max(opens_minutes, 0)):
        return Phase.OPEN
    return Phase.UPCOMING


def can_enter(now: datetime, starts_at: datetime, ends_at: datetime, opens_minutes: int) -> bool:
    """The room takes people from the join window until the end."""
    return phase(now, starts_at, ends_at, opens_minutes) in (Phase.OPEN, Phase.LIVE)


def schedule_problems(starts_at: datetime | None, ends_at: datetime | None, threshold: int, opens_minutes: int) -> list[str]:
    problems = []
    if starts_at is None or ends_at is None:
        problems.append(N_("Give the start and the end."))
    elif ends_at <= starts_at:
        problems.append(N_("The end must be after the start."))
    elif ends_at - starts_at > timedelta(hours=12):
        problems.append(N_("A session lasts at most 12 hours."))
    if not 0 <= threshold <= 100:
        problems.append(N_("The attendance threshold is a percentage from 0 to 100."))
    if not 0 <= opens_minutes <= 240:
        problems.append(N_("The room opens at most 240 minutes before the start."))
    return problems


# ---- attendance --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stay:
    """One stay in the room. `left_at` None: still connected, counted up to `seen_at` plus a grace."""

    joined_at: datetime
    left_at: datetime | None = None
    seen_at: datetime | None = None


OPEN_STAY_GRACE = timedelta(minutes=2)  # a connection silent for longer is treated as gone (server crash)


def stay_end(stay: Stay, now: datetime) -> datetime:
    if stay.left_at is not None:
        return stay.left_at
    if stay.seen_at is not None:
        return min(now, stay.seen_at + OPEN_STAY_GRACE)
    return now


def minutes_attended(stays: Iterable[Stay], starts_at: datetime, ends_at: datetime, now: datetime) -> float:
    """Minutes inside [start, end] covered by the stays; overlapping stays (two tabs) count once."""
    intervals = []
    for stay in stays:
        begin = max(stay.joined_at, starts_at)
        end = min(stay_end(stay, now), ends_at)
        if end > begin:
            intervals.append((begin, end))
    intervals.sort()
    total = timedelta()
    current_start = current_end = None
    for begin, end in intervals:
        if current_end is None or begin > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = begin, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return total.total_seconds() / 60


def session_minutes(starts_at: datetime, ends_at: datetime) -> float:
    return max((ends_at - starts_at).total_seconds() / 60, 0.0)


@dataclass(frozen=True)
class AttendanceFacts:
    stays: Sequence[Stay] = ()
    checked_in_at: datetime | None = None  # in-person QR check-in
    manual_status: str | None = None  # the lecturer's mark wins over everything


@dataclass(frozen=True)
class AttendanceResult:
    status: str
    minutes: float  # minutes counted toward completion
    first_seen: datetime | None


def attendance(facts: AttendanceFacts, starts_at: datetime, ends_at: datetime, threshold_percent: int,
               late_after_minutes: int, now: datetime) -> AttendanceResult:
    """Present when the minutes reach the threshold; late when also first seen after the grace period.

    An in-person check-in, or the lecturer's present/late mark, counts the whole session (the person was in the hall).
    """
    full = session_minutes(starts_at, ends_at)
    online = minutes_attended(facts.stays, starts_at, ends_at, now)
    first = min([s.joined_at for s in facts.stays] + ([facts.checked_in_at] if facts.checked_in_at else []), default=None)
    if facts.manual_status in (Status.PRESENT, Status.LATE):
        return AttendanceResult(facts.manual_status, full, first)
    if facts.manual_status == Status.ABSENT:
        return AttendanceResult(Status.ABSENT, 0.0, first)
    minutes = full if facts.checked_in_at is not None else online
    needed = full * threshold_percent / 100
    if first is None or minutes + 1e-9 < needed or (minutes <= 0 and threshold_percent > 0):
        return AttendanceResult(Status.ABSENT, minutes, first)
    late = first > starts_at + timedelta(minutes=late_after_minutes)
    return AttendanceResult(Status.LATE if late else Status.PRESENT, minutes, first)


def is_present(status: str) -> bool:
    return status in (Status.PRESENT, Status.LATE)


# ---- in-person QR ------------------------------------------------------------------------------

def qr_bucket(now: datetime, period: int = QR_PERIOD_SECONDS) -> int:
    return math.floor(now.timestamp() / period)


def qr_bucket_valid(bucket: int, now: datetime, grace: int = QR_GRACE_BUCKETS, period: int = QR_PERIOD_SECONDS) -> bool:
    """A code is good in its own 30-second window and the `grace` windows after it, never before."""
    age = qr_bucket(now, period) - bucket
    return 0 <= age <= grace


def qr_seconds_left(now: datetime, period: int = QR_PERIOD_SECONDS) -> int:
    return period - int(now.timestamp()) % period


# ---- chat and questions ------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t]+")


def clean_text(raw, max_chars: int) -> tuple[str, str | None]:
    """Plain text for the room: control characters removed, spaces squeezed, length checked.

    Returns (text, problem msgid or None). Markup is kept as text and shown as text, never as HTML.
    """
    if not isinstance(raw, str):
        return "", N_("The message is empty.")
    if len(raw) > max_chars * 4:  # do not even normalise a huge payload
        return "", N_("The message is too long.")
    text = unicodedata.normalize("NFC", raw)
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch)[0] != "C")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        return "", N_("The message is empty.")
    if len(text) > max_chars:
        return "", N_("The message is too long.")
    return text, None


@dataclass
class RateWindow:
    """At most `limit` actions in any `seconds`-long window (per person, in memory)."""

    limit: int
    seconds: float
    times: deque = field(default_factory=deque)

    def allow(self, now: float) -> bool:
        while self.times and now - self.times[0] >= self.seconds:
            self.times.popleft()
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        return True


# ---- presence ----------------------------------------------------------------------------------

PRESENCE_EVERY_SECONDS = 2.0  # arrivals and departures go out as one digest at most this often (per process)


@dataclass(frozen=True)
class PresenceDigest:
    """The presence changes since the last digest: one message for the room instead of one per arrival."""

    staff: dict  # for the lecturers: everyone who arrived (names) and left, and the count
    crowd: dict | None  # for the learners: the count and the lecturers' comings and goings (None: nothing new)


def presence_digest(touched: Iterable[int], here: Iterable[dict], count: int, previous_count: int | None,
                    lecturer_ids: Iterable[int]) -> PresenceDigest:
    """`touched`: people who joined or left since the last digest; `here`: those of them in the room now
    ({"user_id", "name", "lecturer"}); `count`: people in the room now. Someone who came and went in between
    counts as gone; a second tab of someone already here shows as an arrival again (harmless: a set)."""
    here = sorted(here, key=lambda p: (not p.get("lecturer"), p.get("name") or "", p["user_id"]))
    here_ids = {p["user_id"] for p in here}
    left = sorted(set(touched) - here_ids)
    lecturers = set(lecturer_ids)
    staff = {"count": count, "joined": here, "left": left}
    crowd_joined = [p for p in here if p["user_id"] in lecturers]
    crowd_left = [uid for uid in left if uid in lecturers]
    crowd = {"count": count, "joined": crowd_joined, "left": crowd_left}
    if not crowd_joined and not crowd_left and count == previous_count:
        crowd = None
    return PresenceDigest(staff, crowd)


# ---- polls -------------------------------------------------------------------------------------

class Revote:
    IGNORE = "ignore"  # the first vote stands
    REPLACE = "replace"  # the latest vote counts


def poll_problems(question: str, options: Sequence[str], correct: int | None, revote: str) -> list[str]:
    problems = []
    if not question:
        problems.append(N_("The poll needs a question."))
    if not 2 <= len(options) <= POLL_MAX_OPTIONS:
        problems.append(N_("A poll has from 2 to 8 options."))
    if any(not o for o in options):
        problems.append(N_("An option is empty."))
    if correct is not None and not 0 <= correct < len(options):
        problems.append(N_("The right answer must be one of the options."))
    if revote not in (Revote.IGNORE, Revote.REPLACE):
        problems.append(N_("Unknown poll setting."))
    return problems


def vote_outcome(previous: int | None, new: int, option_count: int, revote: str, closed: bool) -> tuple[str, str | None]:
    """('insert' | 'replace' | 'keep', problem msgid or None) for a vote."""
    if closed:
        return "keep", N_("The poll is closed.")
    if not isinstance(new, int) or isinstance(new, bool) or not 0 <= new < option_count:
        return "keep", N_("Choose one of the options.")
    if previous is None:
        return "insert", None
    if revote == Revote.REPLACE:
        return ("keep" if previous == new else "replace"), None
    return "keep", None


def tally(votes: Iterable[int], option_count: int) -> list[int]:
    counts = [0] * option_count
    for option in votes:
        if 0 <= option < option_count:
            counts[option] += 1
    return counts


# ---- reminders ---------------------------------------------------------------------------------

def reminder_due(now: datetime, starts_at: datetime, lead_minutes: int, reminded: bool) -> bool:
    return not reminded and starts_at > now and starts_at - now <= timedelta(minutes=lead_minutes)


# ---- iCalendar (RFC 5545) -----------------------------------------------------------------------

@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    url: str = ""
    description: str = ""
    location: str = ""
    stamp: datetime | None = None


def _ics_text(value: str) -> str:
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _ics_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are folded (continuation lines start with a space), never inside a character."""
    out, current = [], ""
    for ch in line:
        limit = 75 if not out else 74
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ch
        else:
            current += ch
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def ics_calendar(name: str, entries: Iterable[CalendarEntry], now: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//elearn//live sessions//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_ics_text(name)}"]
    for entry in entries:
        lines += ["BEGIN:VEVENT", f"UID:{entry.uid}", f"DTSTAMP:{_ics_time(entry.stamp or now)}",
                  f"DTSTART:{_ics_time(entry.starts_at)}", f"DTEND:{_ics_time(entry.ends_at)}",
                  f"SUMMARY:{_ics_text(entry.title)}"]
        if entry.description:
            lines.append(f"DESCRIPTION:{_ics_text(entry.description)}")
        if entry.location:
            lines.append(f"LOCATION:{_ics_text(entry.location)}")
        if entry.url:
            lines.append(f"URL:{entry.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))

