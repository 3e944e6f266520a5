"""Rules about people and units (accounts/domain.py)."""
from __future__ import annotations

import pytest

from elearn.accounts import domain
from elearn.accounts.domain import ProfileData

YEAR = 2026


def valid(**kw) -> ProfileData:
    base = dict(unit_id=1, position="Chuyên viên", gender="female", ethnicity="Tày", birth_year=1990,
                party_member=True, party_joined_year=2012, theory_level="intermediate",
                education_level="bachelor", categories={"in_planning"})
    base.update(kw)
    return ProfileData(**base)


def test_there_are_54_distinct_ethnic_groups():
    assert len(domain.ETHNICITIES) == 54
    assert len(set(domain.ETHNICITIES)) == 54


@pytest.mark.parametrize("typed, official", [
    ("kinh", "Kinh"), ("TÀY", "Tày"), ("tay", "Tày"), ("H'Mông", "Mông"), ("Ê-đê", "Ê Đê"),
    ("bru van kieu", "Bru - Vân Kiều"), ("Ơ Đu", "Ơ Đu"), ("khmer", "Khmer"),
])
def test_normalise_ethnicity(typed, official):
    assert domain.normalise_ethnicity(typed) == official


def test_unknown_ethnicity():
    assert domain.normalise_ethnicity("Klingon") is None


def test_valid_profile_has_no_errors():
    assert domain.validate_profile(valid(), YEAR) == {}


@pytest.mark.parametrize("changes, field", [
    ({"unit_id": None}, "unit_id"),
    ({"gender": "other"}, "gender"),
    ({"ethnicity": "Klingon"}, "ethnicity"),
    ({"birth_year": 1900}, "birth_year"),
    ({"birth_year": YEAR - 10}, "birth_year"),
    ({"party_member": False, "party_joined_year": 2010}, "party_joined_year"),
    ({"party_joined_year": 2005}, "party_joined_year"),  # before the age of 18
    ({"party_joined_year": YEAR + 1}, "party_joined_year"),
    ({"theory_level": "expert"}, "theory_level"),
    ({"education_level": "phd"}, "education_level"),
    ({"categories": {"secret_police"}}, "categories"),
    ({"position": "x" * 201}, "position"),
    ({"job_position": "x" * 201}, "job_position"),
])
def test_invalid_profile_fields(changes, field):
    errors = domain.validate_profile(valid(**changes), YEAR)
    assert field in errors


def test_young_cadre_and_minority():
    assert domain.is_young_cadre(1991, 2026)
    assert not domain.is_young_cadre(1990, 2026)
    assert not domain.is_young_cadre(None, 2026)
    assert domain.is_ethnic_minority("Dao") and not domain.is_ethnic_minority("Kinh")
    assert not domain.is_ethnic_minority(None)


@pytest.mark.parametrize("username, ok", [
    ("nguyenvanan", True), ("an.nv-2", True), ("ab", False), ("Nguyen", False), ("nguyễn", False),
    ("a" * 65, False), ("_x12", False),
])
def test_username_rules(username, ok):
    assert (domain.validate_username(username) is None) is ok


def test_email_rules():
    assert domain.validate_email("an@tuyenquang.gov.vn") is None
    assert domain.validate_email("not-an-email") is not None
    assert domain.validate_email("") is None  # optional


@pytest.mark.parametrize("password, ok", [
    ("Mat-khau-2025!", True), ("short", False), ("aaaaaaaaaaaa", False), ("xxnguyenvananxx", False),
    ("x" * 300, False),
])
def test_password_rules(password, ok):
    assert (domain.password_problem(password, 8, "nguyenvanan", "Nguyễn Văn An") is None) is ok


def test_password_must_not_be_the_name():
    assert domain.password_problem("NguyenVanAn", 8, "an.nv", "Nguyễn Văn An") is not None


def test_unit_cannot_move_under_itself_or_descendant():
    parent_of = {1: None, 2: 1, 3: 2, 4: 1}
    assert domain.check_unit_move(2, 3, parent_of) is not None  # under its own child
    assert domain.check_unit_move(2, 2, parent_of) is not None  # under itself
    assert domain.check_unit_move(3, 4, parent_of) is None
    assert domain.check_unit_move(4, None, parent_of) is None


def test_unit_kinds_follow_two_level_government():
    assert domain.check_unit_kind(None, "province") is None
    assert domain.check_unit_kind("province", "commune") is None
    assert domain.check_unit_kind("province", "agency") is None
    assert domain.check_unit_kind("commune", "commune") is not None
    assert domain.check_unit_kind(None, "commune") is not None
    assert domain.check_unit_kind("agency", "department") is None


def test_descendants():
    children = {1: [2, 4], 2: [3]}
    assert sorted(domain.descendants(1, children)) == [2, 3, 4]
    assert domain.descendants(3, children) == []


def test_users_compare_by_identity_not_by_session_token():
    from elearn.accounts.models import User

    a, b = User(id=1, username="a"), User(id=2, username="b")
    assert a != b and a not in [b]
    assert a == User(id=1, username="a")
    assert User(username="x") != User(username="y")  # not yet saved: only the same object is equal
