"""The certificates part of the OpenAPI document: schemas and paths, merged into openapi.document().

Shapes follow api/certificates.py; tests/web/test_certificates_api.py checks answers against them and
tests/web/test_api.py checks the paths against the real routes.
"""
from __future__ import annotations

from elearn.api.openapi import _INT, _PAGE_PARAMS, _STR, _TIME, _errors, _id_param, _json, _nullable, _query, _ref
from elearn.certificates import domain

_DATE = {"type": "string", "format": "date"}
_STATUS = {"type": "string", "enum": [str(s) for s in domain.Status],
           "description": "valid; expired (past its validity date); revoked; replaced (a newer certificate was "
                          "issued for the same enrolment)."}


def _obj(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties)}
    if description:
        schema["description"] = description
    return schema


SCHEMAS = {
    "Certificate": _obj({
        "id": _INT,
        "serial": {"type": "string", "description": "Số hiệu, unique per issuer and year, e.g. TQ-2025-000123."},
        "status": _STATUS,
        "user_id": _INT,
        "full_name": {"type": "string", "description": "As printed (frozen at issue)."},
        "course_id": _INT,
        "course_code": _STR,
        "course_title": {"type": "string", "description": "As printed (frozen at issue)."},
        "enrolment_id": {"type": "integer", "description": "The enrolment the certificate was issued for."},
        "hours": {"type": "number", "minimum": 0},
        "result": {"type": "string", "description": "The result as printed."},
        "final_grade": _nullable({"type": "number", "minimum": 0, "maximum": 100,
                                  "description": "Final grade at issue (0..100); null when the course has none."}),
        "attendance_share": _nullable({"type": "number", "minimum": 0, "maximum": 1,
                                       "description": "Share of live-session time attended at issue."}),
        "started_on": _nullable(_DATE),
        "completed_on": _nullable(_DATE),
        "issued_at": _TIME,
        "expires_on": _nullable({**_DATE, "description": "Last day of validity; null: no expiry."}),
        "revoked_at": _nullable(_TIME),
        "revoke_reason": _nullable(_STR),
        "replaces_id": _nullable(_INT),
        "replaced_by_id": _nullable(_INT),
        "issuer_name": _STR,
        "verification_code": {"type": "string", "pattern": "^[A-Z2-7]{24}$",
                              "description": "Mã xác thực: 120 random bits, printed with the QR code."},
        "verify_url": {"type": "string", "description": "The public verification page the QR code points to."},
        "pdf_url": {"type": "string", "description": "The PDF (web route; needs a signed-in browser session)."},
    }),
    "CertificateList": _obj({"items": {"type": "array", "items": _ref("Certificate")}, "total": _INT}),
    "CertificatePage": {"allOf": [_ref("Page"), {"type": "object", "properties": {
        "items": {"type": "array", "items": _ref("Certificate")}}}]},
    "CertificateVerification": {
        "type": "object",
        "required": ["status"],
        "description": "Only what is needed to spot an edited PDF; nothing else personal. An unknown code has "
                       "only `status: unknown`.",
        "properties": {
            "status": {"type": "string", "enum": [*[str(s) for s in domain.Status], "unknown"]},
            "serial": _STR,
            "full_name": _STR,
            "course_title": _STR,
            "hours": {"type": "number"},
            "issued_on": _DATE,
            "completed_on": _nullable(_DATE),
            "issuer_name": _STR,
            "expires_on": _nullable(_DATE),
            "revoked_on": _nullable(_DATE),
        },
    },
}


def paths() -> dict:
    common = (401, 429)
    return {
        "/certificates/mine": {
            "get": {
                "operationId": "listMyCertificates",
                "summary": "The caller's certificates (every status), newest first",
                "tags": ["certificates"],
                "responses": {"200": _json(_ref("CertificateList"), "The caller's certificates."), **_errors(*common)},
            },
        },
        "/certificates": {
            "get": {
                "operationId": "listCertificates",
                "summary": "The certificate registry (administrators)",
                "tags": ["certificates"],
                "parameters": [
                    _query("q", {"type": "string", "maxLength": 100},
                           "Part of the name, serial, course or code; diacritics and case are ignored."),
                    _query("status", {"type": "string", "enum": [str(s) for s in domain.Status]}, "Only this status."),
                    _query("course_id", {"type": "integer", "minimum": 1}, "Only this course."),
                    _query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}, "Only this serial year."),
                    *_PAGE_PARAMS,
                ],
                "responses": {"200": _json(_ref("CertificatePage"), "One page of certificates, newest first."),
                              **_errors(*common, 403, 422)},
            },
        },
        "/certificates/{id}": {
            "get": {
                "operationId": "getCertificate",
                "summary": "One certificate (its owner or an administrator; 404 for anyone else)",
                "tags": ["certificates"],
                "parameters": [_id_param("certificate")],
                "responses": {"200": _json(_ref("Certificate"), "The certificate."), **_errors(*common, 404)},
            },
        },
        "/certificates/verify/{code}": {
            "get": {
                "operationId": "verifyCertificate",
                "summary": "Public verification by code (no token; rate-limited per address)",
                "description": "200 for a known code (valid, expired, revoked or replaced), 404 with "
                               "`{\"status\": \"unknown\"}` for a well-formed code that matches nothing, 400 for text "
                               "that cannot be a code. Shares its rate limit with the /verify/{code} web page.",
                "tags": ["certificates"],
                "security": [],
                "parameters": [{"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string", "maxLength": 64},
                                "description": "The verification code; dashes and spaces are ignored."}],
                "responses": {
                    "200": _json(_ref("CertificateVerification"), "The certificate's public details and status."),
                    "404": _json(_ref("CertificateVerification"), "No certificate has this code."),
                    **_errors(400, 429),
                },
            },
        },
    }
