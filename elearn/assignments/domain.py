"""Rules of assignments and reflection essays (bài thu hoạch). Pure Python: no Flask, no database.

- Deadlines: an assignment is open until `due_at`; after it, submissions are accepted as late until
  `late_until` (when set); after that it is closed. No due date: always open.
- Word limits count the words of the visible text (HTML tags removed); a Vietnamese syllable counts as a
  word, as in a word processor.
- A submission is a draft until submitted; it can be submitted again while the assignment accepts
  submissions, when the lecturer allows resubmission and it has not been graded yet.
- Grading: a rubric (criteria, each with levels worth points), a simple score out of a maximum, or
  pass/fail. With a rubric or a score the learner passes at `pass_score` or above.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from elearn.core.clock import to_local
from elearn.courses.messages import N_, Message, msg


class Template(StrEnum):
    REFLECTION = "reflection"  # bài thu hoạch
    FREE = "free"


TEMPLATE_LABELS = {Template.REFLECTION: N_("Reflection essay (bài thu hoạch)"), Template.FREE: N_("Free assignment")}

# The sections of a reflection essay, in order: (key, heading msgid, hint msgid).
REFLECTION_SECTIONS = (
    ("learned", N_("What I learned"), N_("The main contents of the document or course, in your own words.")),
    ("application", N_("How it applies to my work"),
     N_("How these contents apply to your unit, your position and your daily work.")),
    ("commitments", N_("My commitments and action plan"),
     N_("Concrete commitments, one per line or as a list: what you will do, and by when.")),
)
SECTION_KEYS = tuple(key for key, _h, _t in REFLECTION_SECTIONS)


class Grading(StrEnum):
    RUBRIC = "rubric"
    SCORE = "score"
    PASS_FAIL = "pass_fail"  # noqa: S105  (not a password)


GRADING_LABELS = {Grading.RUBRIC: N_("Rubric"), Grading.SCORE: N_("Score"), Grading.PASS_FAIL: N_("Pass / fail")}


class Window(StrEnum):
    OPEN = "open"
    LATE = "late"  # past the due date, within the late window
    CLOSED = "closed"


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    GRADED = "graded"


STATE_LABELS = {State.DRAFT: N_("Draft"), State.SUBMITTED: N_("Submitted"), State.GRADED: N_("Graded")}


# ---- deadlines --------------------------------------------------------------------------------------------------


def window(now: datetime, due_at: datetime | None, late_until: datetime | None) -> Window:
    """Whether submissions are accepted now, and whether they count as late."""
    if due_at is None or now <= due_at:
        return Window.OPEN
    if late_until is not None and now <= late_until:
        return Window.LATE
    return Window.CLOSED


def local_text(value: datetime | None) -> str:
    """A moment as people here read it: "31/12/2026 17:00" in Asia/Ho_Chi_Minh."""
    return "" if value is None else f"{to_local(value):%d/%m/%Y %H:%M}"


def deadline_problem(due_at: datetime | None, late_until: datetime | None) -> str | None:
    if late_until is not None and due_at is None:
        return N_("A late window needs a due date.")
    if late_until is not None and due_at is not None and late_until <= due_at:
        return N_("The end of the late window must be after the due date.")
    return None


def closes_at(due_at: datetime | None, late_until: datetime | None) -> datetime | None:
    """The last moment a submission is accepted (None: never closes)."""
    return late_until or due_at


# ---- words ------------------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of plain text (numbers like 57-NQ/TW count as words too)."""
    return _WORD.findall(text or "")


def word_count(text: str) -> int:
    return len(words(text))


def word_limit_problem(count: int, min_words: int | None, max_words: int | None) -> Message | None:
    if min_words and count < min_words:
        return msg(N_("The text has %(count)s words; at least %(min)s are required."), count=count, min=min_words)
    if max_words and count > max_words:
        return msg(N_("The text has %(count)s words; at most %(max)s are allowed."), count=count, max=max_words)
    return None


def limits_problem(min_words: int | None, max_words: int | None) -> str | None:
    if min_words is not None and min_words < 0 or max_words is not None and max_words < 1:
        return N_("Word limits must be positive numbers.")
    if min_words and max_words and min_words > max_words:
        return N_("The minimum number of words is above the maximum.")
    return None


# ---- submitting -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmitCheck:
    ok: bool
    late: bool = False
    problem: Message | None = None


def submit_check(*, now: datetime, due_at: datetime | None, late_until: datetime | None, state: str,
                 allow_resubmit: bool, resubmitting: bool = False, has_content: bool, count: int,
                 has_files: bool = False, min_words: int | None,
                 max_words: int | None) -> SubmitCheck:
    """May this draft be submitted now? `resubmitting`: it was submitted before (and edited since).

    Submitting what is already submitted is not a problem: the service answers with the same submission
    (a double click is one submission)."""
    when = window(now, due_at, late_until)
    if when == Window.CLOSED:
        return SubmitCheck(False, problem=msg(N_("Submissions closed on %(date)s."),
                                              date=local_text(closes_at(due_at, late_until))))
    if state == State.GRADED:
        return SubmitCheck(False, problem=msg(N_("This submission has been graded and cannot be changed.")))
    if state == State.DRAFT and resubmitting and not allow_resubmit:
        return SubmitCheck(False, problem=msg(N_("This assignment does not allow submitting again.")))
    if not has_content:
        return SubmitCheck(False, problem=msg(N_("Write your text or attach a file before submitting.")))
    # Word limits are about the online text; work handed in only as files (nothing typed) is not counted.
    problem = word_limit_problem(count, min_words, max_words) if count or not has_files else None
    if problem is not None:
        return SubmitCheck(False, problem=problem)
    return SubmitCheck(True, late=when == Window.LATE)


def editable(state: str, allow_resubmit: bool, when: Window) -> bool:
    """Can the learner change their text and files now? Editing a submitted one makes it a draft again."""
    if when == Window.CLOSED or state == State.GRADED:
        return False
    return state == State.DRAFT or allow_resubmit


# ---- rubrics ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    label: str
    points: float


@dataclass(frozen=True)
class Criterion:
    title: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> float:
        return max(level.points for level in self.levels)


class RubricError(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


MAX_CRITERIA = 20
MAX_LEVELS = 10


def rubric_from_json(data) -> tuple[Criterion, ...]:
    """Criteria from stored JSON: [{"title", "levels": [{"label", "points"}]}]. RubricError when malformed."""
    if not isinstance(data, list) or not data:
        raise RubricError(msg(N_("A rubric needs at least one criterion.")))
    if len(data) > MAX_CRITERIA:
        raise RubricError(msg(N_("A rubric has at most %(n)s criteria."), n=MAX_CRITERIA))
    criteria = []
    for item in data:
        title = str(item.get("title", "")).strip() if isinstance(item, dict) else ""
        levels_data = item.get("levels") if isinstance(item, dict) else None
        if not title or not isinstance(levels_data, list) or not levels_data:
            raise RubricError(msg(N_("Each criterion needs a title and at least one level.")))
        if len(levels_data) > MAX_LEVELS:
            raise RubricError(msg(N_("A criterion has at most %(n)s levels."), n=MAX_LEVELS))
        levels = []
        for level in levels_data:
            label = str(level.get("label", "")).strip() if isinstance(level, dict) else ""
            points = level.get("points") if isinstance(level, dict) else None
            if isinstance(points, bool) or not isinstance(points, int | float) or not math.isfinite(points) \
                    or points < 0 or not label:
                raise RubricError(msg(N_("Each level needs a label and a number of points (0 or more).")))
            levels.append(Level(label[:200], float(points)))
        criteria.append(Criterion(title[:300], tuple(levels)))
    return tuple(criteria)


def rubric_to_json(criteria) -> list[dict]:
    return [{"title": c.title, "levels": [{"label": lv.label, "points": lv.points} for lv in c.levels]}
            for c in criteria]


def parse_rubric_text(text: str) -> tuple[Criterion, ...]:
    """The lecturer's plain-text rubric: one criterion per line, "Title | Level: points | Level: points".

    "Hiểu nội dung nghị quyết | Tốt: 4 | Đạt: 2 | Chưa đạt: 0"
    """
    data = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        title, *parts = [p.strip() for p in line.split("|")]
        levels = []
        for part in parts:
            label, sep, points = part.rpartition(":")
            try:
                value = float(points.strip().replace(",", "."))
            except ValueError:
                raise RubricError(msg(N_("Cannot read the level “%(level)s”: write it as “Label: points”."),
                                      level=part)) from None
            if not sep:
                raise RubricError(msg(N_("Cannot read the level “%(level)s”: write it as “Label: points”."),
                                      level=part))
            levels.append({"label": label.strip(), "points": value})
        data.append({"title": title, "levels": levels})
    return rubric_from_json(data)


def rubric_text(criteria) -> str:
    def points(value: float) -> str:
        return str(int(value)) if value == int(value) else str(value)

    return "\n".join(" | ".join([c.title, *(f"{lv.label}: {points(lv.points)}" for lv in c.levels)]) for c in criteria)


def rubric_max(criteria) -> float:
    return sum(c.max_points for c in criteria)


def rubric_score(criteria, choices) -> float:
    """Total points of the chosen level index of every criterion. ValueError when a choice is missing or wrong."""
    if len(choices) != len(criteria):
        raise ValueError("one level per criterion")
    total = 0.0
    for criterion, choice in zip(criteria, choices, strict=True):
        if isinstance(choice, bool) or not isinstance(choice, int) or not 0 <= choice < len(criterion.levels):
            raise ValueError("level out of range")
        total += criterion.levels[choice].points
    return total


# ---- the pass rule ----------------------------------------------------------------------------------------------


def max_points(grading: str, criteria=(), max_score: float | None = None) -> float | None:
    if grading == Grading.RUBRIC:
        return rubric_max(criteria)
    if grading == Grading.SCORE:
        return max_score
    return None


def passed(grading: str, *, score: float | None = None, pass_score: float | None = None,
           pass_flag: bool | None = None) -> bool:
    """Does a grade pass? Pass/fail: the grader's decision; rubric or score: at least `pass_score`."""
    if grading == Grading.PASS_FAIL:
        return bool(pass_flag)
    if score is None:
        return False
    return score + 1e-9 >= (pass_score or 0.0)


def grading_problem(grading: str, criteria, max_score: float | None, pass_score: float | None) -> str | None:
    if grading not in set(Grading):
        return N_("Unknown grading method.")
    if grading == Grading.SCORE and (max_score is None or max_score <= 0):
        return N_("A score needs a maximum above 0.")
    top = max_points(grading, criteria, max_score)
    if top is not None and pass_score is not None and not 0 <= pass_score <= top:
        return N_("The pass mark must be between 0 and the maximum.")
    return None


# ---- commitments (the action plan as data) ----------------------------------------------------------------------

MAX_COMMITMENTS = 30
COMMITMENT_LENGTH = 1000
_BULLET = re.compile(r"^\s*(?:[-–—•*+]|\(?\d{1,2}[.)]|\(?[a-zđ][.)]|(?:thứ|thu) \w+[,:])\s*", re.IGNORECASE)


def commitment_lines(blocks: list[str]) -> list[str]:
    """The commitments of an action plan: one per list item, paragraph or line, without bullets or numbering
    ("1.", "a)", "-", "Thứ nhất,"), empty ones dropped, at most MAX_COMMITMENTS of COMMITMENT_LENGTH characters."""
    out: list[str] = []
    for block in blocks:
        for line in (block or "").splitlines():
            text = " ".join(_BULLET.sub("", line, count=1).split())
            if text:
                text = text[0].upper() + text[1:]
                out.append(text[:COMMITMENT_LENGTH])
    return out[:MAX_COMMITMENTS]
