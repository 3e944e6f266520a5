"""Bulk import of people from a CSV or XLSX file: read, map headers, parse, validate every row, upsert.

The work happens in two jobs (core/jobs.py) over the same stored upload:

- the check (a dry run, kind "people_import_check") reads and validates every row and stores a report
  in the job's result; it writes nothing to the people tables;
- the import (kind "people_import"), started when the admin confirms the report, plans again against
  the database as it is then and writes every valid row in ONE transaction, with one audit entry.

The upsert key is the username: a row whose username exists updates that account, and a row that
would change nothing is counted as unchanged and not written. A column missing from the file leaves
that value of existing accounts as it is; an empty cell in a column that is present clears it (roles
excepted: an empty cell keeps the roles, and a new account becomes a learner). Imported accounts get
no password (password_hash None): an admin sets one with the password reset.

Checks and writes are in bulk: the units, the accounts named in the file and the e-mail addresses
in use are loaded with a few queries before the rows are looked at, and the writes are multi-row
INSERT/UPDATE/DELETE statements, so 10,000 rows take seconds (bench/import_people.py).

Progress goes through its own short connection so that the people writes stay in one transaction.
On SQLite the writer holds the database lock from its first write until commit, which would block that
connection, so there the rows are prepared in memory (progress visible) and written at the end; on
PostgreSQL they are written every PROGRESS_EVERY rows inside the same transaction.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from flask import current_app
from sqlalchemy import bindparam, delete, func, insert, select, update

from elearn.accounts import domain
from elearn.accounts.domain import N_, ProfileData
from elearn.accounts.models import Profile, ProfileCategory, Unit, User, UserRole
from elearn.core import audit, clock
from elearn.core.jobs import Job
from elearn.core.text import fold
from elearn.extensions import db

CHECK_KIND = "people_import_check"
IMPORT_KIND = "people_import"
KINDS = (CHECK_KIND, IMPORT_KIND)
FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 500
DEFAULT_MAX_ROWS = 50_000
UPLOAD_MAX_AGE_SECONDS = 2 * 24 * 3600  # unconfirmed uploads are removed after two days

# A reason is (msgid, params); it is translated where it is shown.
Reason = tuple[str, dict[str, Any]]


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, wrong headers, too many rows)."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params


# --- columns --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese header written in the template
    code: str  # English/code header, also accepted
    aliases: tuple[str, ...] = ()
    example: str = ""
    hint: str = ""  # msgid describing what to write, shown on the upload page


COLUMNS: tuple[Column, ...] = (
    Column("username", "Tên đăng nhập", "username", ("tai khoan", "ten tai khoan", "login", "user name"),
           "nguyenvanan", N_("Required. 3-64 characters: lower-case letters, digits, dot, dash or underscore. "
                             "The key of the import: an existing username updates that account.")),
    Column("full_name", "Họ và tên", "full_name", ("ho ten", "full name", "name"),
           "Nguyễn Văn An", N_("Required.")),
    Column("email", "E-mail", "email", ("thu dien tu", "dia chi email", "dia chi thu dien tu", "mail"),
           "nguyenvanan@example.org", N_("Optional; must not belong to another account.")),
    Column("unit_code", "Mã đơn vị", "unit_code", ("unit code", "unit", "ma dv"),
           "", N_("Required: the code of an existing unit.")),
    Column("position", "Chức danh", "position", ("chuc vu", "title"), "Phó Chủ tịch UBND xã"),
    Column("job_position", "Vị trí việc làm", "job_position", ("job position", "vtvl"), "Lãnh đạo, quản lý"),
    Column("gender", "Giới tính", "gender", ("sex",), "Nam", N_("Nam or Nữ.")),
    Column("ethnicity", "Dân tộc", "ethnicity", ("ethnic group",), "Tày", N_("One of Vietnam's 54 ethnic groups.")),
    Column("birth_year", "Năm sinh", "birth_year", ("birth year", "year of birth", "ns"), "1988"),
    Column("party_member", "Đảng viên", "party_member", ("party member", "la dang vien"), "Có", N_("Có or Không.")),
    Column("party_joined_year", "Năm vào Đảng", "party_joined_year",
           ("party admission year", "party joined year", "nam ket nap dang", "ngay vao dang"), "2012"),
    Column("theory_level", "Lý luận chính trị", "theory_level",
           ("political theory level", "political theory", "trinh do ly luan chinh tri", "llct"),
           "Trung cấp", N_("Sơ cấp, Trung cấp, Cao cấp, Cử nhân, or empty.")),
    Column("education_level", "Trình độ học vấn", "education_level",
           ("education level", "education", "trinh do chuyen mon", "hoc van"), "Đại học",
           N_("Trung học phổ thông, Trung cấp, Cao đẳng, Đại học, Thạc sĩ or Tiến sĩ.")),
    Column("categories", "Diện quản lý", "categories",
           ("management categories", "management category", "category"), "Trong quy hoạch",
           N_("Several separated by \";\": Diện Ban Thường vụ Tỉnh ủy quản lý, Bí thư cấp xã, Trong quy hoạch.")),
    Column("roles", "Vai trò", "roles", ("role",), "Học viên",
           N_("Học viên, Giảng viên or Quản trị viên, several separated by \";\". Empty: learner for a new "
              "account, unchanged for an existing one.")),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_COLUMNS = ("username", "full_name", "unit_code")
_PROFILE_FIELDS = ("unit_id", "position", "job_position", "gender", "ethnicity", "birth_year", "party_member",
                   "party_joined_year", "theory_level", "education_level", "categories")


def normalise_header(text: str) -> str:
    """Fold a header for matching: no diacritics, no case, no "(hint)", "*" or punctuation."""
    key = fold(re.sub(r"\(.*?\)|\[.*?\]", " ", text or ""))
    key = re.sub(r"[_\-*:./]+", " ", key)
    return re.sub(r"\s+", " ", key).strip()


def _build_header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for col in COLUMNS:
        for name in (col.header, col.code, *col.aliases):
            norm = normalise_header(name)
            lookup[norm] = col.key
            lookup[norm.replace(" ", "")] = col.key
    return lookup


_HEADER_LOOKUP = _build_header_lookup()


@dataclass
class HeaderMap:
    index: dict[str, int]  # column key -> position in the row
    ignored: list[str]  # headers that match no column


def map_headers(headers: list[str]) -> HeaderMap:
    """Match the header row to the known columns, in any order, Vietnamese or English."""
    if not any((h or "").strip() for h in headers):
        raise ImportFileError(N_("The first line must hold the column headers."))
    index: dict[str, int] = {}
    ignored: list[str] = []
    for position, raw in enumerate(headers):
        norm = normalise_header(raw)
        if not norm:
            continue
        key = _HEADER_LOOKUP.get(norm) or _HEADER_LOOKUP.get(norm.replace(" ", ""))
        if key is None:
            ignored.append(raw.strip())
        elif key in index:
            raise ImportFileError(N_("The column \"%(column)s\" appears more than once."), column=raw.strip())
        else:
            index[key] = position
    missing = [COLUMN_BY_KEY[k].header for k in REQUIRED_COLUMNS if k not in index]
    if missing:
        raise ImportFileError(N_("Required column(s) missing: %(columns)s."), columns=", ".join(missing))
    return HeaderMap(index, ignored)


# --- reading files --------------------------------------------------------------------------------

@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet line number, header = 1; cells)


def clean_cell(value: Any) -> str:
    """A cell as text: NFC, trimmed; numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def sniff_delimiter(text: str) -> str:
    """',' or ';' (Excel in the Vietnamese locale) or tab: the one most used in the header line, outside quotes."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(data: bytes, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(N_("The CSV file is not in UTF-8. In Excel, save it as \"CSV UTF-8\".")) from None
    if "\x00" in text:
        raise ImportFileError(N_("This does not look like a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        return _table(enumerate(reader, start=1), max_rows)
    except csv.Error as exc:
        raise ImportFileError(N_("The CSV file could not be read: %(problem)s"), problem=str(exc)) from None


def read_xlsx(path: Path, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (zipfile.BadZipFile, InvalidFileException, ElementTree.ParseError, KeyError, ValueError,
                  TypeError, IndexError, OSError)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except unreadable:
        raise ImportFileError(N_("The file could not be read as an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size; read every row there is
        return _table(enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1), max_rows)
    except unreadable:
        raise ImportFileError(N_("The file could not be read as an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()


def _table(numbered: Iterable[tuple[int, Iterable[Any]]], max_rows: int) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for line, values in numbered:
        cells = [clean_cell(v) for v in values]
        if headers is None:
            headers = cells
            continue
        if not any(cells):
            continue  # blank lines are skipped, line numbers stay those of the spreadsheet
        if len(rows) >= max_rows:
            raise ImportFileError(N_("The file has more than %(n)s rows; split it into several files."), n=max_rows)
        rows.append((line, cells))
    if headers is None:
        raise ImportFileError(N_("The file is empty."))
    return Table(headers, rows)


def read_table(path: Path, fmt: str, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    if fmt == "csv":
        return read_csv(path.read_bytes(), max_rows)
    if fmt == "xlsx":
        return read_xlsx(path, max_rows)
    raise ImportFileError(N_("Only .xlsx or .csv (UTF-8) files can be imported."))


def upload_problem(head: bytes, fmt: str) -> str | None:
    """A quick look at the first bytes of an upload: does it match its extension?"""
    if not head:
        return N_("The file is empty.")
    if fmt == "xlsx" and not head.startswith(b"PK\x03\x04"):
        return N_("The file could not be read as an Excel workbook (.xlsx).")
    if fmt == "csv":
        if b"\x00" in head or head.startswith(b"PK\x03\x04"):
            return N_("This does not look like a CSV file.")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
                return N_("The CSV file is not in UTF-8. In Excel, save it as \"CSV UTF-8\".")
    return None


# --- parsing one row (pure) -----------------------------------------------------------------------

class ValueProblem(Exception):
    def __init__(self, message: str, **params):
        super().__init__(message)
        self.reason: Reason = (message, params)


@functools.lru_cache(maxsize=4096)  # the same few values repeat on every row
def _key(value: str) -> str:
    return re.sub(r"[\s\-_]+", " ", fold(value)).strip()


def _lookup(labels: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    """Accepted spellings -> code: the code, its English label and Vietnamese aliases, folded."""
    table = {}
    for code, label in labels.items():
        table[_key(str(code))] = str(code)
        table[_key(label)] = str(code)
    table.update({_key(k): v for k, v in aliases.items()})
    return table


_GENDERS = _lookup(domain.GENDER_LABELS, {"nam": "male", "nữ": "female", "m": "male", "f": "female",
                                          "nu gioi": "female", "nam gioi": "male"})
_THEORY = _lookup(domain.THEORY_LEVEL_LABELS, {
    "sơ cấp": "elementary", "trung cấp": "intermediate", "cao cấp": "advanced", "cử nhân": "bachelor",
    "không": "none", "chưa": "none", "chưa qua đào tạo": "none", "chưa có": "none",
    "cao cấp lý luận chính trị": "advanced", "trung cấp lý luận chính trị": "intermediate",
    "sơ cấp lý luận chính trị": "elementary", "cử nhân chính trị": "bachelor", "cử nhân lý luận chính trị": "bachelor",
})
_EDUCATION = _lookup(domain.EDUCATION_LEVEL_LABELS, {
    "trung học phổ thông": "upper_secondary", "thpt": "upper_secondary", "12/12": "upper_secondary",
    "trung cấp": "vocational", "trung cấp nghề": "vocational", "trung cấp nghề / trung cấp": "vocational",
    "cao đẳng": "college", "đại học": "bachelor", "cử nhân": "bachelor", "kỹ sư": "bachelor",
    "thạc sĩ": "master", "thạc sỹ": "master", "tiến sĩ": "doctor", "tiến sỹ": "doctor",
})
_CATEGORIES = _lookup(domain.CATEGORY_LABELS, {
    "diện ban thường vụ tỉnh ủy quản lý": "standing_committee", "ban thường vụ tỉnh ủy quản lý": "standing_committee",
    "diện ban thường vụ tỉnh uỷ quản lý": "standing_committee", "ban thường vụ": "standing_committee",
    "btv": "standing_committee", "bí thư cấp xã": "commune_secretary", "bí thư xã": "commune_secretary",
    "trong quy hoạch": "in_planning", "quy hoạch": "in_planning",
})
_ROLES = _lookup(domain.ROLE_LABELS, {"học viên": "learner", "giảng viên": "lecturer", "quản trị viên": "admin",
                                      "quản trị": "admin"})
_YES = {"co", "x", "1", "yes", "y", "true", "dang vien", "c"}
_NO = {"khong", "0", "no", "n", "false", "k", "quan chung"}
_LIST_SPLIT = re.compile(r"[;,\n]+")
_YEAR_RE = re.compile(r"^(?P<year>\d{4})$")
_DATE_RE = re.compile(r"^(?:\d{1,2}[/.-]\d{1,2}[/.-](?P<year>\d{4})|(?P<iso>\d{4})-\d{2}-\d{2}(?:[T ][\d:.]+)?)$")


def parse_choice(value: str, table: dict[str, str], message: str) -> str | None:
    if not value:
        return None
    code = table.get(_key(value))
    if code is None:
        raise ValueProblem(message, value=value)
    return code


def parse_year(value: str) -> int | None:
    """A year: "1985"; a full date (12/03/1985, 1985-03-12, an Excel date) gives its year."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    match = _YEAR_RE.match(text) or _DATE_RE.match(text)
    if not match:
        raise ValueProblem(N_("\"%(value)s\" is not a year (write it like 1985)."), value=value)
    groups = match.groupdict()
    return int(groups.get("year") or groups["iso"])


def parse_bool(value: str) -> bool:
    key = _key(value)
    if not key or key in _NO:
        return False
    if key in _YES:
        return True
    raise ValueProblem(N_("Write Có or Không for Party member, not \"%(value)s\"."), value=value)


def parse_list(value: str, table: dict[str, str], message: str) -> set[str]:
    out: set[str] = set()
    for part in _LIST_SPLIT.split(value or ""):
        if part.strip():
            out.add(parse_choice(part.strip(), table, message))
    return out


@dataclass
class ParsedRow:
    line: int
    username: str
    values: dict[str, Any]  # only the columns present in the file, parsed
    reasons: list[Reason] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be parsed


_PARSERS: dict[str, Callable[[str], Any]] = {
    "gender": lambda v: parse_choice(v, _GENDERS, N_("Unknown gender \"%(value)s\": write Nam or Nữ.")),
    "ethnicity": lambda v: _parse_ethnicity(v),
    "birth_year": parse_year,
    "party_member": parse_bool,
    "party_joined_year": parse_year,
    "theory_level": lambda v: parse_choice(v, _THEORY, N_(
        "Unknown political-theory level \"%(value)s\": write Sơ cấp, Trung cấp, Cao cấp, Cử nhân or leave it empty."
    )) or domain.TheoryLevel.NONE.value,
    "education_level": lambda v: parse_choice(v, _EDUCATION, N_("Unknown education level \"%(value)s\".")),
    "categories": lambda v: parse_list(v, _CATEGORIES, N_("Unknown management category \"%(value)s\".")),
    "roles": lambda v: parse_list(v, _ROLES, N_(
        "Unknown role \"%(value)s\": write Học viên, Giảng viên or Quản trị viên.")) or None,
    "position": lambda v: v,
    "job_position": lambda v: v,
}


@functools.lru_cache(maxsize=1024)
def _parse_ethnicity(value: str) -> str | None:
    if not value:
        return None
    name = domain.normalise_ethnicity(value)
    if name is None:
        raise ValueProblem(N_("Unknown ethnicity \"%(value)s\": use one of Vietnam's 54 ethnic groups."), value=value)
    return name


def cells_by_key(headers: HeaderMap, cells: list[str]) -> dict[str, str]:
    return {key: (cells[i] if i < len(cells) else "") for key, i in headers.index.items()}


def parse_row(line: int, cells: dict[str, str]) -> ParsedRow:
    """Parse the cells of one row (keyed by column) into values; no database."""
    username = (cells.get("username") or "").strip().lower()
    row = ParsedRow(line, username, {})
    problem = domain.validate_username(username)
    if problem:
        row.reasons.append((problem, {}))
        row.failed.add("username")
    full_name = " ".join((cells.get("full_name") or "").split())
    if not full_name:
        row.reasons.append((N_("Full name is required."), {}))
    elif len(full_name) > 200:
        row.reasons.append((N_("Full name is too long (200 characters at most)."), {}))
    row.values["full_name"] = full_name
    if "email" in cells:
        email = cells["email"].strip() or None
        problem = domain.validate_email(email or "")
        if problem:
            row.reasons.append((problem, {}))
            row.failed.add("email")
        row.values["email"] = email
    row.values["unit_code"] = (cells.get("unit_code") or "").strip().upper()
    for key, parse in _PARSERS.items():
        if key not in cells:
            continue
        try:
            row.values[key] = parse(cells[key])
        except ValueProblem as exc:
            row.reasons.append(exc.reason)
            row.failed.add(key)
    return row


# --- planning against the database ----------------------------------------------------------------

@dataclass
class Existing:
    """An account as it is in the database, in the shape of services.user_snapshot() (no username/active)."""

    id: int
    state: dict[str, Any]
    has_profile: bool = False


@dataclass
class Planned:
    line: int
    action: str  # "new" | "update" | "unchanged"
    username: str
    existing: Existing | None
    target: dict[str, Any]  # the account as it will be, same shape as Existing.state


@dataclass
class Report:
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0, "errors": 0})
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"line", "username", "reasons": [[msgid, params]]}
    ignored_columns: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # keys of the columns found
    admin_grants: int = 0  # rows that give someone the administrator role they do not have yet
    planned: list[Planned] = field(default_factory=list)

    def as_result(self) -> dict[str, Any]:
        return {"rows": self.rows, "counts": dict(self.counts), "errors": self.errors,
                "ignored_columns": self.ignored_columns, "columns": self.columns, "admin_grants": self.admin_grants}


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


_SCALAR_PROFILE_FIELDS = tuple(k for k in _PROFILE_FIELDS if k != "categories")


def load_accounts(usernames: list[str]) -> dict[str, Existing]:
    """The current state of the accounts with these usernames, in a few queries whatever their number."""
    accounts: dict[str, Existing] = {}
    for chunk in _chunks(usernames):
        for user_id, username, email, full_name in db.session.execute(
                select(User.id, User.username, User.email, User.full_name).where(User.username.in_(chunk))):
            accounts[username] = Existing(user_id, {"email": email, "full_name": full_name, "roles": []})
    by_id = {a.id: a for a in accounts.values()}
    profile_columns = [getattr(Profile, k) for k in _SCALAR_PROFILE_FIELDS]
    for chunk in _chunks(sorted(by_id)):
        for user_id, role in db.session.execute(select(UserRole.user_id, UserRole.role)
                                                .where(UserRole.user_id.in_(chunk))):
            by_id[user_id].state["roles"].append(role)
        for user_id, *values in db.session.execute(select(Profile.user_id, *profile_columns)
                                                   .where(Profile.user_id.in_(chunk))):
            account = by_id[user_id]
            account.has_profile = True
            account.state.update(zip(_SCALAR_PROFILE_FIELDS, values, strict=True))
            account.state["categories"] = []
        for user_id, category in db.session.execute(select(ProfileCategory.user_id, ProfileCategory.category)
                                                    .where(ProfileCategory.user_id.in_(chunk))):
            by_id[user_id].state["categories"].append(category)
    for account in accounts.values():
        account.state["roles"].sort()
        if account.has_profile:
            account.state["categories"].sort()
    return accounts


def _default_profile() -> dict[str, Any]:
    data = ProfileData()
    return {key: (sorted(getattr(data, key)) if key == "categories" else getattr(data, key))
            for key in _PROFILE_FIELDS}


def plan(table: Table, actor: User | None, current_year: int,
         progress: Callable[[int], None] | None = None) -> Report:
    """Validate every row against the rules and the database; decide new/update/unchanged. Writes nothing."""
    headers = map_headers(table.headers)
    report = Report(rows=len(table.rows), ignored_columns=headers.ignored,
                    columns=[c.key for c in COLUMNS if c.key in headers.index])
    parsed = [parse_row(line, cells_by_key(headers, cells)) for line, cells in table.rows]

    # Everything the checks need, in a handful of queries (no query per row).
    units = dict(db.session.execute(select(Unit.code, Unit.id)).all())
    existing = load_accounts(sorted({p.username for p in parsed if "username" not in p.failed}))
    email_owner = {email.lower(): username for username, email in
                   db.session.execute(select(User.username, User.email).where(User.email.is_not(None)))}

    seen_usernames: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    actor_username = getattr(actor, "username", None)
    for n, row in enumerate(parsed, start=1):
        reasons = list(row.reasons)
        values = row.values
        if "username" not in row.failed:
            if row.username in seen_usernames:
                reasons.append((N_("The username %(username)s is already used on line %(line)s of this file."),
                                {"username": row.username, "line": seen_usernames[row.username]}))
            else:
                seen_usernames[row.username] = row.line
        email = values.get("email")
        if email and "email" not in row.failed:
            lowered = email.lower()
            if lowered in seen_emails:
                reasons.append((N_("The e-mail address %(email)s is already used on line %(line)s of this file."),
                                {"email": email, "line": seen_emails[lowered]}))
            else:
                seen_emails[lowered] = row.line
                owner = email_owner.get(lowered)
                if owner is not None and owner != row.username:
                    reasons.append((N_("This e-mail address is already used by another account."), {}))
        unit_id = None
        if values["unit_code"]:
            unit_id = units.get(values["unit_code"])
            if unit_id is None:
                reasons.append((N_("Unknown unit code %(code)s."), {"code": values["unit_code"]}))

        account = existing.get(row.username)
        current = account.state if account is not None else None
        target = _target(values, current, unit_id)
        if not target["roles"] <= set(domain.Role):
            reasons.append((N_("Unknown role."), {}))
        if actor_username and row.username == actor_username and domain.Role.ADMIN not in target["roles"]:
            reasons.append((N_("You cannot remove your own administrator role."), {}))
        profile = ProfileData(**{k: target[k] for k in _PROFILE_FIELDS})
        for field_name, message in domain.validate_profile(profile, current_year).items():
            if field_name in row.failed or (field_name == "unit_id" and values["unit_code"]):
                continue  # already reported more precisely
            reasons.append((message, {}))
        target["roles"] = sorted(target["roles"])
        target["categories"] = sorted(target["categories"])

        if reasons:
            report.errors.append({"line": row.line, "username": row.username,
                                  "reasons": [[msg, params] for msg, params in reasons]})
            report.counts["errors"] += 1
        else:
            if current is None:
                action = "new"
            elif current == target:
                action = "unchanged"
            else:
                action = "update"
            report.counts["updated" if action == "update" else action] += 1
            if domain.Role.ADMIN in target["roles"] and (current is None or domain.Role.ADMIN not in current["roles"]):
                report.admin_grants += 1
            report.planned.append(Planned(row.line, action, row.username, account, target))
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n)
    return report


def _target(values: dict[str, Any], current: dict[str, Any] | None, unit_id: int | None) -> dict[str, Any]:
    """The account after the import: the file's values over the current ones (or the defaults)."""
    base = dict(current) if current is not None else {"email": None, "roles": [domain.Role.LEARNER.value]}
    if current is None or "unit_id" not in current:
        base.update(_default_profile())
    target = {
        "full_name": values["full_name"],
        "email": values["email"] if "email" in values else base.get("email"),
        "roles": set(values.get("roles") or base["roles"]),
        "unit_id": unit_id,
    }
    for key in _PROFILE_FIELDS:
        if key != "unit_id":
            target[key] = values[key] if key in values else base[key]
    target["categories"] = set(target["categories"])
    target["position"] = target["position"] or ""
    target["job_position"] = target["job_position"] or ""
    return target


# --- writing ----------------------------------------------------------------------------------------

class Batch:
    """The rows to write for a group of accounts, executed as a few multi-row statements."""

    def __init__(self) -> None:
        self.new_users: list[dict] = []
        self.new_items: list[Planned] = []
        self.user_updates: list[dict] = []
        self.profile_inserts: list[dict] = []
        self.profile_updates: list[dict] = []
        self.role_inserts: list[dict] = []
        self.role_deletes: list[dict] = []
        self.category_inserts: list[dict] = []
        self.category_deletes: list[dict] = []

    def __len__(self) -> int:
        return len(self.new_items) + len(self.user_updates) + len(self.profile_inserts) + len(self.profile_updates) \
            + len(self.role_inserts) + len(self.role_deletes) + len(self.category_inserts) + len(self.category_deletes)

    def execute(self) -> None:
        session = db.session
        users, profiles = User.__table__, Profile.__table__
        roles, categories = UserRole.__table__, ProfileCategory.__table__
        if self.new_users:
            rows = session.execute(insert(users).returning(users.c.id, users.c.username), self.new_users).all()
            ids = {username: user_id for user_id, username in rows}
            for item in self.new_items:
                _stage_related(self, ids[item.username], item.target, None, has_profile=False)
        if self.user_updates:
            session.execute(update(users).where(users.c.id == bindparam("b_id"))
                            .values(email=bindparam("email"), full_name=bindparam("full_name"),
                                    search_name=bindparam("search_name")), self.user_updates)
        if self.profile_updates:
            session.execute(update(profiles).where(profiles.c.user_id == bindparam("b_user_id"))
                            .values({k: bindparam(k) for k in _SCALAR_PROFILE_FIELDS}), self.profile_updates)
        for table, rows, key in ((roles, self.role_deletes, "role"), (categories, self.category_deletes, "category")):
            if rows:
                session.execute(delete(table).where(table.c.user_id == bindparam("b_user_id"),
                                                    table.c[key] == bindparam("b_value")), rows)
        for table, rows in ((profiles, self.profile_inserts), (roles, self.role_inserts),
                            (categories, self.category_inserts)):
            if rows:
                session.execute(insert(table), rows)
        self.__init__()


def _stage(batch: Batch, item: Planned) -> None:
    """Add one planned account to the batch (new accounts get their id when the batch runs)."""
    t = item.target
    if item.existing is None:
        batch.new_users.append({
            "username": item.username, "email": t["email"], "full_name": t["full_name"],
            "search_name": fold(t["full_name"]), "password_hash": None, "must_change_password": False,
            "active": True, "locale": None, "created_at": clock.now(),
        })
        batch.new_items.append(item)
        return
    current = item.existing.state
    if any(current[k] != t[k] for k in ("email", "full_name")):
        batch.user_updates.append({"b_id": item.existing.id, "email": t["email"], "full_name": t["full_name"],
                                   "search_name": fold(t["full_name"])})
    _stage_related(batch, item.existing.id, t, current, item.existing.has_profile)


def _stage_related(batch: Batch, user_id: int, t: dict, current: dict | None, has_profile: bool) -> None:
    profile = {k: t[k] for k in _SCALAR_PROFILE_FIELDS}
    if not has_profile:
        batch.profile_inserts.append({"user_id": user_id, **profile})
    elif any(current[k] != t[k] for k in _SCALAR_PROFILE_FIELDS):
        batch.profile_updates.append({"b_user_id": user_id, **profile})
    for key, inserts, deletes, column in (("roles", batch.role_inserts, batch.role_deletes, "role"),
                                          ("categories", batch.category_inserts, batch.category_deletes, "category")):
        before = set(current.get(key, [])) if current else set()
        after = set(t[key])
        inserts.extend({"user_id": user_id, column: value} for value in sorted(after - before))
        deletes.extend({"b_user_id": user_id, "b_value": value} for value in sorted(before - after))


def apply(report: Report, progress: Callable[[int], None] | None = None, execute_every: int | None = None) -> None:
    """Write the planned new and changed accounts in the current transaction (the caller commits).

    With execute_every, the statements run every that many rows (PostgreSQL); without, all run at the
    end, so that the database is not locked while the rows are prepared (SQLite).
    """
    batch = Batch()
    for n, item in enumerate(report.planned, start=1):
        if item.action != "unchanged":
            _stage(batch, item)
        if n % PROGRESS_EVERY == 0:
            if execute_every and n % execute_every == 0:
                batch.execute()
            if progress is not None:
                progress(n)
    batch.execute()


# --- stored uploads and jobs ------------------------------------------------------------------------

def upload_dir() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_upload_path(fmt: str) -> Path:
    if fmt not in FORMATS:
        raise ValueError(fmt)
    return upload_dir() / f"{secrets.token_hex(16)}.{fmt}"


def stored_path(name: str) -> Path | None:
    """The stored upload called `name` (a random name we chose), or None when gone or not ours."""
    if not re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx)", name or ""):
        return None
    path = upload_dir() / name
    return path if path.is_file() else None


def purge_old_uploads(max_age: int = UPLOAD_MAX_AGE_SECONDS) -> None:
    limit = time.time() - max_age
    for path in upload_dir().glob("*"):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def new_check_job(actor: User, path: Path, original_name: str) -> Job:
    """The dry-run job for a stored upload (the caller starts it with jobs.start)."""
    job = Job(kind=CHECK_KIND, created_by_id=actor.id, state="pending", total=0, done=0, result={},
              params={"file": path.name, "format": path.suffix.lstrip("."), "sha256": file_digest(path),
                      "original_name": (original_name or path.name)[:200]})
    db.session.add(job)
    db.session.flush()
    return job


def new_import_job(actor: User, check: Job, ip: str = "") -> Job:
    """The import job for a checked upload; remembered on the check so a repeated confirm reuses it."""
    counts = (check.result or {}).get("counts", {})
    job = Job(kind=IMPORT_KIND, created_by_id=actor.id, state="pending", done=0, result={},
              total=counts.get("new", 0) + counts.get("updated", 0) + counts.get("unchanged", 0),
              params={**check.params, "check_job_id": check.id, "ip": ip[:64]})
    db.session.add(job)
    db.session.flush()
    check.result = {**(check.result or {}), "import_job_id": job.id}
    return job


class Progress:
    """Job progress through its own short connection, so the work's transaction stays open and alone."""

    def __init__(self, job_id: int):
        self.job_id = job_id

    def set(self, **values) -> None:
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == self.job_id).values(**values))

    def done(self, n: int) -> None:
        self.set(done=n)


def _max_rows() -> int:
    return int(current_app.config.get("IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _load(job: Job) -> Table:
    path = stored_path(job.params.get("file", ""))
    if path is None:
        raise ImportFileError(N_("The uploaded file is no longer available; upload it again."))
    if job.params.get("sha256") and file_digest(path) != job.params["sha256"]:
        raise ImportFileError(N_("The uploaded file has changed since it was checked; upload it again."))
    return read_table(path, job.params.get("format", ""), _max_rows())


def _finish(job_id: int, **values) -> None:
    """The job's final state, written in the work's own transaction (committed with it)."""
    db.session.execute(update(Job).where(Job.id == job_id).values(finished_at=clock.now(), **values))


def check_work(job_id: int) -> None:
    """Job work: the dry run. Validates every row, stores the report; writes no people."""
    job = db.session.get(Job, job_id)
    progress = Progress(job_id)
    progress.set(state="running")
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    try:
        table = _load(job)
        progress.set(total=len(table.rows))
        report = plan(table, actor, clock.today_local().year, progress.done)
    except ImportFileError as exc:
        _finish(job_id, state="done", result={"file_error": [exc.message, exc.params]})
        db.session.commit()
        return
    _finish(job_id, state="done", done=report.rows, total=report.rows, result=report.as_result())
    db.session.commit()


def import_work(job_id: int) -> None:
    """Job work: plan again against the database as it is now, then write every valid row in one transaction."""
    job = db.session.get(Job, job_id)
    progress = Progress(job_id)
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    progress.set(state="running")
    try:
        table = _load(job)
    except ImportFileError as exc:
        _finish(job_id, state="failed", error=str(exc), result={"file_error": [exc.message, exc.params]})
        db.session.commit()
        return
    report = plan(table, actor, clock.today_local().year)
    progress.set(total=len(report.planned), done=0)
    on_sqlite = db.session.get_bind().dialect.name == "sqlite"
    apply(report, progress.done, execute_every=None if on_sqlite else PROGRESS_EVERY)
    result = report.as_result()
    audit.record(actor, "user.import", job, label=job.params.get("original_name", ""),
                 after={**result["counts"], "rows": report.rows, "file": job.params.get("original_name", "")},
                 ip=job.params.get("ip", ""))
    _finish(job_id, state="done", done=len(report.planned), total=len(report.planned), result=result)
    db.session.commit()
    path = stored_path(job.params.get("file", ""))
    if path is not None:
        path.unlink(missing_ok=True)  # the people are in the database now; the file is not kept


# --- the template ------------------------------------------------------------------------------------

def template_rows(unit_code: str = "") -> list[list[str]]:
    headers = [c.header for c in COLUMNS]
    example = [c.example if c.key != "unit_code" else (unit_code or "XA-001") for c in COLUMNS]
    return [headers, example]


def template_csv(unit_code: str = "") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(template_rows(unit_code))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read it as UTF-8


def template_xlsx(unit_code: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for row in template_rows(unit_code):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, col in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(14, len(col.header) + 4)
        sheet.cell(row=2, column=i).number_format = "@"
    sheet.freeze_panes = "A2"
    values = workbook.create_sheet("Giá trị hợp lệ")
    lists = {
        "Giới tính": ["Nam", "Nữ"],
        "Dân tộc": list(domain.ETHNICITIES),
        "Đảng viên": ["Có", "Không"],
        "Lý luận chính trị": ["Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"],
        "Trình độ học vấn": ["Trung học phổ thông", "Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ", "Tiến sĩ"],
        "Diện quản lý": ["Diện Ban Thường vụ Tỉnh ủy quản lý", "Bí thư cấp xã", "Trong quy hoạch"],
        "Vai trò": ["Học viên", "Giảng viên", "Quản trị viên"],
    }
    for i, (title, items) in enumerate(lists.items(), start=1):
        values.cell(row=1, column=i, value=title).font = Font(bold=True)
        values.column_dimensions[get_column_letter(i)].width = 24
        for j, item in enumerate(items, start=2):
            values.cell(row=j, column=i, value=item)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def example_unit_code() -> str:
    """A real unit code for the template's example row, when there is one."""
    code = db.session.scalar(select(Unit.code).where(Unit.kind.in_(("commune", "ward"))).order_by(Unit.id).limit(1))
    return code or db.session.scalar(select(Unit.code).order_by(Unit.id).limit(1)) or ""


def count_people() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
