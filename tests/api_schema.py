"""Validating real API responses against the OpenAPI schema the project publishes."""

from functools import cache

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:cami-api"


@cache
def _registry(schema_json: str) -> tuple[Registry, dict]:
    import json

    schema = json.loads(schema_json)
    resource = Resource.from_contents(schema, default_specification=DRAFT202012)
    return Registry().with_resource(BASE, resource), schema


def assert_matches_schema(
    schema_json: str, path: str, body, status: str = "200", method: str = "get"
) -> None:
    """`body` is what the published schema says `METHOD path` answers with `status`."""
    registry, schema = _registry(schema_json)
    assert path in schema["paths"], f"{path} is not in the published schema"
    pointer = "/".join(
        part.replace("~", "~0").replace("/", "~1")
        for part in ["paths", path, method, "responses", status, "content", "application/json",
                     "schema"]
    )  # fmt: skip
    validator = Draft202012Validator({"$ref": f"{BASE}#/{pointer}"}, registry=registry)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
