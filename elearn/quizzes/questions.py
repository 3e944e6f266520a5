"""The question model shared by the importers, exporters, the bank and grading. Pure Python.

A question is what a lecturer authors; its shape follows Moodle's so that GIFT, Aiken and Moodle XML files
round-trip. Fractions are credit shares from -1 to 1 (1 = full marks, negative = penalty).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class QType(StrEnum):
    MULTICHOICE = "multichoice"  # one answer (single) or several (with partial and negative credit)
    TRUEFALSE = "truefalse"
    SHORTANSWER = "shortanswer"  # typed text matched against answers, `*` wildcard
    NUMERICAL = "numerical"  # number within a tolerance, or a range
    MATCHING = "matching"  # pairs, possibly with extra wrong answers
    ESSAY = "essay"  # graded by a lecturer
    DESCRIPTION = "description"  # text only, no grade


class TextFormat(StrEnum):
    HTML = "html"
    PLAIN = "plain"
    MOODLE = "moodle"
    MARKDOWN = "markdown"


@dataclass
class Answer:
    text: str
    fraction: float = 0.0  # -1..1
    feedback: str = ""
    tolerance: float = 0.0  # numerical: accepted error around the value (a range a..b is stored as mid ± half)


@dataclass
class Subquestion:
    """One pair of a matching question. An empty `text` is an extra wrong answer (a distractor)."""

    text: str
    answer: str


@dataclass
class Question:
    type: QType
    name: str
    text: str
    text_format: TextFormat = TextFormat.MOODLE
    category: str = ""  # path, "$course$/Top/Sub" style or "Top/Sub"
    single: bool = True  # multichoice: one answer only
    shuffle_answers: bool = True
    answers: list[Answer] = field(default_factory=list)
    subquestions: list[Subquestion] = field(default_factory=list)
    general_feedback: str = ""
    default_mark: float = 1.0
    case_sensitive: bool = False  # shortanswer
    ignore_diacritics: bool = False  # shortanswer: "nghi quyet" matches "Nghị quyết"
    tags: list[str] = field(default_factory=list)
    # truefalse: the right answer; feedback per choice lives in answers ("true"/"false" entries)
    line: int | None = None  # where the question starts in an imported file (for reports)

    def to_json(self) -> dict:
        """The export/JSON form: type, name, text, category, single, answers, subquestions, general_feedback."""
        data = {
            "type": str(self.type), "name": self.name, "text": self.text, "text_format": str(self.text_format),
            "category": self.category, "general_feedback": self.general_feedback, "default_mark": self.default_mark,
            "answers": [{"text": a.text, "fraction": a.fraction, "feedback": a.feedback,
                         **({"tolerance": a.tolerance} if self.type == QType.NUMERICAL else {})}
                        for a in self.answers],
            "subquestions": [{"text": s.text, "answer": s.answer} for s in self.subquestions],
            "tags": list(self.tags),
        }
        if self.type == QType.MULTICHOICE:
            data["single"] = self.single
            data["shuffle_answers"] = self.shuffle_answers
        if self.type == QType.SHORTANSWER:
            data["case_sensitive"] = self.case_sensitive
            data["ignore_diacritics"] = self.ignore_diacritics
        return data

    @classmethod
    def from_json(cls, data: dict) -> Question:
        qtype = QType(data["type"])
        return cls(
            type=qtype, name=data.get("name", ""), text=data.get("text", ""),
            text_format=TextFormat(data.get("text_format", "moodle")), category=data.get("category", ""),
            single=data.get("single", True), shuffle_answers=data.get("shuffle_answers", True),
            answers=[Answer(a.get("text", ""), float(a.get("fraction", 0)), a.get("feedback", ""),
                            float(a.get("tolerance", 0) or 0)) for a in data.get("answers", [])],
            subquestions=[Subquestion(s.get("text", ""), s.get("answer", "")) for s in data.get("subquestions", [])],
            general_feedback=data.get("general_feedback", ""), default_mark=float(data.get("default_mark", 1)),
            case_sensitive=data.get("case_sensitive", False), ignore_diacritics=data.get("ignore_diacritics", False),
            tags=list(data.get("tags", [])),
        )


@dataclass
class ImportProblem:
    """A question that could not be read: where it starts and why (a translatable msgid + params)."""

    line: int | None
    message: str
    params: dict = field(default_factory=dict)
    excerpt: str = ""
    warning: bool = False  # True: only a remark, the question (or the file) was still read


@dataclass
class ImportResult:
    questions: list[Question] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
