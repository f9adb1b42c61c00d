"""The JSON API for case management systems: /api/v1 (views.py), its tokens and its OpenAPI document."""

# The query parameters every list takes: views.py reads them with these bounds, openapi.py describes them.
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
