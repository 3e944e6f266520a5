"""Administration of the unit tree: view with head counts, create, rename, move, delete."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from elearn.accounts.models import Unit
from elearn.core.audit import AuditEntry
from elearn.extensions import db
from tests.conftest import csrf_token
from tests.web.test_admin_people import error_of, in_english


@pytest.fixture
def as_admin(client, login, factory):
    login(factory.admin())
    return client


@pytest.fixture
def tree(factory):
    """Tỉnh > (Xã Minh Quang > Văn phòng), (Xã Lâm Bình); two people in the commune, one in its office."""
    province = factory.province()
    commune = factory.unit("Xã Minh Quang", "commune", province)
    office = factory.unit("Văn phòng Đảng ủy", "department", commune)
    other = factory.unit("Xã Lâm Bình", "commune", province)
    for _ in range(2):
        factory.user(unit=commune, password=None)
    factory.user(unit=office, password=None)
    return {"province": province, "commune": commune, "office": office, "other": other}


def item(html: str, unit: Unit) -> str:
    """The tree item of a unit, up to its first nested list or its end."""
    match = re.search(rf'<li id="unit-{unit.id}">(.*?)(?:<ul>|</li>)', html, re.S)
    assert match, f"unit {unit.code} not in the tree"
    return match.group(1)


def test_non_admin_is_refused(client, login, factory, tree):
    login(factory.lecturer("gv"))
    token = csrf_token(client, "/")
    unit = tree["other"]
    assert client.get("/admin/units").status_code == 403
    assert client.post("/admin/units", data={"code": "X", "name": "X", "kind": "province",
                                             "csrf_token": token}).status_code == 403
    assert client.post(f"/admin/units/{unit.id}/edit", data={"name": "Đổi", "csrf_token": token}).status_code == 403
    assert client.post(f"/admin/units/{unit.id}/move", data={"parent_id": "", "csrf_token": token}).status_code == 403
    assert client.post(f"/admin/units/{unit.id}/delete", data={"csrf_token": token}).status_code == 403
    assert db.session.get(Unit, unit.id).name == "Xã Lâm Bình"


def test_tree_is_nested_with_head_counts(as_admin, tree):
    html = as_admin.get("/admin/units").get_data(as_text=True)
    assert html.count('<ul class="tree">') == 1
    # The office is nested inside the commune, which is nested inside the province.
    province_at = html.index(f'id="unit-{tree["province"].id}"')
    commune_at = html.index(f'id="unit-{tree["commune"].id}"')
    office_at = html.index(f'id="unit-{tree["office"].id}"')
    assert province_at < commune_at < office_at
    between = html[commune_at:office_at]
    assert "<ul>" in between and "</li>" not in between
    # Own head count, and with sub-units where there are some.
    assert f'href="/admin/people?unit={tree["commune"].id}">' in item(html, tree["commune"])
    counts = re.findall(r'class="tag"[^>]*>[^<]*?(\d+)</a>', item(html, tree["commune"]))
    assert counts == ["2", "3"]
    assert re.findall(r'class="tag"[^>]*>[^<]*?(\d+)</a>', item(html, tree["province"])) == ["0", "3"]
    assert re.findall(r'class="tag"[^>]*>[^<]*?(\d+)</a>', item(html, tree["other"])) == ["0"]
    # Siblings are in alphabetical order, diacritics ignored (Lâm before Minh).
    assert html.index(f'id="unit-{tree["other"].id}"') < commune_at


def test_create_unit(as_admin, tree):
    token = csrf_token(as_admin, "/admin/units")
    data = {"code": "tq-xa-yen-son", "name": "  Xã Yên Sơn ", "kind": "commune",
            "parent_id": str(tree["province"].id), "csrf_token": token}
    response = as_admin.post("/admin/units", data=data)
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "TQ-XA-YEN-SON"))
    assert unit.name == "Xã Yên Sơn" and unit.parent_id == tree["province"].id and unit.search_name == "xa yen son"
    assert response.headers["Location"].endswith(f"#unit-{unit.id}")
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.create")).target_id == unit.id


@pytest.mark.parametrize("changes, field, message", [
    ({"code": "U-DUP"}, "code", "This unit code is already used."),
    ({"kind": "province"}, "kind", "This kind of unit cannot be placed there."),
    ({"name": ""}, "name", "A unit name is required."),
    ({"code": "X" * 41}, "code", "At most 40 characters."),
])
def test_create_unit_refusals(as_admin, factory, tree, changes, field, message):
    factory.unit("Đã có", "commune", tree["province"], code="U-DUP")
    in_english(as_admin)
    token = csrf_token(as_admin, "/admin/units")
    data = {"code": "MOI", "name": "Xã Mới", "kind": "commune", "parent_id": str(tree["province"].id),
            "csrf_token": token, **changes}
    response = as_admin.post("/admin/units", data=data)
    assert response.status_code == 200
    assert error_of(response.get_data(as_text=True), field) == message
    assert db.session.scalar(select(Unit).where(Unit.name == "Xã Mới")) is None


def test_add_sub_unit_link_preselects_the_parent(as_admin, tree):
    commune = tree["commune"]
    html = as_admin.get(f"/admin/units?parent={commune.id}").get_data(as_text=True)
    parent_select = re.search(r'<select[^>]*name="parent_id"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.search(rf'<option selected value="{commune.id}">', parent_select)


def test_rename_unit(as_admin, tree):
    commune = tree["commune"]
    path = f"/admin/units/{commune.id}/edit"
    assert 'value="Xã Minh Quang"' in as_admin.get(path).get_data(as_text=True)
    token = csrf_token(as_admin, path)
    assert as_admin.post(path, data={"name": "Xã Minh Quang Mới", "csrf_token": token}).status_code == 302
    unit = db.session.get(Unit, commune.id)
    assert unit.name == "Xã Minh Quang Mới" and unit.search_name == "xa minh quang moi"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.rename"))
    assert (entry.before, entry.after) == ({"name": "Xã Minh Quang"}, {"name": "Xã Minh Quang Mới"})
    html = as_admin.post(path, data={"name": " ", "csrf_token": token}).get_data(as_text=True)
    assert error_of(html, "name")  # a name is required
    assert db.session.get(Unit, commune.id).name == "Xã Minh Quang Mới"


def test_move_unit(as_admin, tree):
    office, other = tree["office"], tree["other"]
    page = as_admin.get(f"/admin/units/{office.id}/edit").get_data(as_text=True)
    choices = re.search(r'<select[^>]*name="parent_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'value="{office.id}"' not in choices  # not under itself
    token = csrf_token(as_admin, f"/admin/units/{office.id}/edit")
    response = as_admin.post(f"/admin/units/{office.id}/move", data={"parent_id": str(other.id), "csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(Unit, office.id).parent_id == other.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.move"))
    assert (entry.before, entry.after) == ({"parent_id": tree["commune"].id}, {"parent_id": other.id})


def test_move_under_own_descendant_is_refused(as_admin, tree):
    commune, office = tree["commune"], tree["office"]
    page = as_admin.get(f"/admin/units/{commune.id}/edit").get_data(as_text=True)
    choices = re.search(r'<select[^>]*name="parent_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert f'value="{office.id}"' not in choices  # its own sub-units are not offered
    in_english(as_admin)
    token = csrf_token(as_admin, f"/admin/units/{commune.id}/edit")
    response = as_admin.post(f"/admin/units/{commune.id}/move", data={"parent_id": str(office.id), "csrf_token": token})
    assert response.status_code == 200
    assert error_of(response.get_data(as_text=True), "parent_id") == \
        "A unit cannot be moved under itself or one of its sub-units."
    assert db.session.get(Unit, commune.id).parent_id == tree["province"].id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.move")) is None


def test_move_to_a_place_its_kind_does_not_fit_is_refused(as_admin, tree):
    in_english(as_admin)
    commune, other = tree["commune"], tree["other"]
    token = csrf_token(as_admin, "/admin/units")
    response = as_admin.post(f"/admin/units/{commune.id}/move", data={"parent_id": str(other.id), "csrf_token": token})
    assert error_of(response.get_data(as_text=True), "parent_id") == "This kind of unit cannot be placed there."
    assert db.session.get(Unit, commune.id).parent_id == tree["province"].id


def test_delete_is_refused_while_people_or_sub_units_remain(as_admin, factory, tree):
    in_english(as_admin)
    office = tree["office"]
    confirm = as_admin.get(f"/admin/units/{office.id}/delete").get_data(as_text=True)
    assert "This unit still has 1 people" in confirm
    token = csrf_token(as_admin, "/admin/units")
    response = as_admin.post(f"/admin/units/{office.id}/delete", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/units#unit-{office.id}")
    page = as_admin.get("/admin/units").get_data(as_text=True)
    assert 'class="flash flash-error"' in page and "This unit still has 1 people" in page
    assert db.session.get(Unit, office.id) is not None

    other = tree["other"]
    factory.unit("Phòng Văn hóa", "department", other)
    as_admin.post(f"/admin/units/{other.id}/delete", data={"csrf_token": token})
    assert "This unit still has sub-units" in as_admin.get("/admin/units").get_data(as_text=True)
    assert db.session.get(Unit, other.id) is not None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.delete")) is None


def test_delete_an_empty_unit(as_admin, tree):
    other = tree["other"]
    other_id = other.id
    confirm = as_admin.get(f"/admin/units/{other.id}/delete")
    assert confirm.status_code == 200 and 'class="button danger"' in confirm.get_data(as_text=True)
    token = csrf_token(as_admin, f"/admin/units/{other.id}/delete")
    response = as_admin.post(f"/admin/units/{other_id}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(Unit, other_id) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "unit.delete"))
    assert entry.before["name"] == "Xã Lâm Bình" and entry.target_id == other_id


def test_delete_without_csrf_does_nothing(as_admin, tree):
    other = tree["other"]
    as_admin.post(f"/admin/units/{other.id}/delete", data={})
    assert db.session.get(Unit, other.id) is not None


def test_refusal_message_in_vietnamese(as_admin, tree):
    """Vietnamese text (the message comes from the accounts catalog)."""
    token = csrf_token(as_admin, "/admin/units")
    as_admin.post(f"/admin/units/{tree['office'].id}/delete", data={"csrf_token": token})
    assert "Đơn vị này còn 1 người" in as_admin.get("/admin/units").get_data(as_text=True)
