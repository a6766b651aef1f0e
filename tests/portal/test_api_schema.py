"""Schema-driven tests: schemathesis calls every operation of the OpenAPI schema, as each role
with a personal token (and anonymously), with valid and invalid input, and runs all of
schemathesis's default checks (no 5xx; only documented status codes, content types and
headers; bodies that match the schema; invalid input refused; the token really checked); and
no answer may carry another organisation's data.

Kept bounded (a few examples per operation) so the suite stays quick; raise
`SCHEMATHESIS_EXAMPLES` for a deeper local run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, note, settings
from schemathesis.config import SchemathesisConfig

from portal.tokens import api_token_create
from tests import factories

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
ROLES = ["anonymous", "business", "provider", "adviser"]
# Text only another organisation's pages could show; each role must never receive it.
SECRET_NEED = "HEMMELIG-BEHOV-ANNEN-BEDRIFT"
SECRET_DRAFT = "HEMMELIG-UTKAST-ANNEN-LEVERANDOR"
FORBIDDEN = {
    "anonymous": [SECRET_NEED, SECRET_DRAFT],
    "business": [SECRET_NEED, SECRET_DRAFT],
    "provider": [SECRET_NEED, SECRET_DRAFT],
    "adviser": [SECRET_DRAFT],
}


# Every default check runs. Two are told what the API answers besides their defaults: a
# schema-valid request may still break a rule the schema cannot express (a code that is
# unknown, `?municipality=0000`; the maximum below the minimum; a transition the object's
# state forbids) and gets a documented 400 or 409; a bulk upsert over 1 000 rows is a 413.
CONFIG = SchemathesisConfig.from_dict({"checks": {
    "positive_data_acceptance": {
        "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]},
    "negative_data_rejection": {
        "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413", "415",
                              "422", "428", "429"]},
}})


@pytest.fixture
def _in_test_transaction():
    """Requests go through the WSGI handler in this thread; like Django's test client, keep
    its request hooks from closing the test's database connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def tokens(db) -> dict[str, dict[str, str]]:
    business, provider = factories.BusinessFactory(), factories.ProviderFactory()
    users = {"business": factories.member_of(business), "provider": factories.member_of(provider)}
    adviser = factories.adviser()
    orgs = {"business": business, "provider": provider,
            "adviser": adviser.memberships.get().organisation}
    users["adviser"] = adviser
    # The callers' own data, so reads and writes have something real to work on.
    own_need = factories.NeedFactory(organisation=business)
    own_offer = factories.OfferFactory(provider=provider)
    factories.MatchFactory(need=own_need, offer=own_offer, status="proposed")
    # Someone else's: must never reach the roles above.
    other = factories.BusinessFactory(name="Annen bedrift AS")
    factories.NeedFactory(organisation=other, title=SECRET_NEED, description=SECRET_NEED)
    factories.NeedFactory(organisation=other, title=SECRET_NEED, status="draft")
    factories.OfferFactory(title=SECRET_DRAFT, description=SECRET_DRAFT, status="draft")
    headers = {"anonymous": {}}
    for role, user in users.items():
        secret = api_token_create(user=user, organisation=orgs[role], name="schemathesis").secret
        headers[role] = {"Authorization": f"Bearer {secret}"}
    return headers


def _load_schema():
    """The schema as the running portal serves it (generated without touching the database,
    so it can be loaded while pytest collects)."""
    from portal.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


schema = _load_schema()


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          phases=[Phase.generate],  # no schemathesis coverage phase: slow, and random cases suffice
          suppress_health_check=list(HealthCheck))
def test_every_operation_as_every_role(case, tokens, _in_test_transaction):
    for role in ROLES:
        note(f"as {role}")
        # Every default check: no 5xx, only documented status codes, content types and
        # headers, bodies that match the schema, and so on.
        response = case.call_and_validate(headers=tokens[role])
        for secret in FORBIDDEN[role]:
            assert secret not in response.text, f"{role} received another organisation's data"
