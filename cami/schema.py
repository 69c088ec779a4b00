"""Completes the OpenAPI schema with the error answers every endpoint can give.

Descriptions are in the language the schema is asked for (drf-spectacular's `?lang=`).
"""

from django.utils.translation import gettext as _

MESSAGES = {"type": "array", "items": {"type": "string"}}


def _errors() -> dict:
    unknown = _("Unknown species '%(value)s'; see /api/v1/species/ for the valid values.")
    return {
        "ValidationError": {
            "type": "object",
            "description": _("What was wrong, per field, in words a person can act on (nested "
                             "for nested fields; `detail` for the request as a whole)."),
            "additionalProperties": {"anyOf": [MESSAGES, {"type": "string"}, {"type": "object"}]},
            "example": {"species": [unknown % {"value": "unicorn"}]},
        },
        "ErrorDetail": {
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}},
            "example": {"detail": _("Not found.")},
        },
        "Conflict": {
            "type": "object",
            "required": ["detail", "current"],
            "properties": {
                "detail": {"type": "string"},
                "current": {"type": "object", "description": _("What is stored now.")},
            },
        },
    }  # fmt: skip


def _response(description: str, component: str) -> dict:
    schema = {"$ref": f"#/components/schemas/{component}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    """Documents the 4xx answers DRF and the services give, so clients can rely on them."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(_errors())
    for path, operations in result.get("paths", {}).items():
        is_detail = path.rstrip("/").endswith("}")
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            # A detail's GET can refuse only a language it does not speak.
            asks_language = any(p["name"] == "lang" for p in operation.get("parameters", []))
            if method != "get" or not is_detail or asks_language:
                responses.setdefault(
                    "400", _response(_("The request is invalid."), "ValidationError")
                )
            if asks_language:  # an operation's own 400 may be a refused language too
                body = responses["400"].get("content", {}).get("application/json", {})
                refused = {"$ref": "#/components/schemas/ValidationError"}
                if body.get("schema", refused) != refused:
                    body["schema"] = {"anyOf": [body["schema"], refused]}
            responses.setdefault(
                "401", _response(_("The token given is not valid."), "ErrorDetail")
            )
            responses.setdefault(
                "403", _response(_("Not allowed (the reason is given)."), "ErrorDetail")
            )
            responses.setdefault(
                "404", _response(_("No such object, or past the last page."), "ErrorDetail")
            )
            responses.setdefault(
                "429", _response(_("Too many requests; retry later."), "ErrorDetail")
            )
            if method in {"put", "patch"}:
                conflict = _("Saved by someone else since you loaded it; nothing was overwritten.")
                responses.setdefault("409", _response(conflict, "Conflict"))
    return result
