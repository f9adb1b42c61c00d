"""The OpenAPI 3 document of /api/v1, drawn from the models in schemas.py that also write the responses."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from webapp.api import DEFAULT_LIMIT, MAX_LIMIT, schemas

PAGES: tuple[type[schemas.Page[Any]], ...] = (schemas.FamilyPage, schemas.EntryPage, schemas.WorryScorePage, schemas.ReviewPage)


class OpenAPI30Schema(GenerateJsonSchema):
    """JSON Schema as OpenAPI 3.0 reads it: `nullable: true` rather than a `null` type, no per-field titles."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        if "$ref" in inner:  # OpenAPI 3.0 ignores anything beside a $ref
            return {"allOf": [inner], "nullable": True}
        return {**inner, "nullable": True}

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def components() -> dict[str, Any]:
    """Every schema the API sends, by name, as the response models serialise."""
    models: list[type[BaseModel]] = [*PAGES, schemas.Chronology, schemas.Error]
    _, top = models_json_schema(
        [(model, "serialization") for model in models],
        ref_template="#/components/schemas/{model}",
        schema_generator=OpenAPI30Schema,
    )
    defs: dict[str, Any] = top["$defs"]
    return defs


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schemas.Error)}}}


PAGING = [
    {"name": "since", "in": "query", "required": False, "description": "Only records created after this moment (ISO 8601).",
     "schema": {"type": "string", "format": "date-time"}},
    {"name": "limit", "in": "query", "required": False, "description": f"How many records at most (1-{MAX_LIMIT}, default {DEFAULT_LIMIT}).",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
    {"name": "cursor", "in": "query", "required": False, "description": "The next_cursor of the previous page.",
     "schema": {"type": "string"}},
]
FAMILY_ID = {"name": "family_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}


def _operation(summary: str, page: type[schemas.Page[Any]], *, family: bool) -> dict[str, Any]:
    responses = {
        "200": {"description": "A page of records, oldest first.", "content": {"application/json": {"schema": _ref(page)}}},
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
            "/families": _operation("The team's families and their members", schemas.FamilyPage, family=False),
            "/entries": _operation("Entries from all the team's families", schemas.EntryPage, family=False),
            "/families/{family_id}/entries": _operation("A family's entries", schemas.EntryPage, family=True),
            "/families/{family_id}/worry-scores": _operation("A family's worry scores", schemas.WorryScorePage, family=True),
            "/families/{family_id}/reviews": _operation("A family's reviews", schemas.ReviewPage, family=True),
            "/families/{family_id}/chronology": {
                "get": {
                    "summary": "A family's chronology: contacts the workers recorded and events, newest first",
                    "security": [{"bearer": []}],
                    "parameters": [FAMILY_ID],
                    "responses": {
                        "200": {"description": "The whole chronology.", "content": {"application/json": {"schema": _ref(schemas.Chronology)}}},
                        "401": _error("No valid token."),
                        "404": _error("No such family in this token's team."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token made by a team manager."}},
            "schemas": components(),
        },
    }
