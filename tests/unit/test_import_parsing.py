"""Reading people files: header mapping, CSV/XLSX reading, row parsing (accounts/importer.py, no database)."""
from __future__ import annotations

import pytest

from elearn.accounts import importer
from elearn.accounts.importer import ImportFileError, map_headers, parse_row
from tests import import_files

# --- headers --------------------------------------------------------------------------------------


def test_vietnamese_headers_of_the_template_map_every_column():
    mapping = map_headers(import_files.HEADERS)
    assert list(mapping.index) == [c.key for c in importer.COLUMNS]
    assert mapping.ignored == []


def test_english_code_headers_in_any_order_and_without_diacritics():
    headers = ["unit_code", "Roles", "FULL NAME", "username", "ho va ten dem", "nam sinh", "Dan toc", "e-mail",
               "Party member", "dien quan ly"]
    mapping = map_headers(headers)
    assert mapping.index == {"unit_code": 0, "roles": 1, "full_name": 2, "username": 3, "birth_year": 5,
                             "ethnicity": 6, "email": 7, "party_member": 8, "categories": 9}
    assert mapping.ignored == ["ho va ten dem"]


def test_plain_english_headers_match():
    headers = ["Username", "Full name", "E-mail", "Unit code", "Position", "Job position", "Gender", "Ethnicity",
               "Birth year", "Party member", "Party admission year", "Political-theory level", "Education level",
               "Management categories", "Roles"]
    assert list(map_headers(headers).index) == [c.key for c in importer.COLUMNS]


def test_separate_surname_and_given_name_columns_are_not_taken_for_the_full_name():
    with pytest.raises(ImportFileError) as err:
        map_headers(["Tên đăng nhập", "Họ", "Tên", "Mã đơn vị"])
    assert err.value.params == {"columns": "Họ và tên"}


def test_headers_with_hints_stars_and_odd_spacing_still_match():
    mapping = map_headers(["Tên đăng nhập (*)", "  Họ  và tên* ", "Mã đơn vị [bắt buộc]", "Giới tính (Nam/Nữ)",
                           "LÝ LUẬN CHÍNH TRỊ", "Năm vào Đảng"])
    assert set(mapping.index) == {"username", "full_name", "unit_code", "gender", "theory_level", "party_joined_year"}


def test_missing_required_column_is_a_file_error_naming_it():
    with pytest.raises(ImportFileError) as err:
        map_headers(["Tên đăng nhập", "Họ và tên", "Giới tính"])
    assert err.value.params == {"columns": "Mã đơn vị"}


def test_a_column_given_twice_is_a_file_error():
    with pytest.raises(ImportFileError) as err:
        map_headers(["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "username"])
    assert err.value.params == {"column": "username"}


def test_empty_header_row_is_a_file_error():
    with pytest.raises(ImportFileError):
        map_headers(["", " "])


# --- reading files --------------------------------------------------------------------------------

def _csv(text: str, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + text).encode("utf-8")


@pytest.mark.parametrize("bom", [True, False])
def test_csv_with_or_without_bom(bom):
    table = importer.read_csv(_csv("Tên đăng nhập,Họ và tên,Mã đơn vị\r\nan,Lê Văn An,XA\r\n", bom))
    assert table.headers == ["Tên đăng nhập", "Họ và tên", "Mã đơn vị"]
    assert table.rows == [(2, ["an", "Lê Văn An", "XA"])]


def test_semicolon_csv_as_excel_writes_it_in_the_vietnamese_locale():
    data = _csv('Tên đăng nhập;Họ và tên;Mã đơn vị;Diện quản lý\nan;"Lê, Văn An";XA;"Trong quy hoạch; Bí thư cấp xã"\n')
    table = importer.read_csv(data)
    assert table.rows == [(2, ["an", "Lê, Văn An", "XA", "Trong quy hoạch; Bí thư cấp xã"])]


@pytest.mark.parametrize(("text", "expected"), [
    ("a,b,c\n1;2", ","), ("a;b;c\n1,2,3,4,5", ";"), ('"x,y";b;c', ";"), ("a\tb\tc", "\t"), ("abc", ","),
])
def test_sniff_delimiter_looks_at_the_header_line_outside_quotes(text, expected):
    assert importer.sniff_delimiter(text) == expected


def test_line_numbers_are_spreadsheet_lines_and_blank_lines_are_skipped():
    data = _csv("username,full_name,unit_code\nan,An,XA\n,,\n\nbinh,Bình,XA\n")
    table = importer.read_csv(data)
    assert [line for line, _ in table.rows] == [2, 5]


def test_a_quoted_cell_spanning_lines_is_one_spreadsheet_row():
    data = _csv('username,full_name,unit_code,position\nan,An,XA,"Bí thư\nkiêm Chủ tịch"\nbinh,B,XA,\n')
    table = importer.read_csv(data)
    assert [line for line, _ in table.rows] == [2, 3]
    assert table.rows[0][1][3] == "Bí thư\nkiêm Chủ tịch"


def test_csv_in_a_legacy_encoding_is_refused_with_a_clear_message():
    with pytest.raises(ImportFileError) as err:
        importer.read_csv("Tên đăng nhập,Họ và tên\n".encode("utf-16"))
    assert "UTF-8" in err.value.message


def test_cells_are_trimmed_and_normalised_to_nfc():
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed with combining marks
    table = importer.read_csv(_csv(f"username,full_name,unit_code\n  an ,{decomposed}\u00a0,XA\n"))
    assert table.rows[0][1] == ["an", "Nguyễn", "XA"]


def test_too_many_rows_is_a_file_error():
    with pytest.raises(ImportFileError) as err:
        importer.read_csv(_csv("username,full_name,unit_code\n" + "a,b,c\n" * 4), max_rows=3)
    assert err.value.params == {"n": 3}


def test_xlsx_rows_with_numbers_and_gaps(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Năm sinh"])
    sheet.append(["an", "Lê Văn An", "XA", 1985])
    sheet.append([])
    sheet.cell(row=4, column=1, value="binh")
    sheet.cell(row=4, column=4, value=1990.0)
    path = tmp_path / "people.xlsx"
    workbook.save(path)
    table = importer.read_xlsx(path)
    assert table.rows == [(2, ["an", "Lê Văn An", "XA", "1985"]), (4, ["binh", "", "", "1990"])]


def test_a_file_that_is_not_a_workbook_is_a_file_error(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError):
        importer.read_xlsx(path)


@pytest.mark.parametrize(("head", "fmt", "bad"), [
    (b"", "csv", True), (b"PK\x03\x04rest", "xlsx", False), (b"username,full_name", "xlsx", True),
    (b"username,full_name", "csv", False), (b"PK\x03\x04rest", "csv", True), (b"a\x00b", "csv", True),
    ("Tên đăng nhập".encode()[:5], "csv", False),  # a character cut by the sample's end is fine
    (b"T\xean \xf0\xe3ng nh\xe2p,H\xf5 v\xe0 t\xean", "csv", True),  # Windows-1258 bytes
])
def test_upload_problem_checks_the_first_bytes(head, fmt, bad):
    assert (importer.upload_problem(head, fmt) is not None) is bad


def test_template_round_trips_through_the_reader(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(importer.template_xlsx("XA-001"))
    for table in (importer.read_xlsx(path), importer.read_csv(importer.template_csv("XA-001"))):
        mapping = map_headers(table.headers)
        assert mapping.ignored == []
        ((line, cells),) = table.rows
        row = parse_row(line, importer.cells_by_key(mapping, cells))
        assert row.reasons == []
        assert row.values["unit_code"] == "XA-001"
    assert importer.template_csv().startswith("\ufeff".encode())


# --- parsing rows ---------------------------------------------------------------------------------

def _row(**cells) -> importer.ParsedRow:
    base = {"username": "nguyenvanan", "full_name": "Nguyễn Văn An", "unit_code": "xa-001"}
    base.update(cells)
    return parse_row(7, base)


def test_a_complete_vietnamese_row_is_parsed_into_codes():
    row = _row(email=" an@example.org ", position="Chủ tịch UBND xã", job_position="Lãnh đạo", gender="Nữ",
               ethnicity="tay", birth_year="1980", party_member="Có", party_joined_year="2005",
               theory_level="Cao cấp", education_level="Thạc sĩ",
               categories="Diện Ban Thường vụ Tỉnh ủy quản lý; bi thu cap xa", roles="Giảng viên; Học viên")
    assert row.reasons == []
    assert row.values == {
        "full_name": "Nguyễn Văn An", "email": "an@example.org", "unit_code": "XA-001",
        "position": "Chủ tịch UBND xã", "job_position": "Lãnh đạo", "gender": "female", "ethnicity": "Tày",
        "birth_year": 1980, "party_member": True, "party_joined_year": 2005, "theory_level": "advanced",
        "education_level": "master", "categories": {"standing_committee", "commune_secretary"},
        "roles": {"lecturer", "learner"},
    }


def test_codes_and_english_labels_are_accepted_too():
    row = _row(gender="male", theory_level="intermediate", education_level="University",
               categories="in_planning, standing_committee", roles="admin", party_member="yes")
    assert row.reasons == []
    assert row.values["gender"] == "male" and row.values["theory_level"] == "intermediate"
    assert row.values["education_level"] == "bachelor"
    assert row.values["categories"] == {"in_planning", "standing_committee"}
    assert row.values["roles"] == {"admin"} and row.values["party_member"] is True


def test_empty_cells_give_the_empty_values():
    row = _row(email="", gender="", ethnicity="", birth_year="", party_member="", party_joined_year="",
               theory_level="", education_level="", categories="", roles="")
    assert row.reasons == []
    assert row.values["email"] is None and row.values["gender"] is None and row.values["ethnicity"] is None
    assert row.values["party_member"] is False and row.values["theory_level"] == "none"
    assert row.values["categories"] == set() and row.values["roles"] is None


def test_columns_absent_from_the_file_are_absent_from_the_values():
    row = _row()
    assert set(row.values) == {"full_name", "unit_code"}


def test_username_is_lower_cased_and_checked():
    assert _row(username=" NguyenVanAn ").username == "nguyenvanan"
    bad = _row(username="nguyễn văn an")
    assert "username" in bad.failed and len(bad.reasons) == 1


@pytest.mark.parametrize(("column", "value"), [
    ("gender", "khác"), ("ethnicity", "Kinh Tày"), ("birth_year", "85"), ("party_member", "có lẽ"),
    ("party_joined_year", "năm 2000"), ("theory_level", "Đại học"), ("education_level", "Lớp 9"),
    ("categories", "Trong quy hoạch; Hội viên"), ("roles", "Giáo viên"), ("email", "an@"),
])
def test_a_bad_value_is_reported_with_the_cell(column, value):
    row = _row(**{column: value})
    assert column in row.failed
    assert len(row.reasons) == 1
    message, params = row.reasons[0]
    if column != "email":
        assert params["value"] in value


def test_missing_full_name_is_reported():
    assert [m for m, _ in _row(full_name="  ").reasons] == ["Full name is required."]


@pytest.mark.parametrize(("value", "year"), [("1985", 1985), ("1985.0", 1985), ("12/03/1985", 1985),
                                             ("1985-03-12", 1985), ("1985-03-12T00:00:00", 1985)])
def test_years_from_numbers_and_dates(value, year):
    assert importer.parse_year(value) == year


@pytest.mark.parametrize("value", ["H'Mông", "hmong", "Ê-đê", "ede", "BA NA", "Bru Vân Kiều", "xtieng"])
def test_ethnicity_spellings_are_normalised(value):
    assert _row(ethnicity=value).reasons == []
