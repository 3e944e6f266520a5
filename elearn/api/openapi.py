"""The OpenAPI 3 document for /api/v1; tests check it against the real routes."""
from __future__ import annotations


def document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "elearn API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "paths": {},
    }
