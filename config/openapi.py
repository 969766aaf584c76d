"""The OpenAPI schema's answers: besides what each view declares, every operation documents the errors the
API really gives, so that a client (and schemathesis) knows them: 400 for a bad request, 401 without a
valid token, 403 without the right, 404 for an unknown object, 429 when throttled."""

from drf_spectacular.openapi import AutoSchema

ERROR = {
    "type": "object",
    "description": "`detail` says what is wrong; a refused field is named by its key, with its messages.",
    "additionalProperties": True,
    "properties": {"detail": {"type": "string"}},
}
ERRORS = {
    "400": "The request is not valid: the message, or the report, says why; nothing was written",
    "401": "No valid token or session",
    "403": "The user may not do this",
    "404": "No such project, collection or task (or one the user may not see)",
    "429": "Too many requests: wait Retry-After seconds",
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            responses.setdefault(code, {
                "description": description,
                "content": {"application/json": {"schema": ERROR}},
            })
        return responses


SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}


def slug_patterns(result, generator, request, public):
    """drf-spectacular hook: a `slug` path parameter matches only what Django's slug converter accepts."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "slug":
                    parameter["schema"] = dict(SLUG)
    return result
