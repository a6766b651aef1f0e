"""The OpenAPI schema's error answers: every operation lists the 4xx it can really give, each
with the JSON body the API sends (DRF's `{"detail": …}`, or field-by-field errors for a 400).

Most codes follow from what the view is (a body to parse, query parameters to validate, a
path id, a login, throttles); the few that depend on the domain (409 for a transition the
object's state does not allow, 413 for the bulk upsert) are named by the view in
`api_errors`. The schema-driven test holds the schema to this: an undocumented status fails.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions

ERROR = {
    "type": "object",
    "description": "What went wrong, in the request's language (`Accept-Language`).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Not found."},
}

_MESSAGES = {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}}
VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Field-by-field errors: each invalid field of the body, or query parameter, names its "
        "messages (a list field's errors by position). `non_field_errors` is about the input "
        "as a whole; `detail` says why a body could not be read at all."),
    "properties": {"detail": {"type": "string"}, "non_field_errors": _MESSAGES},
    "additionalProperties": {"anyOf": [_MESSAGES, {"type": "object"}]},
    "example": {"municipality": ["Unknown municipality code 0000."],
                "participants": ["Ensure this value is greater than or equal to 1."]},
}

CSV_ERROR = {"type": "string", "description": "`field,message` rows, one per message."}

DESCRIPTIONS = {
    400: "Invalid input: the body or a query parameter, field by field.",
    401: "No valid token: missing, unknown, expired or revoked "
         "(`WWW-Authenticate: Bearer`).",
    403: "Logged in, but this role or organisation may not do this.",
    404: "No such object, or one the caller may not see (also a stale page or cursor).",
    406: "The `Accept` header names no format this operation answers in (JSON; CSV too "
         "for lists).",
    409: "The object's current state does not allow this change (e.g. a transition that is "
         "not allowed), or another request changed it at the same time.",
    413: "The request is too large.",
    415: "The body is not JSON (`Content-Type: application/json`).",
    429: "Too many requests: wait the seconds in `Retry-After`.",
}

# Query parameters whose bad value is a 404, not a 400: DRF's paginators, and the renderer
# override (`?response_format=` naming no renderer).
NOT_FOUND_PARAMS = {"cursor", "page", "response_format"}


class PortalAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and not parameter.get("required"):
                # `?area=` is the same as no `area` (as an HTML form sends an unset filter).
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        for code in sorted(self.error_statuses(operation)):
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    self._error_component(code).ref, str(code))
                responses[str(code)]["description"] = DESCRIPTIONS[code]
                if "text/csv" in responses[str(code)].get("content", {}):
                    responses[str(code)]["content"]["text/csv"] = {"schema": CSV_ERROR}
                if code == 429:
                    responses["429"]["headers"] = {"Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds until the next request is allowed."}}
        return operation

    def get_auth(self) -> list[dict]:
        """A read that anyone may make (the public catalogue) lists "no login" as an option,
        as drf-spectacular does for AllowAny."""
        auths = super().get_auth()
        open_read = self.method in permissions.SAFE_METHODS and any(
            getattr(p, "reads_are_open", False) for p in self.view.permission_classes)
        if open_read and {} not in auths:
            auths.append({})
        return auths

    def error_statuses(self, operation: dict) -> set[int]:
        view, unsafe = self.view, self.method not in permissions.SAFE_METHODS
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        codes: set[int] = {406}  # content negotiation: every operation
        if "requestBody" in operation:
            codes |= {400, 413, 415}
        if query - NOT_FOUND_PARAMS:
            codes.add(400)
        in_path = any(p["in"] == "path" for p in operation.get("parameters", []))
        if in_path or query & NOT_FOUND_PARAMS:
            codes.add(404)
        from .api_auth import BearerTokenAuthentication

        if any(issubclass(a, BearerTokenAuthentication) for a in view.authentication_classes):
            codes.add(401)  # a token can always be wrong, even where none is needed
        gated = [p for p in view.permission_classes
                 if not issubclass(p, (permissions.AllowAny, permissions.IsAuthenticated))
                 and not getattr(p, "reads_are_open", False)]
        if view.authentication_classes and (unsafe or gated):
            codes.add(403)  # the role or organisation (and CSRF for a session's write)
        if view.throttle_classes:
            codes.add(429)
        if unsafe:
            codes |= set(getattr(view, "api_errors", ()))
        return codes

    def _error_component(self, code: int) -> ResolvedComponent:
        name, schema = ("ValidationError", VALIDATION_ERROR) if code == 400 else (
            "Error", ERROR)
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA,
                                      schema=schema, object=name)
        self.registry.register_on_missing(component)
        return component
