"""The OpenAPI 3 document for /api/v1; tests check it against the real routes and answers.

Every route added to the API blueprint must be described here: tests/web/test_api.py compares the
documented paths and methods with app.url_map, and the answers with the component schemas.
"""
from __future__ import annotations

from elearn.accounts import domain
from elearn.core.errors import API_CODES
from elearn.core.pagination import MAX_PER_PAGE


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict:
    return {str(status): {"$ref": f"#/components/responses/{API_CODES[status]}"} for status in statuses}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _id_param(what: str) -> dict:
    return {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1},
            "description": f"The {what}'s id."}


def _nullable(schema: dict) -> dict:
    schema = {**schema, "nullable": True}
    if "enum" in schema:  # OpenAPI 3.0: null must also be listed among the allowed values
        schema["enum"] = [*schema["enum"], None]
    return schema


_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_TIME = {"type": "string", "format": "date-time"}
_NULL = {"type": "object", "nullable": True, "enum": [None]}  # OpenAPI 3.0's way to say "or null"

# Codes beyond the HTTP status ones (API_CODES): a program can tell these situations apart.
SPECIFIC_CODES = {
    "csrf_failed": "A browser form without its CSRF token (not used with tokens).",
    "enrolment_refused": "Self-enrolment refused; `details.reasons` lists why.",
    "not_enrolled": "Only enrolled learners record progress.",
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string", "enum": sorted(set(API_CODES.values()) | set(SPECIFIC_CODES)),
                             "description": "Stable, machine-readable; programs branch on this."},
                    "message": {"type": "string", "description": "Human-readable English explanation."},
                    "details": {"type": "object",
                                "additionalProperties": {"anyOf": [{"type": "string"},
                                                                   {"type": "array", "items": {"type": "string"}}]},
                                "description": "For `invalid`: the problem with each parameter or field (a "
                                               "string); for `enrolment_refused`: `reasons`, a list of sentences."},
                },
            },
        },
    },
    "UnitRef": {
        "type": "object",
        "required": ["id", "code", "name"],
        "properties": {"id": _INT, "code": _STR, "name": _STR},
    },
    "Unit": {
        "type": "object",
        "required": ["id", "code", "name", "kind", "parent_id"],
        "properties": {
            "id": _INT,
            "code": {"type": "string", "description": "Stable key used by imports."},
            "name": _STR,
            "kind": {"type": "string", "enum": [str(k) for k in domain.UnitKind]},
            "parent_id": _nullable({"type": "integer", "description": "null for a top-level unit."}),
        },
    },
    "UnitDetail": {
        "allOf": [
            _ref("Unit"),
            {
                "type": "object",
                "required": ["path", "children_ids"],
                "properties": {
                    "path": {"type": "array", "items": _ref("UnitRef"),
                             "description": "From the top-level unit down to this one."},
                    "children_ids": {"type": "array", "items": _INT},
                    "people_count": {"type": "integer",
                                     "description": "People in this unit itself (administrators only)."},
                    "people_count_with_sub_units": {
                        "type": "integer",
                        "description": "People in this unit and all below it (administrators only)."},
                },
            },
        ],
    },
    "UnitList": {
        "type": "object",
        "required": ["items", "total"],
        "properties": {"items": {"type": "array", "items": _ref("Unit")}, "total": _INT},
    },
    "Profile": {
        "type": "object",
        "description": "The cadre profile the training office reports on.",
        "required": ["unit", "position", "job_position", "gender", "ethnicity", "birth_year", "party_member",
                     "party_joined_year", "theory_level", "education_level", "categories"],
        "properties": {
            "unit": _ref("UnitRef"),
            "position": {"type": "string", "description": "Chức danh."},
            "job_position": {"type": "string", "description": "Vị trí việc làm."},
            "gender": _nullable({"type": "string", "enum": [str(g) for g in domain.Gender]}),
            "ethnicity": _nullable({"type": "string", "description": "One of Vietnam's 54 officially named groups."}),
            "birth_year": _nullable(_INT),
            "party_member": _BOOL,
            "party_joined_year": _nullable(_INT),
            "theory_level": {"type": "string", "enum": [str(t) for t in domain.TheoryLevel],
                             "description": "Political-theory level (lý luận chính trị)."},
            "education_level": _nullable({"type": "string", "enum": [str(e) for e in domain.EducationLevel]}),
            "categories": {"type": "array",
                           "items": {"type": "string", "enum": [str(c) for c in domain.Category]},
                           "description": "Management categories."},
        },
    },
    "User": {
        "type": "object",
        "required": ["id", "username", "full_name", "email", "active", "roles", "locale", "created_at",
                     "last_login_at", "profile"],
        "properties": {
            "id": _INT,
            "username": _STR,
            "full_name": _STR,
            "email": _nullable({"type": "string", "format": "email"}),
            "active": _BOOL,
            "roles": {"type": "array", "items": {"type": "string", "enum": [str(r) for r in domain.Role]}},
            "locale": _nullable({"type": "string", "description": "null: the site default (Vietnamese)."}),
            "created_at": _TIME,
            "last_login_at": _nullable(_TIME),
            "profile": {"anyOf": [_ref("Profile"), _NULL],
                        "description": "null for accounts without a cadre profile."},
        },
    },
    "Page": {
        "type": "object",
        "description": "The envelope of every paginated list.",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": {}},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "description": "Items matching the filters, on all pages."},
            "pages": {"type": "integer", "description": "Number of pages (0 when nothing matches)."},
        },
    },
    "UserPage": {
        "allOf": [
            _ref("Page"),
            {"type": "object", "properties": {"items": {"type": "array", "items": _ref("User")}}},
        ],
    },
}

_ERROR_TEXT = {
    400: "Bad request.",
    401: "No token, or the token is unknown, revoked, or belongs to a disabled account.",
    403: "The token's owner is not allowed to do this.",
    404: "Nothing with this id, or no such route.",
    405: "The route does not accept this method.",
    422: "Invalid parameters; `error.details` names each one.",
    429: "Too many calls; wait the number of seconds in the Retry-After header.",
}

RESPONSES = {API_CODES[status]: _json(_ref("Error"), text) for status, text in _ERROR_TEXT.items()}

_PAGE_PARAMS = [
    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 25},
           "Items per page."),
]


def _paths() -> dict:
    common = (401, 429)
    return {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document",
                "tags": ["meta"],
                "security": [],
                "responses": {"200": {"description": "The OpenAPI 3.0 document.",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              **_errors(429)},
            },
        },
        "/me": {
            "get": {
                "operationId": "getMe",
                "summary": "The token's owner, with roles and cadre profile",
                "tags": ["accounts"],
                "responses": {"200": _json(_ref("User"), "The current user."), **_errors(*common)},
            },
        },
        "/units": {
            "get": {
                "operationId": "listUnits",
                "summary": "The organisation tree as a flat list",
                "description": "Without a filter, every unit in tree order: parents before their children, "
                               "siblings by name.",
                "tags": ["units"],
                "parameters": [
                    _query("parent_id", {"type": "string", "pattern": "^([0-9]+|none)$"},
                           "Only the direct children of this unit; `none` for the top-level units."),
                ],
                "responses": {"200": _json(_ref("UnitList"), "The units."), **_errors(*common, 422)},
            },
        },
        "/units/{id}": {
            "get": {
                "operationId": "getUnit",
                "summary": "One unit, its path and children (and people counts for administrators)",
                "tags": ["units"],
                "parameters": [_id_param("unit")],
                "responses": {"200": _json(_ref("UnitDetail"), "The unit."), **_errors(*common, 404)},
            },
        },
        "/users": {
            "get": {
                "operationId": "listUsers",
                "summary": "People, filtered and paginated (administrators only)",
                "tags": ["accounts"],
                "parameters": [
                    _query("unit_id", {"type": "integer", "minimum": 1}, "Only people of this unit."),
                    _query("include_sub", {"type": "string", "enum": ["1", "0", "true", "false", "yes", "no"]},
                           "With `unit_id`: include the people of every unit below it."),
                    _query("role", {"type": "string", "enum": [str(r) for r in domain.Role]}, "Only this role."),
                    _query("category", {"type": "string", "enum": [str(c) for c in domain.Category]},
                           "Only this management category."),
                    _query("active", {"type": "string", "enum": ["1", "0", "true", "false", "yes", "no"]},
                           "Only enabled (1) or disabled (0) accounts."),
                    _query("q", {"type": "string"},
                           "Part of the full name or username; diacritics and case are ignored (`nguyen van` finds "
                           "`Nguyễn Văn An`)."),
                    *_PAGE_PARAMS,
                ],
                "responses": {"200": _json(_ref("UserPage"), "One page of people, ordered by name."),
                              **_errors(*common, 403, 422)},
            },
        },
        "/users/{id}": {
            "get": {
                "operationId": "getUser",
                "summary": "One person (administrators; anyone for themself)",
                "tags": ["accounts"],
                "parameters": [_id_param("user")],
                "responses": {"200": _json(_ref("User"), "The person."), **_errors(*common, 403, 404)},
            },
        },
    }


def document() -> dict:
    from elearn.api import (  # they build on the helpers above
        openapi_assignments,
        openapi_certificates,
        openapi_courses,
        openapi_documents,
        openapi_forums,
        openapi_live,
        openapi_quizzes,
    )

    return {
        "openapi": "3.0.3",
        "info": {
            "title": "elearn API",
            "version": "1",
            "description": "People, units and courses (catalogue, outline, lessons, enrolment, progress) for "
                           "other programs of the training office and mobile clients. "
                           "Authenticate with a personal access token created on your account page "
                           "(`Authorization: Bearer <token>`). Errors are JSON: "
                           "`{\"error\": {\"code\": ..., \"message\": ...}}`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": "accounts"}, {"name": "units"}, {"name": "courses"}, {"name": "certificates"},
                 {"name": "assignments"}, {"name": "documents"}, {"name": "forums"}, {"name": "quizzes"}, {"name": "live"},
                 {"name": "meta"}],
        "paths": {**_paths(), **openapi_courses.paths(), **openapi_certificates.paths(), **openapi_assignments.paths(),
                  **openapi_documents.paths(), **openapi_forums.paths(), **openapi_quizzes.paths(),
                  **openapi_live.paths()},
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "A personal access token (starts with `elt_`)."},
            },
            "schemas": {**SCHEMAS, **openapi_courses.SCHEMAS, **openapi_certificates.SCHEMAS, **openapi_assignments.SCHEMAS,
                        **openapi_documents.SCHEMAS, **openapi_forums.SCHEMAS, **openapi_quizzes.SCHEMAS,
                        **openapi_live.SCHEMAS},
            "responses": RESPONSES,
        },
    }
