"""Completes the OpenAPI schema with the error answers every endpoint can give."""

MESSAGES = {"type": "array", "items": {"type": "string"}}
ERRORS = {
    "ValidationError": {
        "type": "object",
        "description": "What was wrong, per field, in words a person can act on (nested for "
        "nested fields; `detail` for the request as a whole).",
        "additionalProperties": {"anyOf": [MESSAGES, {"type": "string"}, {"type": "object"}]},
        "example": {"species": ["Unknown species 'unicorn'; see /api/v1/species/ for the valid "
                                "values."]},
    },
    "ErrorDetail": {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
        "example": {"detail": "Not found."},
    },
    "Conflict": {
        "type": "object",
        "required": ["detail", "current"],
        "properties": {
            "detail": {"type": "string"},
            "current": {"type": "object", "description": "What is stored now."},
        },
    },
}  # fmt: skip


def _response(description: str, component: str) -> dict:
    schema = {"$ref": f"#/components/schemas/{component}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    """Documents the 4xx answers DRF and the services give, so clients can rely on them."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERRORS)
    for path, operations in result.get("paths", {}).items():
        is_detail = path.rstrip("/").endswith("}")
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if method != "get" or not is_detail:
                responses.setdefault("400", _response("The request is invalid.", "ValidationError"))
            responses.setdefault("401", _response("The token given is not valid.", "ErrorDetail"))
            responses.setdefault(
                "403", _response("Not allowed (the reason is given).", "ErrorDetail")
            )
            responses.setdefault(
                "404", _response("No such object, or past the last page.", "ErrorDetail")
            )
            responses.setdefault("429", _response("Too many requests; retry later.", "ErrorDetail"))
            if method in {"put", "patch"}:
                conflict = "Saved by someone else since you loaded it; nothing was overwritten."
                responses.setdefault("409", _response(conflict, "Conflict"))
    return result
