"""The JSON API under /api/v1: tokens, errors, endpoints, and the OpenAPI document against the real routes."""
from __future__ import annotations

import copy
import re
from urllib.parse import quote

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec
from sqlalchemy import select

from elearn.accounts import domain, services
from elearn.accounts.models import ApiToken
from elearn.core import tokens
from elearn.extensions import db
from tests.conftest import csrf_token

API = "/api/v1"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def token_for(user) -> str:
    _row, secret = services.create_api_token(user, "test")
    return secret


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body


@pytest.fixture
def spec(client):
    return client.get(f"{API}/openapi.json").get_json()


def conforms(spec: dict, name: str, instance) -> None:
    """The answer has exactly the documented shape: no undocumented field, none missing, right types."""

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
            node = {k: inline(v) for k, v in node.items()}
            if "properties" in node and "allOf" not in node:
                node["additionalProperties"] = False
            return node
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    schema = inline(copy.deepcopy(spec["components"]["schemas"][name]))
    if "allOf" in schema:  # merge the parts, so that "no extra field" sees all of them
        merged = {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
        for part in schema["allOf"]:
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        schema = merged
    OAS30Validator(schema).validate(instance)


# --- authentication -------------------------------------------------------------------------

def test_no_token_is_401_json_with_code_unauthorized(client):
    r = client.get(f"{API}/me")
    assert_error(r, 401, "unauthorized")
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert_error(client.get(f"{API}/me", headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401, "unauthorized")
    assert_error(client.get(f"{API}/users"), 401, "unauthorized")


def test_unknown_and_revoked_tokens_are_401(client, factory):
    user = factory.user("cobtoken")
    assert_error(client.get(f"{API}/me", headers=bearer("elt_not-a-real-token")), 401, "unauthorized")
    row, secret = services.create_api_token(user, "script")
    assert client.get(f"{API}/me", headers=bearer(secret)).status_code == 200
    services.revoke_api_token(user, row)
    r = client.get(f"{API}/me", headers=bearer(secret))
    assert_error(r, 401, "unauthorized")
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]


def test_token_of_a_disabled_user_is_401(client, factory):
    user = factory.user("bikhoa")
    secret = token_for(user)
    assert client.get(f"{API}/me", headers=bearer(secret)).status_code == 200
    user.active = False  # even if the token itself was never revoked
    db.session.commit()
    assert_error(client.get(f"{API}/me", headers=bearer(secret)), 401, "unauthorized")


def test_disabling_through_the_service_revokes_tokens(client, factory):
    admin = factory.admin()
    user = factory.user("bikhoa2")
    secret = token_for(user)
    services.set_active(admin, user, False)
    services.set_active(admin, user, True)
    assert_error(client.get(f"{API}/me", headers=bearer(secret)), 401, "unauthorized")


def test_a_browser_session_does_not_authenticate_the_api(client, factory, login):
    user = factory.user("trinhduyet")
    login(user)
    assert client.get("/profile").status_code == 200
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


# --- errors ---------------------------------------------------------------------------------

def test_learner_token_on_users_is_403_json(client, factory):
    learner = factory.user("hocvien")
    other = factory.user("nguoikhac")
    secret = token_for(learner)
    assert_error(client.get(f"{API}/users", headers=bearer(secret)), 403, "forbidden")
    assert_error(client.get(f"{API}/users/{other.id}", headers=bearer(secret)), 403, "forbidden")
    # Ids that do not exist look the same as other people's: nothing to enumerate.
    assert_error(client.get(f"{API}/users/999999", headers=bearer(secret)), 403, "forbidden")
    assert client.get(f"{API}/users/{learner.id}", headers=bearer(secret)).get_json()["username"] == "hocvien"


def test_unknown_ids_and_routes_are_404_json(client, factory):
    secret = token_for(factory.admin())
    assert_error(client.get(f"{API}/users/999999", headers=bearer(secret)), 404, "not_found")
    assert_error(client.get(f"{API}/units/999999", headers=bearer(secret)), 404, "not_found")
    assert_error(client.get(f"{API}/nothing", headers=bearer(secret)), 404, "not_found")
    assert_error(client.get(f"{API}/nothing"), 404, "not_found")
    assert_error(client.get("/api/v2/me"), 404, "not_found")
    assert_error(client.get(f"{API}/users/abc", headers=bearer(secret)), 404, "not_found")


def test_wrong_method_is_405_json(client, factory):
    secret = token_for(factory.admin())
    r = client.post(f"{API}/me", headers=bearer(secret))
    assert_error(r, 405, "method_not_allowed")
    assert "GET" in r.headers["Allow"]
    assert_error(client.delete(f"{API}/users", headers=bearer(secret)), 405, "method_not_allowed")


def test_invalid_parameters_are_422_with_details(client, factory):
    secret = token_for(factory.admin())
    r = client.get(f"{API}/users?per_page=0&page=x&role=boss&category=vip&active=maybe&unit_id=abc&colour=red",
                   headers=bearer(secret))
    details = assert_error(r, 422, "invalid")["error"]["details"]
    assert set(details) == {"per_page", "page", "role", "category", "active", "unit_id", "colour"}
    details = assert_error(client.get(f"{API}/users?unit_id=999999", headers=bearer(secret)), 422, "invalid")
    assert "unit_id" in details["error"]["details"]
    assert_error(client.get(f"{API}/users?per_page=201", headers=bearer(secret)), 422, "invalid")
    assert_error(client.get(f"{API}/units?parent_id=abc", headers=bearer(secret)), 422, "invalid")


def test_too_many_calls_are_429_json(app, client, factory, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")
    secret = token_for(factory.user("voi"))
    assert client.get(f"{API}/me", headers=bearer(secret)).status_code == 200
    assert client.get(f"{API}/me", headers=bearer(secret)).status_code == 200
    r = client.get(f"{API}/me", headers=bearer(secret))
    assert_error(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) > 0
    # The budget is per token: another program is not blocked by this one.
    assert client.get(f"{API}/me", headers=bearer(token_for(factory.user("khac")))).status_code == 200


# --- endpoints ------------------------------------------------------------------------------

def test_me_has_roles_and_cadre_profile(client, factory, spec):
    province = factory.province()
    commune = factory.unit("Xã Minh Quang", "commune", province)
    user = factory.user("canbo", full_name="Nguyễn Văn An", roles=("learner", "lecturer"), unit=commune,
                        position="Bí thư Đảng ủy", categories={domain.Category.COMMUNE_SECRETARY},
                        party_member=True, party_joined_year=2010)
    r = client.get(f"{API}/me", headers=bearer(token_for(user)))
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    me = r.get_json()
    conforms(spec, "User", me)
    assert me["id"] == user.id and me["full_name"] == "Nguyễn Văn An"
    assert me["roles"] == ["learner", "lecturer"]
    assert me["profile"]["unit"] == {"id": commune.id, "code": commune.code, "name": "Xã Minh Quang"}
    assert me["profile"]["categories"] == ["commune_secretary"]
    assert me["profile"]["party_member"] is True and me["profile"]["position"] == "Bí thư Đảng ủy"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", me["created_at"])

    no_profile = client.get(f"{API}/me", headers=bearer(token_for(factory.admin()))).get_json()
    conforms(spec, "User", no_profile)
    assert no_profile["profile"] is None and no_profile["roles"] == ["admin"]


def test_units_flat_tree_and_parent_filter(client, factory, spec):
    province = factory.unit("Tỉnh Tuyên Quang", "province")
    ward = factory.unit("Phường Minh Xuân", "ward", province)
    agency = factory.unit("Sở Nội vụ", "agency", province)
    dept = factory.unit("Phòng Tổ chức", "department", agency)
    secret = token_for(factory.user("xemdonvi"))

    r = client.get(f"{API}/units", headers=bearer(secret))
    body = r.get_json()
    conforms(spec, "UnitList", body)
    assert [u["id"] for u in body["items"]] == [province.id, ward.id, agency.id, dept.id]  # parents first, by name
    assert body["total"] == 4
    assert {u["id"]: u["parent_id"] for u in body["items"]}[dept.id] == agency.id

    children = client.get(f"{API}/units?parent_id={province.id}", headers=bearer(secret)).get_json()["items"]
    assert [u["id"] for u in children] == [ward.id, agency.id]
    top = client.get(f"{API}/units?parent_id=none", headers=bearer(secret)).get_json()["items"]
    assert [u["id"] for u in top] == [province.id]


def test_unit_detail_has_children_and_people_count_for_admins_only(client, factory, spec):
    province = factory.unit("Tỉnh Tuyên Quang", "province")
    agency = factory.unit("Sở Nội vụ", "agency", province)
    dept = factory.unit("Phòng Tổ chức", "department", agency)
    factory.user(unit=agency)
    factory.user(unit=dept)
    factory.user(unit=dept)
    learner_view = client.get(f"{API}/units/{agency.id}", headers=bearer(token_for(factory.user()))).get_json()
    conforms(spec, "UnitDetail", learner_view)
    assert learner_view["children_ids"] == [dept.id]
    assert [u["id"] for u in learner_view["path"]] == [province.id, agency.id]
    assert "people_count" not in learner_view

    admin_view = client.get(f"{API}/units/{agency.id}", headers=bearer(token_for(factory.admin()))).get_json()
    conforms(spec, "UnitDetail", admin_view)
    assert admin_view["people_count"] == 1
    assert admin_view["people_count_with_sub_units"] == 3


@pytest.fixture
def people(factory):
    province = factory.unit("Tỉnh Tuyên Quang", "province")
    commune = factory.unit("Xã Minh Quang", "commune", province)
    other = factory.unit("Phường Hà Giang 1", "ward", province)
    an = factory.user("an", full_name="Nguyễn Văn An", unit=commune,
                      categories={domain.Category.COMMUNE_SECRETARY})
    binh = factory.user("binh", full_name="Trần Thị Bình", unit=province, roles=("lecturer",))
    cuong = factory.user("cuong", full_name="Nguyễn Vấn Cường", unit=other, active=False)
    admin = factory.admin()  # "Trần Thị Quản Trị", no profile
    return {"province": province, "commune": commune, "other": other, "an": an, "binh": binh, "cuong": cuong,
            "admin": admin, "secret": token_for(admin)}


def _names(client, secret, query: str) -> list[str]:
    r = client.get(f"{API}/users?{query}", headers=bearer(secret))
    assert r.status_code == 200, r.get_data(as_text=True)
    return [u["username"] for u in r.get_json()["items"]]


def test_admin_lists_users_with_filters(client, people, spec):
    secret = people["secret"]
    body = client.get(f"{API}/users", headers=bearer(secret)).get_json()
    conforms(spec, "UserPage", body)
    for item in body["items"]:
        conforms(spec, "User", item)
    assert [u["username"] for u in body["items"]] == ["an", "cuong", "binh", "admin"]  # by name, diacritics folded

    assert _names(client, secret, f"unit_id={people['province'].id}") == ["binh"]
    assert _names(client, secret, f"unit_id={people['province'].id}&include_sub=1") == ["an", "cuong", "binh"]
    assert _names(client, secret, f"unit_id={people['commune'].id}&include_sub=1") == ["an"]
    assert _names(client, secret, "role=lecturer") == ["binh"]
    assert _names(client, secret, "role=admin") == ["admin"]
    assert _names(client, secret, "category=commune_secretary") == ["an"]
    assert _names(client, secret, "active=0") == ["cuong"]
    assert _names(client, secret, "active=1&role=learner") == ["an"]


def test_name_search_ignores_diacritics_and_escapes_wildcards(client, people):
    secret = people["secret"]
    assert _names(client, secret, "q=" + quote("nguyen van")) == ["an", "cuong"]
    assert _names(client, secret, "q=" + quote("nguyen van an")) == ["an"]
    assert _names(client, secret, "q=" + quote("NGUYỄN  VĂN   AN")) == ["an"]
    assert _names(client, secret, "q=" + quote("tran thi")) == ["binh", "admin"]
    assert _names(client, secret, "q=admin") == ["admin"]  # the username matches too, as on the people page
    assert _names(client, secret, "q=%25") == []  # a literal "%", not a wildcard
    assert _names(client, secret, "q=_") == []


def test_users_are_paginated_with_an_envelope(client, factory, people):
    secret = people["secret"]
    for n in range(3):
        factory.user(f"them{n}", full_name=f"Lê Văn Thêm {n}")
    r = client.get(f"{API}/users?per_page=3&page=2", headers=bearer(secret)).get_json()
    assert {k: r[k] for k in ("page", "per_page", "total", "pages")} == {"page": 2, "per_page": 3, "total": 7,
                                                                          "pages": 3}
    assert len(r["items"]) == 3
    pages = [_names(client, secret, f"per_page=3&page={p}") for p in (1, 2, 3)]
    assert sum(pages, []) == _names(client, secret, "per_page=200")
    assert len(pages[2]) == 1
    beyond = client.get(f"{API}/users?per_page=3&page=9", headers=bearer(secret)).get_json()
    assert beyond["items"] == [] and beyond["total"] == 7
    default = client.get(f"{API}/users", headers=bearer(secret)).get_json()
    assert default["per_page"] == 25 and default["page"] == 1


def test_admin_reads_one_user(client, people, spec):
    r = client.get(f"{API}/users/{people['an'].id}", headers=bearer(people["secret"]))
    body = r.get_json()
    conforms(spec, "User", body)
    assert body["full_name"] == "Nguyễn Văn An" and body["profile"]["unit"]["id"] == people["commune"].id


# --- tokens through the profile page ---------------------------------------------------------

def test_token_flow_through_the_profile_page(app, client, factory, login):
    user = factory.user("laptrinh")
    login(user)
    r = client.post("/profile/tokens", data={"name": "bao cao", "csrf_token": csrf_token(client, "/profile")})
    assert r.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    match = re.search(r"(elt_[A-Za-z0-9_\-]{20,})", page)
    assert match, "the new token is shown on the profile page"
    secret = match.group(1)
    assert secret not in client.get("/profile").get_data(as_text=True)  # shown once only

    program = app.test_client()  # another program, no cookies
    r = program.get(f"{API}/me", headers=bearer(secret))
    assert r.status_code == 200 and r.get_json()["username"] == "laptrinh"

    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.last_used_at is not None and secret.startswith(row.prefix)
    r = client.post(f"/profile/tokens/{row.id}/revoke", data={"csrf_token": csrf_token(client, "/profile")})
    assert r.status_code == 302
    assert_error(program.get(f"{API}/me", headers=bearer(secret)), 401, "unauthorized")


def test_creating_a_token_needs_csrf(client, factory, login):
    login(factory.user("khongcsrf"))
    r = client.post("/profile/tokens", data={"name": "x"})
    assert r.status_code == 400
    assert db.session.scalar(select(ApiToken.id)) is None


def test_the_database_never_holds_the_secret(app, client, factory):
    user = factory.user("baomat")
    row, secret = services.create_api_token(user, "script")
    assert client.get(f"{API}/me", headers=bearer(secret)).status_code == 200
    assert row.token_hash == tokens.digest(secret) and row.token_hash != secret
    body = secret[len(row.prefix):]  # the part that is never shown again
    for table in db.metadata.sorted_tables:
        for record in db.session.execute(table.select()).all():
            assert not any(body in str(value) for value in record), f"secret found in {table.name}"


# --- the OpenAPI document -------------------------------------------------------------------

def _flask_rule(path: str, operations: dict) -> str:
    """/users/{id} -> /api/v1/users/<int:id> (integer path parameters) or <id> (strings)."""
    kinds = {}
    for operation in operations.values():
        for param in operation.get("parameters", []):
            if param["in"] == "path":
                kinds[param["name"]] = "int:" if param["schema"]["type"] == "integer" else ""
    return API + re.sub(r"\{(\w+)\}", lambda m: f"<{kinds[m.group(1)]}{m.group(1)}>", path)


def test_openapi_document_is_public_and_valid(client, spec):
    r = client.get(f"{API}/openapi.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    validate_spec(spec)  # raises on any structural error
    assert spec["openapi"].startswith("3.0")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]
    assert {"User", "Profile", "Unit", "Error", "Page"} <= set(spec["components"]["schemas"])


def test_openapi_paths_are_exactly_the_api_routes(app, spec):
    documented = {_flask_rule(path, ops): ops for path, ops in spec["paths"].items()}
    routes = {rule.rule: rule for rule in app.url_map.iter_rules() if rule.rule.startswith(API + "/")}
    assert set(documented) == set(routes)
    for rule_text, ops in documented.items():
        served = routes[rule_text].methods - {"HEAD", "OPTIONS"}
        assert {m.upper() for m in ops} == served, rule_text
        for method, operation in ops.items():
            assert operation["responses"], (rule_text, method)
            assert "200" in operation["responses"]
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(routes[rule_text].arguments), rule_text


def test_every_protected_operation_documents_401(spec):
    for path, ops in spec["paths"].items():
        for method, operation in ops.items():
            public = operation.get("security") == []
            assert public or "401" in operation["responses"], (path, method)


def test_error_answers_match_the_error_schema(client, factory, spec):
    secret = token_for(factory.user())
    for r in (client.get(f"{API}/me"), client.get(f"{API}/users", headers=bearer(secret)),
              client.get(f"{API}/units/0", headers=bearer(secret)), client.post(f"{API}/units"),
              client.get(f"{API}/users?page=0", headers=bearer(token_for(factory.admin())))):
        conforms(spec, "Error", r.get_json())

