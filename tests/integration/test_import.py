"""Bulk import of people against the database: dry run, confirmed import, re-import, updates (CSV and XLSX)."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from elearn.accounts import importer
from elearn.accounts.models import User, user_by_username
from elearn.core import jobs
from elearn.core.audit import AuditEntry
from elearn.core.jobs import Job
from elearn.extensions import db
from tests import import_files

PEOPLE_TABLES = ("user", "user_role", "profile", "profile_category")


def snapshot() -> dict[str, list[tuple]]:
    """Every row of the people tables, for comparing before and after."""
    out = {}
    for table in PEOPLE_TABLES:
        rows = db.session.execute(text(f'SELECT * FROM "{table}"')).all()
        out[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def store(data: bytes, fmt: str):
    path = importer.new_upload_path(fmt)
    path.write_bytes(data)
    return path


def run_check(actor: User, data: bytes, fmt: str) -> Job:
    job = importer.new_check_job(actor, store(data, fmt), f"danh-sach.{fmt}")
    jobs.start(job, importer.check_work)  # inline under TestingConfig
    db.session.expire_all()
    return db.session.get(Job, job.id)


def run_import(actor: User, check: Job) -> Job:
    job = importer.new_import_job(actor, check)
    jobs.start(job, importer.import_work)
    db.session.expire_all()
    return db.session.get(Job, job.id)


@pytest.fixture
def setting(factory):
    province = factory.province()
    commune = factory.unit("Xã Minh Quang", "commune", province, code="XA-MQ")
    admin = factory.admin(unit=province)
    someone = factory.user("nguoikhac", email="CanBo041@example.org", unit=commune)
    return admin, commune, someone


def fifty_rows_with_three_bad() -> list[dict[str, str]]:
    rows = [import_files.person(i, "XA-MQ") for i in range(1, 51)]
    rows[9]["unit_code"] = "XA-KHONG-CO"  # line 11: unknown unit
    rows[20]["gender"] = "khác"  # line 22: two problems
    rows[20]["birth_year"] = "19x5"
    rows[40]["email"] = "canbo041@example.org"  # line 42: e-mail of another account
    return rows


EXPECTED_ERRORS = {
    11: ["Unknown unit code %(code)s."],
    22: ['Unknown gender "%(value)s": write Nam or Nữ.', '"%(value)s" is not a year (write it like 1985).'],
    42: ["This e-mail address is already used by another account."],
}


def _errors(job: Job) -> dict[int, list[str]]:
    return {e["line"]: [r[0] for r in e["reasons"]] for e in job.result["errors"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_acceptance_dry_run_import_reimport_and_update(setting, fmt):
    admin, commune, _ = setting
    rows = fifty_rows_with_three_bad()
    data = import_files.encode(import_files.table(rows), fmt)
    before = snapshot()

    # Dry run: every row checked, 3 errors with their spreadsheet lines, nothing written.
    check = run_check(admin, data, fmt)
    assert check.state == "done"
    assert check.result["counts"] == {"new": 47, "updated": 0, "unchanged": 0, "errors": 3}
    assert _errors(check) == EXPECTED_ERRORS
    assert snapshot() == before

    # Confirmed: 47 people with correct profiles, one audit entry.
    job = run_import(admin, check)
    assert job.state == "done", job.error
    assert job.done == job.total == 47
    assert job.result["counts"] == {"new": 47, "updated": 0, "unchanged": 0, "errors": 3}
    imported = db.session.scalars(select(User).where(User.username.like("canbo%"))).all()
    assert len(imported) == 47
    assert {u.username for u in imported} == {r["username"] for i, r in enumerate(rows) if i not in (9, 20, 40)}
    for i in (1, 5, 7, 15, 30):
        user = user_by_username(f"canbo{i:03d}")
        row = import_files.person(i, "XA-MQ")
        p = user.profile
        assert user.full_name == row["full_name"]
        assert user.email == (row["email"] or None)
        assert user.password_hash is None and user.active
        assert user.role_names == {"learner"}
        assert p.unit_id == commune.id
        assert p.gender == ("female" if i % 2 else "male")
        assert p.ethnicity == ["Kinh", "Tày", "Dao", "Mông", "Nùng"][i % 5]
        assert p.birth_year == int(row["birth_year"])
        assert p.party_member is (i % 3 != 0)
        assert p.party_joined_year == (int(row["party_joined_year"]) if row["party_joined_year"] else None)
        assert p.theory_level == ["none", "elementary", "intermediate", "advanced", "bachelor"][i % 5]
        assert p.education_level == ["bachelor", "master", "college"][i % 3]
        assert p.position == row["position"]
    assert user_by_username("canbo007").profile.categories == {"in_planning", "commune_secretary"}
    assert user_by_username("canbo005").profile.categories == {"in_planning"}
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.import")).all()
    assert len(entries) == 1
    assert entries[0].actor_id == admin.id
    assert entries[0].after["new"] == 47 and entries[0].after["errors"] == 3
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.create")).all()
    assert importer.stored_path(job.params["file"]) is None  # the upload is removed after the import

    # The same file again: nothing new, nothing changed, nothing written.
    after_first = snapshot()
    again = run_check(admin, data, fmt)
    assert again.result["counts"] == {"new": 0, "updated": 0, "unchanged": 47, "errors": 3}
    assert _errors(again) == EXPECTED_ERRORS
    second = run_import(admin, again)
    assert second.result["counts"] == {"new": 0, "updated": 0, "unchanged": 47, "errors": 3}
    assert snapshot() == after_first

    # One changed cell updates that person only.
    rows[4]["position"] = "Chủ tịch UBND xã"
    rows[6]["categories"] = ""
    changed = import_files.encode(import_files.table(rows), fmt)
    check = run_check(admin, changed, fmt)
    assert check.result["counts"] == {"new": 0, "updated": 2, "unchanged": 45, "errors": 3}
    job = run_import(admin, check)
    assert job.result["counts"]["updated"] == 2
    assert user_by_username("canbo005").profile.position == "Chủ tịch UBND xã"
    assert user_by_username("canbo007").profile.categories == set()
    assert user_by_username("canbo006").profile.position == import_files.person(6, "XA-MQ")["position"]


def test_dry_run_reports_duplicates_within_the_file(setting):
    admin, _, _ = setting
    rows = [import_files.person(i, "XA-MQ") for i in range(1, 5)]
    rows[2]["username"] = rows[0]["username"].upper()  # line 4 repeats line 2's username
    rows[3]["email"] = rows[1]["email"].upper()  # line 5 repeats line 3's e-mail
    check = run_check(admin, import_files.to_csv(import_files.table(rows)), "csv")
    assert check.result["counts"] == {"new": 2, "updated": 0, "unchanged": 0, "errors": 2}
    errors = {e["line"]: e["reasons"] for e in check.result["errors"]}
    assert errors[4] == [["The username %(username)s is already used on line %(line)s of this file.",
                          {"username": "canbo001", "line": 2}]]
    assert errors[5][0][1] == {"email": rows[3]["email"], "line": 3}


def test_missing_columns_keep_values_and_empty_roles_keep_roles(setting, factory):
    admin, commune, _ = setting
    lecturer = factory.user("giangvien1", roles=("lecturer", "learner"), unit=commune, position="Giảng viên",
                            ethnicity="Tày", email="gv1@example.org", categories={"in_planning"})
    data = import_files.to_csv([["username", "full_name", "unit_code", "Vai trò"],
                                ["giangvien1", "Lê Thị Giảng", "XA-MQ", ""]])
    check = run_check(admin, data, "csv")
    assert check.result["counts"]["updated"] == 1
    assert check.result["ignored_columns"] == []
    run_import(admin, check)
    user = user_by_username("giangvien1")
    assert user.full_name == "Lê Thị Giảng"
    assert user.role_names == {"lecturer", "learner"}
    assert user.email == "gv1@example.org"
    assert user.password_hash == lecturer.password_hash
    assert (user.profile.position, user.profile.ethnicity, user.profile.categories) == ("Giảng viên", "Tày",
                                                                                       {"in_planning"})


def test_admin_cannot_remove_own_admin_role_and_grants_are_counted(setting):
    admin, _, _ = setting
    data = import_files.to_csv([["username", "full_name", "unit_code", "roles"],
                                [admin.username, admin.full_name, "XA-MQ", "learner"],
                                ["moi1", "Người Mới", "XA-MQ", "Quản trị viên"]])
    check = run_check(admin, data, "csv")
    assert _errors(check) == {2: ["You cannot remove your own administrator role."]}
    assert check.result["admin_grants"] == 1


def test_file_level_problem_is_reported_not_crashed(setting):
    admin, _, _ = setting
    check = run_check(admin, import_files.to_csv([["Tên đăng nhập", "Giới tính"], ["an", "Nam"]]), "csv")
    assert check.state == "done"
    assert check.result["file_error"] == ["Required column(s) missing: %(columns)s.",
                                          {"columns": "Họ và tên, Mã đơn vị"}]


def test_failure_half_way_writes_nothing(setting, monkeypatch):
    admin, _, _ = setting
    rows = [import_files.person(i, "XA-MQ") for i in range(1, 31)]
    check = run_check(admin, import_files.to_csv(import_files.table(rows)), "csv")
    before = snapshot()
    real_stage = importer._stage
    progress: list[int] = []
    real_done = importer.Progress.done

    def stage(batch, item):
        if item.line == 25:
            raise RuntimeError("disk full")
        real_stage(batch, item)

    def done(self, n):
        progress.append(n)
        real_done(self, n)

    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(importer, "_stage", stage)
    monkeypatch.setattr(importer.Progress, "done", done)
    job = run_import(admin, check)
    assert job.state == "failed" and "disk full" in job.error
    assert progress == [10, 20]  # progress was committed on its own connection while the rows waited
    assert snapshot() == before


def test_progress_is_committed_while_the_import_transaction_is_open(setting, monkeypatch):
    """The progress counter is visible to other connections before the people are committed."""
    admin, _, _ = setting
    rows = [import_files.person(i, "XA-MQ") for i in range(1, 26)]
    check = run_check(admin, import_files.to_csv(import_files.table(rows)), "csv")
    seen: list[tuple[int, int]] = []
    real_done = importer.Progress.done

    def done(self, n):
        real_done(self, n)
        with db.engine.connect() as conn:  # what the progress page would read meanwhile
            seen.append((conn.execute(text("SELECT done FROM job WHERE id = :id"), {"id": self.job_id}).scalar(),
                         conn.execute(text("SELECT count(*) FROM \"user\" WHERE username LIKE 'canbo%'")).scalar()))

    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(importer.Progress, "done", done)
    job = run_import(admin, check)
    assert job.state == "done"
    assert seen == [(10, 0), (20, 0)]
    assert db.session.scalar(select(db.func.count()).select_from(User).where(User.username.like("canbo%"))) == 25


def test_preloading_keeps_the_query_count_flat(setting):
    """No query per row: checking 200 rows costs the same handful of queries as checking 20."""
    from sqlalchemy import event

    admin, _, _ = setting
    everyone = [import_files.person(i, "XA-MQ") for i in range(1, 201)]
    run_import(admin, run_check(admin, import_files.to_csv(import_files.table(everyone)), "csv"))

    def count_queries(n: int) -> int:
        rows = [import_files.person(i, "XA-MQ") for i in range(1, n + 1)]
        table = importer.read_csv(import_files.to_csv(import_files.table(rows)))
        statements: list[str] = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            importer.plan(table, admin, 2025)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    count_queries(1)  # warm up: the actor's own attributes are loaded once
    assert count_queries(200) == count_queries(20) <= 8


def test_existing_account_without_profile_gets_one_and_roles_and_email_change(setting, factory):
    admin, commune, _ = setting
    factory.user("cuchien", roles=("learner",), email="old@example.org")  # no profile yet
    data = import_files.to_csv([["username", "full_name", "email", "unit_code", "roles", "gender", "Diện quản lý"],
                                ["cuchien", "Hà Văn Cựu", "New@Example.org", "XA-MQ", "Giảng viên", "Nam",
                                 "Trong quy hoạch"]])
    check = run_check(admin, data, "csv")
    assert check.result["counts"] == {"new": 0, "updated": 1, "unchanged": 0, "errors": 0}
    job = run_import(admin, check)
    assert job.state == "done", job.error
    user = user_by_username("cuchien")
    assert (user.full_name, user.search_name, user.email) == ("Hà Văn Cựu", "ha van cuu", "New@Example.org")
    assert user.role_names == {"lecturer"}
    assert (user.profile.unit_id, user.profile.gender, user.profile.categories) == (commune.id, "male", {"in_planning"})
    assert user.password_hash is not None  # an existing password is kept
    assert run_check(admin, data, "csv").result["counts"]["unchanged"] == 1
