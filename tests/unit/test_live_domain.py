"""Rules of live classes: join window, attendance minutes/threshold/late, QR windows, chat text, votes, iCalendar."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from elearn.live import domain
from elearn.live.domain import AttendanceFacts, Stay

START = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 08:00 in Hanoi
END = START + timedelta(minutes=90)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def test_phases_and_join_window():
    assert domain.phase(at(-30), START, END, 15) == domain.Phase.UPCOMING
    assert domain.phase(at(-15), START, END, 15) == domain.Phase.OPEN
    assert domain.phase(at(0), START, END, 15) == domain.Phase.LIVE
    assert domain.phase(at(90), START, END, 15) == domain.Phase.ENDED
    assert not domain.can_enter(at(-16), START, END, 15)
    assert domain.can_enter(at(-1), START, END, 15) and domain.can_enter(at(89), START, END, 15)
    assert not domain.can_enter(at(91), START, END, 15)


def test_schedule_problems():
    assert domain.schedule_problems(START, END, 75, 15) == []
    assert domain.schedule_problems(END, START, 75, 15) == ["The end must be after the start."]
    assert domain.schedule_problems(START, END, 101, 15)
    assert domain.schedule_problems(START, START + timedelta(hours=13), 50, 15)
    assert domain.schedule_problems(None, END, 50, 15)


def test_minutes_are_clipped_to_the_session_and_overlaps_count_once():
    stays = [Stay(at(-10), at(30)), Stay(at(20), at(40)), Stay(at(80), at(120))]  # two tabs overlap 20-30
    assert domain.minutes_attended(stays, START, END, at(200)) == pytest.approx(40 + 10)


def test_an_open_stay_counts_until_now_or_its_last_sign_of_life():
    assert domain.minutes_attended([Stay(at(0))], START, END, at(30)) == pytest.approx(30)
    crashed = Stay(at(0), None, seen_at=at(10))  # server crashed: counted to last seen + grace
    assert domain.minutes_attended([crashed], START, END, at(60)) == pytest.approx(12)


def test_present_at_threshold_absent_below():
    ok = domain.attendance(AttendanceFacts([Stay(at(0), at(67.5))]), START, END, 75, 10, at(100))
    assert ok.status == domain.Status.PRESENT and ok.minutes == pytest.approx(67.5)
    short = domain.attendance(AttendanceFacts([Stay(at(0), at(67))]), START, END, 75, 10, at(100))
    assert short.status == domain.Status.ABSENT


def test_late_when_first_seen_after_the_grace_period():
    late = domain.attendance(AttendanceFacts([Stay(at(11), at(90))]), START, END, 75, 10, at(100))
    assert late.status == domain.Status.LATE
    on_time = domain.attendance(AttendanceFacts([Stay(at(10), at(90))]), START, END, 75, 10, at(100))
    assert on_time.status == domain.Status.PRESENT


def test_never_came_is_absent_even_with_zero_threshold():
    result = domain.attendance(AttendanceFacts(), START, END, 0, 10, at(100))
    assert result.status == domain.Status.ABSENT and result.minutes == 0 and result.first_seen is None


def test_qr_check_in_counts_the_whole_session_and_manual_mark_wins():
    scanned = domain.attendance(AttendanceFacts(checked_in_at=at(2)), START, END, 75, 10, at(100))
    assert scanned.status == domain.Status.PRESENT and scanned.minutes == 90
    scanned_late = domain.attendance(AttendanceFacts(checked_in_at=at(20)), START, END, 75, 10, at(100))
    assert scanned_late.status == domain.Status.LATE
    marked = domain.attendance(AttendanceFacts(manual_status="absent", checked_in_at=at(2)), START, END, 75, 10, at(100))
    assert marked.status == domain.Status.ABSENT and marked.minutes == 0
    by_hand = domain.attendance(AttendanceFacts(manual_status="present"), START, END, 75, 10, at(100))
    assert by_hand.status == domain.Status.PRESENT and by_hand.minutes == 90


def test_qr_token_windows():
    now = datetime(2026, 12, 2, 1, 0, 10, tzinfo=UTC)
    bucket = domain.qr_bucket(now)
    assert domain.qr_bucket(now + timedelta(seconds=19)) == bucket
    assert domain.qr_bucket(now + timedelta(seconds=20)) == bucket + 1  # a new code every 30 s
    assert domain.qr_bucket_valid(bucket, now)
    assert domain.qr_bucket_valid(bucket, now + timedelta(seconds=30 * domain.QR_GRACE_BUCKETS))
    assert not domain.qr_bucket_valid(bucket, now + timedelta(seconds=30 * (domain.QR_GRACE_BUCKETS + 1)))
    assert not domain.qr_bucket_valid(bucket + 1, now)  # a code from the future is not valid
    assert 1 <= domain.qr_seconds_left(now) <= 30


@pytest.mark.parametrize("raw, expected", [
    ("  Xin chào   đồng chí \n\n ", "Xin chào đồng chí"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # kept as text, shown with textContent
    ("a\u0000b\u202ec", "abc"),  # control and bidi-override characters removed
])
def test_chat_text_is_plain_and_clean(raw, expected):
    assert domain.clean_text(raw, 500) == (expected, None)


@pytest.mark.parametrize("raw", ["", "   ", None, 5, "x" * 501, "x" * 1_000_000])
def test_chat_text_refused(raw):
    text, problem = domain.clean_text(raw, 500)
    assert text == "" and problem


def test_rate_window():
    window = domain.RateWindow(3, 10)
    assert [window.allow(t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert window.allow(10.0)  # the first one left the window


def test_votes_once_or_replaced():
    assert domain.vote_outcome(None, 1, 3, "ignore", False) == ("insert", None)
    assert domain.vote_outcome(1, 2, 3, "ignore", False) == ("keep", None)
    assert domain.vote_outcome(1, 2, 3, "replace", False) == ("replace", None)
    assert domain.vote_outcome(2, 2, 3, "replace", False) == ("keep", None)
    assert domain.vote_outcome(None, 1, 3, "ignore", True)[1] == "The poll is closed."
    assert domain.vote_outcome(None, 3, 3, "ignore", False)[1]
    assert domain.vote_outcome(None, True, 3, "ignore", False)[1]
    assert domain.tally([0, 1, 1, 9], 3) == [1, 2, 0]


def test_poll_problems():
    assert domain.poll_problems("Q?", ["a", "b"], None, "ignore") == []
    assert domain.poll_problems("Q?", ["a"], None, "ignore")
    assert domain.poll_problems("Q?", ["a", "b"], 2, "ignore")
    assert domain.poll_problems("", ["a", "b"], None, "ignore")


def test_reminder_due():
    assert domain.reminder_due(at(-30), START, 60, False)
    assert not domain.reminder_due(at(-61), START, 60, False)
    assert not domain.reminder_due(at(-30), START, 60, True)
    assert not domain.reminder_due(at(1), START, 60, False)


def test_ics_is_escaped_and_folded():
    entry = domain.CalendarEntry(uid="live-1@elearn", title="Nghị quyết 57; chuyển đổi số, AI", starts_at=START,
                                 ends_at=END, description="Dòng 1\nDòng 2 " + "ư" * 60, url="https://x.example/live/1")
    text = domain.ics_calendar("Lớp", [entry], START)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261202T010000Z" in text and "DTEND:20261202T023000Z" in text
    assert "SUMMARY:Nghị quyết 57\\; chuyển đổi số\\, AI" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:Dòng 1\\nDòng 2 " + "ư" * 60 in unfolded


# ---- presence digest ---------------------------------------------------------------------------

def _person(uid: int, name: str, lecturer: bool = False) -> dict:
    return {"user_id": uid, "name": name, "lecturer": lecturer}


def test_presence_digest_names_everyone_for_lecturers_and_only_lecturers_for_learners():
    here = [_person(3, "Bình"), _person(1, "Thầy An", lecturer=True), _person(4, "An")]
    digest = domain.presence_digest({1, 2, 3, 4}, here, count=10, previous_count=8, lecturer_ids={1, 9})
    assert digest.staff == {"count": 10, "joined": [here[1], here[2], here[0]], "left": [2]}  # lecturers first
    assert digest.crowd == {"count": 10, "joined": [here[1]], "left": []}


def test_presence_digest_spares_learners_when_nothing_they_see_changed():
    quiet = domain.presence_digest({5, 6}, [_person(5, "Cúc")], count=3, previous_count=3, lecturer_ids={1})
    assert quiet.crowd is None  # one came, one went: the count is the same, no lecturer moved
    assert quiet.staff == {"count": 3, "joined": [_person(5, "Cúc")], "left": [6]}
    gone = domain.presence_digest({1}, [], count=3, previous_count=3, lecturer_ids={1})
    assert gone.crowd == {"count": 3, "joined": [], "left": [1]}
    first = domain.presence_digest({7}, [_person(7, "Dũng")], count=1, previous_count=None, lecturer_ids=set())
    assert first.crowd == {"count": 1, "joined": [], "left": []}
