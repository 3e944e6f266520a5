"""Generate a realistic people file for the bulk import: Vietnamese names, units of a mountain province.

    python -m bench.gen_people -n 10000 -o /tmp/people.xlsx      # or .csv (UTF-8 with BOM)
    python -m bench.gen_people -n 500 -o people.csv --delimiter ";"

The unit codes are those of `units()`; bench/import_people.py creates exactly these units first.
Deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
from pathlib import Path

from elearn.accounts.importer import COLUMNS

SURNAMES = [("Nguyễn", 30), ("Trần", 8), ("Lê", 7), ("Phạm", 5), ("Hoàng", 6), ("Hà", 6), ("Ma", 4), ("Nông", 4),
            ("Lục", 2), ("Triệu", 3), ("Bàn", 3), ("Đặng", 3), ("Lý", 3), ("Vương", 2), ("Giàng", 2), ("Sùng", 1),
            ("Vũ", 3), ("Đỗ", 2), ("Quan", 2), ("Mai", 2), ("Bùi", 2), ("Chu", 1), ("Phùng", 1), ("La", 1)]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Ngọc", "Tiến", "Công", "Đình", "Mạnh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Bích", "Kim"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Long",
              "Nam", "Phong", "Quân", "Sơn", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Vinh", "Kiên", "Toàn"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hằng", "Hương", "Huyền", "Lan", "Liên", "Linh",
                "Mai", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Loan"]
# Roughly the ethnic make-up of a northern mountain province.
ETHNICITIES = [("Kinh", 46), ("Tày", 25), ("Dao", 11), ("Mông", 6), ("Sán Chay", 4), ("Nùng", 2),
               ("Sán Dìu", 2), ("Hoa", 1), ("Pà Thẻn", 1), ("Lô Lô", 1), ("Cơ Lao", 1)]
POSITIONS = [("Bí thư Đảng ủy", 2), ("Phó Bí thư Đảng ủy", 3), ("Chủ tịch UBND", 2), ("Phó Chủ tịch UBND", 4),
             ("Chủ tịch Ủy ban MTTQ", 2), ("Công chức Văn phòng - Thống kê", 8), ("Công chức Tư pháp - Hộ tịch", 6),
             ("Công chức Địa chính - Xây dựng", 6), ("Công chức Tài chính - Kế toán", 6),
             ("Công chức Văn hóa - Xã hội", 6), ("Chuyên viên", 30), ("Trưởng phòng", 5), ("Phó Trưởng phòng", 8),
             ("Viên chức", 12)]
JOB_POSITIONS = [("Lãnh đạo, quản lý", 20), ("Chuyên môn, nghiệp vụ", 60), ("Hỗ trợ, phục vụ", 10), ("", 10)]
THEORY = [("", 25), ("Sơ cấp", 30), ("Trung cấp", 35), ("Cao cấp", 8), ("Cử nhân", 2)]
EDUCATION = [("Đại học", 65), ("Thạc sĩ", 12), ("Cao đẳng", 8), ("Trung cấp", 8), ("Trung học phổ thông", 6),
             ("Tiến sĩ", 1)]
COMMUNES = ["Minh Quang", "Lâm Bình", "Thượng Lâm", "Hồng Quang", "Na Hang", "Yên Hoa", "Sơn Dương", "Tân Trào",
            "Hàm Yên", "Thái Hòa", "Chiêm Hóa", "Kim Bình", "Hòa An", "Yên Sơn", "Trung Sơn", "Phù Lưu",
            "Đồng Văn", "Mèo Vạc", "Yên Minh", "Quản Bạ", "Bắc Mê", "Hoàng Su Phì", "Xín Mần", "Vị Xuyên"]
AGENCIES = ["Sở Nội vụ", "Sở Tài chính", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Ban Tổ chức Tỉnh ủy",
            "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Văn phòng UBND tỉnh", "Sở Khoa học và Công nghệ"]


def units() -> list[tuple[str, str, str, str | None]]:
    """(code, name, kind, parent code) of the province and its units, parents first."""
    out: list[tuple[str, str, str, str | None]] = [("TQ", "Tỉnh Tuyên Quang", "province", None)]
    out += [(f"TQ-S{i:02d}", name, "agency", "TQ") for i, name in enumerate(AGENCIES, start=1)]
    for i, name in enumerate(COMMUNES, start=1):
        kind = "ward" if i % 6 == 0 else "commune"
        out.append((f"TQ-X{i:03d}", ("Phường " if kind == "ward" else "Xã ") + name, kind, "TQ"))
    return out


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _ascii(text: str) -> str:
    from elearn.core.text import fold

    return fold(text).replace(" ", "")


def generate(n: int, seed: int = 2025, current_year: int = 2025) -> list[list[str]]:
    """The template's header row followed by n people rows."""
    rng = random.Random(seed)
    codes = [code for code, _, kind, _ in units() if kind != "province"]
    rows = [[c.header for c in COLUMNS]]
    for i in range(1, n + 1):
        female = rng.random() < 0.45
        surname = _pick(rng, SURNAMES)
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        full_name = f"{surname} {middle} {given}"
        username = f"{_ascii(given)}.{_ascii(surname)}{_ascii(middle)[:1]}{i:05d}"
        birth = rng.randint(1966, current_year - 22)
        party = rng.random() < 0.72
        joined = str(min(current_year, birth + rng.randint(20, 36))) if party else ""
        position = _pick(rng, POSITIONS)
        categories = []
        if position.startswith(("Bí thư", "Chủ tịch")) and rng.random() < 0.3:
            categories.append("Diện Ban Thường vụ Tỉnh ủy quản lý")
        if position == "Bí thư Đảng ủy":
            categories.append("Bí thư cấp xã")
        if rng.random() < 0.12:
            categories.append("Trong quy hoạch")
        values = {
            "username": username,
            "full_name": full_name,
            "email": f"{username}@tuyenquang.gov.vn" if rng.random() < 0.6 else "",
            "unit_code": rng.choice(codes),
            "position": position,
            "job_position": _pick(rng, JOB_POSITIONS),
            "gender": "Nữ" if female else "Nam",
            "ethnicity": _pick(rng, ETHNICITIES),
            "birth_year": str(birth),
            "party_member": "Có" if party else "Không",
            "party_joined_year": joined,
            "theory_level": _pick(rng, THEORY),
            "education_level": _pick(rng, EDUCATION),
            "categories": "; ".join(categories),
            "roles": "Giảng viên" if rng.random() < 0.01 else "Học viên",
        }
        rows.append([values[c.key] for c in COLUMNS])
    return rows


def to_csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()  # like Excel: a <dimension> at the top and a shared-strings table
    sheet = workbook.active
    sheet.title = "Danh sách"
    for r, row in enumerate(rows):
        sheet.append([int(v) if r and v.isdigit() else v for v in row])  # years as numbers, as Excel keeps them
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    path.write_bytes(to_xlsx(rows) if path.suffix.lower() == ".xlsx" else to_csv(rows, delimiter))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of people (default 10000)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="a .csv or .xlsx file")
    parser.add_argument("--delimiter", default=",", help="CSV delimiter (',' or ';')")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    write(args.output, generate(args.n, args.seed), args.delimiter)
    print(f"{args.n} people written to {args.output}")


if __name__ == "__main__":
    main()
