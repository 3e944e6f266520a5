"""Certificate rules: eligibility, serial numbers, verification codes, expiry, status.

Pure Python: no Flask, no database. Services feed in the course-completion result (courses/completion.py)
and the learner's facts, and store what comes out.

- Eligibility = the course is completed (its completion rules, or a completion recorded by hand) AND
  every certificate-only rule of the template is met (e.g. a minimum final grade). More certificate
  rule kinds plug in with `register_certificate_rule` without editing this module.
- A serial number (số hiệu) is unique per issuer and year: TQ-2025-000123.
- A verification code (mã xác thực) is 120 random bits in base32 (24 characters), unrelated to the
  serial; codes are compared upper-case with separators removed.
"""
from __future__ import annotations

import base64
import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from elearn.courses.completion import CompletionResult, LearnerFacts, RuleError, RuleResult
from elearn.courses.messages import N_, Message, msg

# ---- kinds and statuses ---------------------------------------------------------------------------


class CertificateKind(StrEnum):
    COMPLETION = "giay_chung_nhan"  # giấy chứng nhận hoàn thành
    CERTIFICATE = "chung_chi"  # chứng chỉ


KIND_LABELS = {CertificateKind.COMPLETION: N_("Certificate of completion (giấy chứng nhận)"),
               CertificateKind.CERTIFICATE: N_("Certificate (chứng chỉ)")}


class Status(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REPLACED = "replaced"


STATUS_LABELS = {Status.VALID: N_("Valid"), Status.EXPIRED: N_("Expired"), Status.REVOKED: N_("Revoked"),
                 Status.REPLACED: N_("Replaced by a newer certificate")}

ORIENTATIONS = ("L", "P")  # A4 landscape (default) / portrait


def status(*, revoked_at: datetime | None, replaced: bool, expires_on: date | None, today: date) -> Status:
    """Revoked wins over replaced, replaced over expired."""
    if revoked_at is not None:
        return Status.REVOKED
    if replaced:
        return Status.REPLACED
    if expires_on is not None and today > expires_on:
        return Status.EXPIRED
    return Status.VALID


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when it does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for dd in (day.day, 30, 29, 28):
        try:
            return date(year, month, dd)
        except ValueError:
            continue
    raise ValueError("unreachable")


def expiry(issued_on: date, valid_months: int | None) -> date | None:
    """None: never expires. Valid through the day before the same date `valid_months` later."""
    if not valid_months:
        return None
    if valid_months < 0:
        raise ValueError("valid_months must be positive")
    from datetime import timedelta

    return add_months(issued_on, valid_months) - timedelta(days=1)


# ---- serial numbers and codes ---------------------------------------------------------------------

ISSUER_CODE_RE = re.compile(r"[A-Z][A-Z0-9]{0,9}")
SERIAL_DIGITS = 6


def issuer_code_problem(code: str) -> str | None:
    if not ISSUER_CODE_RE.fullmatch(code or ""):
        return N_("The serial prefix is 1 to 10 capital letters or digits, starting with a letter (e.g. TQ).")
    return None


def serial(issuer_code: str, year: int, number: int) -> str:
    """TQ-2025-000123 (more digits once a year passes 999,999)."""
    if issuer_code_problem(issuer_code):
        raise ValueError(f"invalid issuer code {issuer_code!r}")
    if number < 1:
        raise ValueError("serial numbers start at 1")
    return f"{issuer_code}-{year:04d}-{number:0{SERIAL_DIGITS}d}"


CODE_BYTES = 15  # 120 bits
CODE_LENGTH = 24  # base32 characters for 15 bytes, no padding
_CODE_RE = re.compile(r"[A-Z2-7]{24}")
MAX_CODE_INPUT = 64  # longer input is not a code at all


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def normalise_code(raw: str | None) -> str | None:
    """The canonical code, or None when `raw` cannot be a code (never raises on any input)."""
    if not isinstance(raw, str) or len(raw) > MAX_CODE_INPUT:
        return None
    cleaned = raw.strip().upper().replace("-", "").replace(" ", "")
    return cleaned if _CODE_RE.fullmatch(cleaned) else None


def grouped(code: str) -> str:
    """ABCD-EFGH-... for reading aloud and typing."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


# ---- certificate-only rules -----------------------------------------------------------------------


class CertificateRule(ABC):
    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""

    @abstractmethod
    def evaluate(self, facts: LearnerFacts) -> RuleResult: ...

    @abstractmethod
    def describe(self) -> Message: ...


_RULES: dict[str, type] = {}


def register_certificate_rule(name: str):
    def add(cls):
        if not is_dataclass(cls):
            raise TypeError("a certificate rule kind is a dataclass")
        if _RULES.get(name, cls) is not cls:
            raise ValueError(f"certificate rule kind {name!r} is already registered")
        cls.kind = name
        _RULES[name] = cls
        return cls

    return add


def certificate_rule_kinds() -> Mapping[str, type]:
    return dict(_RULES)


@register_certificate_rule("min_final_grade")
@dataclass(frozen=True)
class MinFinalGrade(CertificateRule):
    """The final grade (0..100, `facts.extra["final_grade"]`, the gradebook's course total) reaches a minimum."""

    min_grade: float = 50.0
    label: ClassVar[str] = N_("Minimum final grade")

    def __post_init__(self) -> None:
        try:
            value = float(self.min_grade)
        except (TypeError, ValueError):
            raise RuleError(msg(N_("The minimum final grade must be a number from 0 to 100."))) from None
        if not 0 <= value <= 100:
            raise RuleError(msg(N_("The minimum final grade must be a number from 0 to 100.")))
        object.__setattr__(self, "min_grade", value)

    def evaluate(self, facts: LearnerFacts) -> RuleResult:
        grade = facts.extra.get("final_grade")
        if grade is None:
            return RuleResult(False, 0.0, msg(N_("no final grade yet")))
        grade = float(grade)
        progress = grade / self.min_grade if self.min_grade else 1.0
        return RuleResult(grade + 1e-9 >= self.min_grade, progress,
                          msg(N_("Final grade %(grade)s; at least %(min)s is required"), grade=grade, min=self.min_grade))

    def describe(self) -> Message:
        return msg(N_("A final grade of at least %(min)s"), min=self.min_grade)


def rule_to_dict(rule: Any) -> dict[str, Any]:
    kind = getattr(type(rule), "kind", "")
    if _RULES.get(kind) is not type(rule):
        raise ValueError(f"{type(rule).__name__} is not a registered certificate rule kind")
    return {"kind": kind, **{f.name: getattr(rule, f.name) for f in fields(rule)}}


def rule_from_dict(data: Mapping[str, Any]) -> Any:
    settings = dict(data)
    kind = settings.pop("kind", None)
    cls = _RULES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise RuleError(msg(N_("Unknown certificate rule: %(kind)s."), kind=str(kind)))
    try:
        return cls(**settings)
    except TypeError as exc:
        raise RuleError(msg(N_("Invalid settings for the certificate rule %(kind)s."), kind=kind)) from exc


def rules_from_json(data: Sequence[Mapping[str, Any]] | None) -> list[Any]:
    return [rule_from_dict(item) for item in data or ()]


def rules_to_json(rules: Sequence[Any]) -> list[dict[str, Any]]:
    return [rule_to_dict(rule) for rule in rules]


# ---- eligibility ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[Message, ...]  # why not (empty when eligible)
    details: tuple[Message, ...] = ()  # every rule's line, met or not, for the eligibility list


def eligibility(*, enrolment_active: bool, completed_at: datetime | None, completion: CompletionResult,
                rules: Sequence[Any], facts: LearnerFacts) -> Eligibility:
    """Who qualifies for a certificate, and why not. Completion recorded once (completed_at) counts even
    if later facts changed; a withdrawn enrolment never qualifies."""
    reasons: list[Message] = []
    details: list[Message] = []
    if not enrolment_active:
        reasons.append(msg(N_("The enrolment was withdrawn.")))
    completed = completed_at is not None or completion.complete
    if not completed:
        if completion.manual_only:
            reasons.append(msg(N_("Course not completed: completion is recorded by hand for this course.")))
        else:
            unmet = [result.detail for _rule, result in completion.results if not result.met]
            reasons.append(msg(N_("Course not completed.")))
            reasons.extend(Message(m.msgid, m.params, 1) for m in unmet)
    for _rule, result in completion.results:
        details.append(result.detail)
    for rule in rules:
        result = rule.evaluate(facts)
        details.append(result.detail)
        if not result.met:
            reasons.append(result.detail)
    return Eligibility(not reasons, tuple(reasons), tuple(details))


def result_text(final_grade: float | None) -> str:
    """The result printed on the certificate (Vietnamese: the certificate is an official record)."""
    if final_grade is None:
        return "Hoàn thành"
    grade = round(float(final_grade), 1)
    shown = str(int(grade)) if grade == int(grade) else str(grade)
    if grade >= 90:
        rank = "Xuất sắc"
    elif grade >= 80:
        rank = "Giỏi"
    elif grade >= 65:
        rank = "Khá"
    elif grade >= 50:
        rank = "Trung bình"
    else:
        rank = "Hoàn thành"
    return f"{rank} ({shown}/100)"
