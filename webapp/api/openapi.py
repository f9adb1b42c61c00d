"""The OpenAPI 3 document of /api/v1. The tests check every response against it."""

from __future__ import annotations

from functools import cache
from typing import Any

NULLABLE_TIME = {"type": "string", "format": "date-time", "nullable": True}
TIME = {"type": "string", "format": "date-time"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}


MEMBER = _object({
    "id": {"type": "integer"},
    "display_name": {"type": "string"},
    "role": {"type": "string", "enum": ["young_person", "parent"]},
    "age_band": {"type": "string"},
    "preferred_language": {"type": "string"},
    "restricted": {"type": "boolean"},
})
FAMILY = _object({
    "id": {"type": "integer"},
    "name": {"type": "string"},
    "reference": {"type": "string", "nullable": True},
    "lead_worker": {"type": "string"},
    "created_at": TIME,
    "closed_at": NULLABLE_TIME,
    "members": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}},
})
REPLY = _object({"author": {"type": "string"}, "body": {"type": "string"}, "created_at": TIME})
ENTRY = _object({
    "id": {"type": "integer"},
    "family_id": {"type": "integer"},
    "member_id": {"type": "integer"},
    "kind": {"type": "string"},
    "answers": {"type": "object", "additionalProperties": {"type": "string"}},
    "feeling": {"type": "string", "nullable": True},
    "language": {"type": "string"},
    "shared_with_family": {"type": "boolean"},
    "urgent": {"type": "boolean"},
    "created_at": TIME,
    "read_at": NULLABLE_TIME,
    "replies": {"type": "array", "items": {"$ref": "#/components/schemas/Reply"}},
})
SCORE = _object({
    "id": {"type": "integer"},
    "worry_id": {"type": "integer"},
    "worry": {"type": "string"},
    "member_id": {"type": "integer"},
    "score": {"type": "integer", "minimum": 0, "maximum": 10},
    "one_point_higher": {"type": "string"},
    "created_at": TIME,
})
REVIEW_ITEM = _object({
    "member_id": {"type": "integer"},
    "source": {"type": "string", "enum": ["entry", "worry", "comment", "photo"]},
    "quote": {"type": "object", "additionalProperties": True},
})
REVIEW = _object({
    "id": {"type": "integer"},
    "period_start": {"type": "string", "format": "date"},
    "period_end": {"type": "string", "format": "date"},
    "status": {"type": "string", "enum": ["draft", "final"]},
    "analysis": {"type": "object", "additionalProperties": {"type": "string"}},
    "created_at": TIME,
    "finalised_at": NULLABLE_TIME,
    "items": {"type": "array", "items": {"$ref": "#/components/schemas/ReviewItem"}},
})
ERROR = _object({"error": {"type": "string"}})


def _page_of(schema: str) -> dict[str, Any]:
    return _object({
        "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
        "next_cursor": {"type": "string", "nullable": True},
    })


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


PAGING = [
    {"name": "since", "in": "query", "required": False, "description": "Only records created after this moment (ISO 8601).",
     "schema": {"type": "string", "format": "date-time"}},
    {"name": "limit", "in": "query", "required": False, "description": "How many records at most (1-200, default 50).",
     "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
    {"name": "cursor", "in": "query", "required": False, "description": "The next_cursor of the previous page.",
     "schema": {"type": "string"}},
]
FAMILY_ID = {"name": "family_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}


def _operation(summary: str, page_of: str, *, family: bool) -> dict[str, Any]:
    responses = {
        "200": {"description": "A page of records, oldest first.", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{page_of}Page"}}}},
        "400": _error("A parameter is not valid."),
        "401": _error("No valid token."),
    }
    if family:
        responses["404"] = _error("No such family in this token's team.")
    return {
        "get": {
            "summary": summary,
            "security": [{"bearer": []}],
            "parameters": ([FAMILY_ID] if family else []) + PAGING,
            "responses": responses,
        }
    }


@cache
def document() -> dict[str, Any]:
    """The document, built once; callers must not change it."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Family Voice API",
            "version": "1.0.0",
            "description": "What young people and parents sent, for a case management system. A token reads one team's families.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/families": _operation("The team's families and their members", "Family", family=False),
            "/entries": _operation("Entries from all the team's families", "Entry", family=False),
            "/families/{family_id}/entries": _operation("A family's entries", "Entry", family=True),
            "/families/{family_id}/worry-scores": _operation("A family's worry scores", "WorryScore", family=True),
            "/families/{family_id}/reviews": _operation("A family's reviews", "Review", family=True),
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token made by a team manager."}},
            "schemas": {
                "Member": MEMBER,
                "Family": FAMILY,
                "Reply": REPLY,
                "Entry": ENTRY,
                "WorryScore": SCORE,
                "ReviewItem": REVIEW_ITEM,
                "Review": REVIEW,
                "Error": ERROR,
                "FamilyPage": _page_of("Family"),
                "EntryPage": _page_of("Entry"),
                "WorryScorePage": _page_of("WorryScore"),
                "ReviewPage": _page_of("Review"),
            },
        },
    }
