"""Who may call each API operation, by role, with personal tokens: the answer for every
(operation, role) pair. 401 without a token, 403 for the wrong role, 404 for another
organisation's object; the trust issue's matrix covers the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.tokens import api_token_create
from tests import factories

pytestmark = pytest.mark.django_db

OFFER = {"title": "Sveis", "areas": ["industri.sveising"], "level": "course", "hours": 8,
         "format": "local"}
NEED = {"area": "skog.motorsag", "participants": 2, "formats": ["local"]}
ROLES = ("anonymous", "business", "provider", "adviser")

# (name, method, url, body) -> expected status for anonymous, business, provider, adviser.
MATRIX = [
    ("read catalogue", "get", lambda w: reverse("api-offers"), None, (200, 200, 200, 200)),
    ("read offer", "get", lambda w: reverse("api-offer", args=[w["offer"].pk]), None,
     (200, 200, 200, 200)),
    ("read municipalities", "get", lambda w: reverse("api-municipalities"), None,
     (200, 200, 200, 200)),
    ("read competence areas", "get", lambda w: reverse("api-competence-areas"), None,
     (200, 200, 200, 200)),
    ("read survey rounds", "get", lambda w: reverse("api-rounds"), None, (200, 200, 200, 200)),
    ("read barometer", "get", lambda w: reverse("api-barometer"), None, (200, 200, 200, 200)),
    ("create offer", "post", lambda w: reverse("api-offers"), OFFER, (401, 403, 201, 403)),
    ("edit own offer", "patch", lambda w: reverse("api-offer", args=[w["offer"].pk]),
     {"title": "Ny"}, (401, 403, 200, 403)),
    ("replace own offer", "put", lambda w: reverse("api-offer", args=[w["offer"].pk]),
     OFFER, (401, 403, 200, 403)),
    ("publish offer", "post", lambda w: reverse("api-offer-publish", args=[w["offer"].pk]),
     None, (401, 403, 200, 403)),
    ("edit other's offer", "patch", lambda w: reverse("api-offer", args=[w["other_offer"].pk]),
     {"title": "Ny"}, (401, 403, 404, 403)),
    ("archive offer", "post", lambda w: reverse("api-offer-archive", args=[w["offer"].pk]),
     None, (401, 403, 200, 403)),
    ("unpublish offer", "post", lambda w: reverse("api-offer-unpublish", args=[w["offer"].pk]),
     None, (401, 403, 200, 403)),
    ("bulk upsert", "put", lambda w: reverse("api-offers-bulk"),
     [{**OFFER, "external_id": "X1"}], (401, 403, 200, 403)),
    ("read needs", "get", lambda w: reverse("api-needs"), None, (401, 200, 200, 200)),
    ("read own need", "get", lambda w: reverse("api-need", args=[w["need"].pk]), None,
     (401, 200, 404, 200)),
    ("create need", "post", lambda w: reverse("api-needs"), NEED, (401, 201, 403, 403)),
    ("edit own need", "patch", lambda w: reverse("api-need", args=[w["need"].pk]),
     {"participants": 3}, (401, 200, 403, 403)),
    ("replace own need", "put", lambda w: reverse("api-need", args=[w["need"].pk]), NEED,
     (401, 200, 403, 403)),
    ("submit need", "post", lambda w: reverse("api-need-submit", args=[w["draft_need"].pk]),
     None, (401, 200, 403, 403)),
    ("edit other's need", "patch", lambda w: reverse("api-need", args=[w["other_need"].pk]),
     {"participants": 3}, (401, 404, 403, 403)),
    ("withdraw need", "post", lambda w: reverse("api-need-withdraw", args=[w["need"].pk]),
     None, (401, 200, 403, 403)),
    ("read matches", "get", lambda w: reverse("api-matches"), None, (401, 200, 200, 200)),
    ("approve match", "post", lambda w: reverse("api-match-approve", args=[w["match"].pk]),
     None, (401, 403, 403, 200)),
    ("reject match", "post", lambda w: reverse("api-match-reject", args=[w["match"].pk]),
     {"reason": "Passer ikke"}, (401, 403, 403, 200)),
    ("propose match", "post", lambda w: reverse("api-match-propose", args=[w["approved"].pk]),
     None, (401, 403, 403, 200)),
    ("mark enrolled", "post", lambda w: reverse("api-match-enroll", args=[w["accepted"].pk]),
     None, (401, 403, 403, 200)),
    ("decline proposal", "post",
     lambda w: reverse("api-match-decline", args=[w["proposal"].pk]), {"reason": "distance"},
     (401, 200, 403, 403)),
    ("accept proposal", "post", lambda w: reverse("api-match-accept", args=[w["proposal"].pk]),
     None, (401, 200, 403, 403)),
    ("accept other's proposal", "post",
     lambda w: reverse("api-match-accept", args=[w["other_proposal"].pk]), None,
     (401, 404, 403, 403)),
    ("read cohorts", "get", lambda w: reverse("api-cohorts"), None, (401, 403, 403, 200)),
    ("read gaps", "get", lambda w: reverse("api-gaps"), None, (401, 403, 403, 200)),
]


@pytest.fixture
def world():
    business, provider = factories.BusinessFactory(), factories.ProviderFactory()
    need = factories.NeedFactory(organisation=business)
    offer = factories.OfferFactory(provider=provider)
    adviser = factories.adviser()
    users = {"business": (factories.member_of(business), business),
             "provider": (factories.member_of(provider), provider),
             "adviser": (adviser, adviser.memberships.get().organisation)}
    clients = {"anonymous": APIClient()}
    for role, (user, org) in users.items():
        clients[role] = APIClient()
        clients[role].credentials(HTTP_AUTHORIZATION="Bearer " + api_token_create(
            user=user, organisation=org, name=role).secret)
    return {
        "clients": clients, "need": need, "offer": offer,
        "other_need": factories.NeedFactory(), "other_offer": factories.OfferFactory(),
        "match": factories.MatchFactory(need=need, offer=offer),
        "proposal": factories.MatchFactory(need=need, status="proposed"),
        "other_proposal": factories.MatchFactory(status="proposed"),
        "draft_need": factories.NeedFactory(organisation=business, status="draft"),
        "approved": factories.MatchFactory(status="approved"),
        "accepted": factories.MatchFactory(status="accepted"),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "body", "expected"), MATRIX,
                         ids=[row[0] for row in MATRIX])
def test_permission_matrix(world, role, name, method, url, body, expected):
    client = world["clients"][role]
    response = getattr(client, method)(url(world), body, format="json")
    assert response.status_code == expected[ROLES.index(role)], response.content[:300]
    if response.status_code >= 400:
        assert "detail" in response.json()


def test_the_matrix_has_every_operation_of_the_schema(world):
    import yaml
    from django.urls import resolve

    schema = yaml.safe_load(APIClient().get(reverse("api-schema")).content)
    documented = {(resolve(path.replace("{id}", "1")).url_name, method)
                  for path, operations in schema["paths"].items() for method in operations}
    covered = {(resolve(url(world)).url_name, method) for _n, method, url, _b, _e in MATRIX}
    assert documented - covered == set()
