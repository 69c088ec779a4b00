"""Completes the OpenAPI schema with the error answers every endpoint can give."""

ERRORS = {
    "ValidationError": {
        "type": "object",
        "description": "What was wrong with each query parameter, in words a person can act on.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"species": ["Unknown species 'unicorn'; see /api/v1/species/ for the valid "
                                "values."]},
    },
    "ErrorDetail": {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
        "example": {"detail": "Not found."},
    },
}  # fmt: skip


def _response(description: str, component: str) -> dict:
    schema = {"$ref": f"#/components/schemas/{component}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    """Lists answer 400 for a bad filter and 404 for a page past the end; all can answer 401/429."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERRORS)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            is_detail = path.rstrip("/").endswith("}")
            if not is_detail:
                responses.setdefault(
                    "400", _response("A query parameter is invalid.", "ValidationError")
                )
            responses.setdefault("404", _response(
                "No such object." if is_detail else "The page is past the last one.", "ErrorDetail"
            ))  # fmt: skip
            responses.setdefault("401", _response("The token given is not valid.", "ErrorDetail"))
            responses.setdefault("429", _response("Too many requests; retry later.", "ErrorDetail"))
    return result
