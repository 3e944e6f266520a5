"""Builders of people files for the import tests: rows in the template's shape, written as CSV or XLSX."""
from __future__ import annotations

import csv
import io

from elearn.accounts.importer import COLUMNS

HEADERS = [c.header for c in COLUMNS]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hạnh", "Hùng", "Lan", "Minh", "Thảo"]
ETHNIC = ["Kinh", "Tày", "Dao", "Mông", "Nùng", "H'Mông", "Sán Chay", "thai", "Cao Lan"]


def person(i: int, unit_code: str) -> dict[str, str]:
    """A valid row for person i (1-based) as the template's columns (Vietnamese values)."""
    party = i % 3 != 0
    birth = 1965 + i % 30
    return {
        "username": f"canbo{i:03d}",
        "full_name": f"{SURNAMES[i % 10]} Văn {GIVEN[(i // 10) % 10]} {i}",
        "email": f"canbo{i:03d}@example.org" if i % 4 else "",
        "unit_code": unit_code,
        "position": "Công chức Văn phòng - Thống kê" if i % 2 else "Phó Chủ tịch UBND xã",
        "job_position": "Chuyên viên",
        "gender": "Nữ" if i % 2 else "Nam",
        "ethnicity": ["Kinh", "Tày", "Dao", "Mông", "Nùng"][i % 5],
        "birth_year": str(birth),
        "party_member": "Có" if party else "Không",
        "party_joined_year": str(birth + 22 + i % 5) if party else "",
        "theory_level": ["", "Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân"][i % 5],
        "education_level": ["Đại học", "Thạc sĩ", "Cao đẳng"][i % 3],
        "categories": "Trong quy hoạch; Bí thư cấp xã" if i % 7 == 0 else ("Trong quy hoạch" if i % 5 == 0 else ""),
        "roles": "Học viên" if i % 2 else "",
    }


def table(rows: list[dict[str, str]], headers: list[str] | None = None) -> list[list[str]]:
    keys = [c.key for c in COLUMNS]
    return [headers or HEADERS] + [[r.get(k, "") for k in keys] for r in rows]


def to_csv(cells: list[list[str]], delimiter: str = ",", bom: bool = True) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(cells)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def to_xlsx(cells: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in cells:
        sheet.append([_excel_value(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _excel_value(value: str):
    """Numbers as Excel keeps them (years become numbers), the rest as text."""
    return int(value) if value.isdigit() else value


def encode(cells: list[list[str]], fmt: str) -> bytes:
    return to_csv(cells) if fmt == "csv" else to_xlsx(cells)
