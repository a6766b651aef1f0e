"""The permission matrix: every URL pattern from Django's resolver and every operation of the
OpenAPI schema, as every kind of actor, with another organisation's objects in the path.

Each cell is one request (GET and POST for pages; every documented method, and POST, PUT,
PATCH and DELETE, for the API), checked against `permission_rules`, and every answer is
scanned for the personal data of organisations the actor may not see. A URL or operation
without a rule fails the test. `KP_MATRIX_RECORD=1` prints the observed codes as rule lines.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from matching.models import CohortNeed, CohortRequest, Match
from needs.models import Need, NeedImport, SurveyResponse
from offers.models import Offer
from portal.models import (
    Job,
    JoinRequest,
    Membership,
    Organisation,
    WebhookDelivery,
    WebhookMessage,
)
from portal.tokens import api_token_create
from portal.webhooks.services import webhook_endpoint_create
from tests import factories
from tests.portal.permission_rules import (
    ACTORS,
    API_RULES,
    NOT_WALKED,
    PAGE_RULES,
)

pytestmark = pytest.mark.django_db
RECORD = os.environ.get("KP_MATRIX_RECORD") == "1"
HUGE = 10**30  # far beyond a 64-bit database integer
HUGE_ID_ACTORS = ("bizA", "provA", "adv")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    # actor → markers of personal data that actor may NOT see
    forbidden: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)


def _token(name: str) -> str:
    return f"PRIVAT-{name}-7c1e"


def build_world() -> World:
    world = World()
    round_ = factories.SurveyRoundFactory()
    org_a = factories.BusinessFactory(name="Bedrift A AS", contact_email="kontakt-a@bedrift-a.no")
    org_b = factories.BusinessFactory(name="Bedrift B AS", contact_email="kontakt-b@bedrift-b.no")
    prov_a = factories.ProviderFactory(name="Kurs A")
    prov_b = factories.ProviderFactory(name="Kurs B")
    users = world.users
    users["anon"] = None
    users["bizA"] = factories.member_of(org_a, email="admin-a@bedrift-a.no")
    users["memA"] = factories.member_of(org_a, email="medlem-a@bedrift-a.no")
    Membership.objects.filter(user=users["memA"]).update(role=Membership.Role.MEMBER)
    users["bizB"] = factories.member_of(org_b, email="admin-b@bedrift-b.no")
    users["provA"] = factories.member_of(prov_a, email="ansatt@kurs-a.no")
    users["provB"] = factories.member_of(prov_b, email="ansatt@kurs-b.no")
    users["adv"] = factories.adviser(email="megler@fylke.no")
    # Limited to Vinje: every business and need here is in Seljord (4022), outside its scope.
    users["advOut"] = factories.scoped_adviser("4036", email="megler-ute@fylke.no")

    need_a = factories.NeedFactory(organisation=org_a, description=_token("need-a"),
                                   round=round_, created_by=users["bizA"])
    draft_need_a = factories.NeedFactory(organisation=org_a, status=Need.Status.DRAFT,
                                         description=_token("draft-a"), round=round_)
    need_b = factories.NeedFactory(organisation=org_b, description=_token("need-b"),
                                   round=round_)
    response_a = SurveyResponse.objects.create(organisation=org_a, round=round_)
    survey_need_a = factories.NeedFactory(organisation=org_a, status=Need.Status.DRAFT,
                                          response=response_a, round=round_,
                                          description=_token("survey-a"))
    offer_pa = factories.OfferFactory(provider=prov_a)
    draft_offer_pa = factories.OfferFactory(provider=prov_a, status=Offer.Status.DRAFT,
                                            description=_token("offer-draft-a"))
    factories.OfferFactory(provider=prov_b, status=Offer.Status.DRAFT,
                           description=_token("offer-draft-b"))
    match_a = factories.MatchFactory(need=need_a, offer=offer_pa, status=Match.Status.PROPOSED)
    factories.MatchFactory(need=need_b, offer=offer_pa, status=Match.Status.PROPOSED)
    cohort = factories.CohortFactory()
    CohortNeed.objects.create(cohort=cohort, need=need_a)
    CohortNeed.objects.create(cohort=cohort, need=need_b)
    cohort_request_pa = CohortRequest.objects.create(cohort=cohort, provider=prov_a,
                                                     message=_token("request-pa"))
    colleague = factories.member_of(org_a, email="kollega-a@bedrift-a.no")
    Membership.objects.filter(user=colleague).update(role=Membership.Role.MEMBER)
    asker = factories.UserFactory(email="vil-inn@example.no")
    join_request_a = JoinRequest.objects.create(user=asker, organisation=org_a)
    pending_org = factories.BusinessFactory(claim=Organisation.Claim.PENDING)
    factories.member_of(pending_org, email="krever@example.no")
    need_import = NeedImport(filename="behov.csv", kind="needs")
    need_import.file.save("behov.csv", ContentFile(b"orgnr;area;participants\n"), save=True)

    meeting, meeting_objects = _meeting_world(org_a, org_b, prov_a, need_a, users["adv"])
    token_a = api_token_create(user=users["bizA"], organisation=org_a, name="Skript").token
    endpoint_a, _secret = webhook_endpoint_create(
        organisation=org_a, url="http://127.0.0.1:9/", events=["need.submitted"],
        by=users["bizA"])
    message_a = WebhookMessage.objects.create(
        msg_id="msg_matrix_a", event_type="need.submitted", organisation=org_a,
        payload={"data": {"description": _token("hook-a")}})
    delivery_a = WebhookDelivery.objects.create(message=message_a, endpoint=endpoint_a)
    job_pa = Job.objects.create(kind="offer_import", created_by=users["provA"])

    world.objects = {
        **meeting_objects,
        "org_a": {"pk": org_a.pk}, "org_a_orgnr": {"orgnr": org_a.orgnr},
        "need_a": {"pk": need_a.pk}, "draft_need_a": {"pk": draft_need_a.pk},
        "round": {"pk": round_.pk}, "response_a": {"rid": response_a.pk},
        "response_a_step": {"rid": response_a.pk, "step": 1},
        "survey_need_a": {"rid": response_a.pk, "pk": survey_need_a.pk},
        "offer_pa": {"pk": offer_pa.pk}, "draft_offer_pa": {"pk": draft_offer_pa.pk},
        "publish_offer_pa": {"pk": draft_offer_pa.pk, "action": "publish"},
        "match_a": {"pk": match_a.pk}, "cohort": {"pk": cohort.pk},
        "cohort_request_pa": {"pk": cohort_request_pa.pk},
        "join_request_a": {"pk": join_request_a.pk},
        "membership_a": {"pk": Membership.objects.get(user=colleague).pk},
        "pending_org": {"pk": pending_org.pk}, "need_import": {"pk": need_import.pk},
        "csv": {"fmt": "csv"},
        "api_token_a": {"pk": token_a.pk}, "webhook_a": {"pk": endpoint_a.pk},
        "webhook_delivery_a": {"pk": delivery_a.pk}, "job_pa": {"pk": job_pa.pk},
        "barometer_table": {"table_id": "municipalities"},
    }
    a_private = [_token("need-a"), _token("draft-a"), _token("survey-a"), _token("hook-a"),
                 "kontakt-a@bedrift-a.no", "medlem-a@bedrift-a.no"]
    b_private = [_token("need-b"), "kontakt-b@bedrift-b.no", "admin-b@bedrift-b.no"]
    pa_private = [_token("offer-draft-a"), _token("request-pa"), "ansatt@kurs-a.no"]
    pb_private = [_token("offer-draft-b"), "ansatt@kurs-b.no"]
    world.forbidden = {
        "anon": a_private + b_private + pa_private + pb_private,
        "bizA": b_private + pa_private + pb_private,
        "memA": b_private + pa_private + pb_private,
        "bizB": a_private + pa_private + pb_private,
        "provA": a_private + b_private + pb_private,
        "provB": a_private + b_private + pa_private,
        "adv": [],
        # Outside its scope: nothing of the Seljord businesses (providers' data it may see).
        "advOut": a_private + b_private,
    }
    return world


def _meeting_world(org_a, org_b, prov_a, need_a, adviser):
    """A meeting (issue 17) to which business A and provider A are invited."""
    import datetime as dt

    from django.utils import timezone

    from matching.meetings import services as meeting_services
    from matching.meetings.replies import reply_token
    from matching.models import MeetingJoinRequest, SlotRequest

    starts = (timezone.localtime() + dt.timedelta(days=10)).replace(hour=10, minute=0, second=0,
                                                                    microsecond=0)
    meeting = meeting_services.meeting_create(data={
        "title": "Møteplass", "purpose": "", "agenda": "", "starts_at": starts,
        "duration_minutes": 120, "municipality": factories.municipality("4022"),
        "address": "Seljord", "online_url": "", "capacity": 30, "is_public": False,
        "slot_start": starts + dt.timedelta(minutes=60), "slot_minutes": 15, "slot_count": 4,
        "tables": 0}, invitee_ids=[org_a.pk, prov_a.pk], need_ids=[need_a.pk], by=adviser)
    meeting_services.meeting_invite(meeting_id=meeting.pk)
    slot = SlotRequest.objects.create(meeting=meeting, requester=org_a, invitee=prov_a)
    asked = MeetingJoinRequest.objects.create(meeting=meeting, organisation=org_b)
    invitation = meeting.invitations.get(organisation=org_a)
    return meeting, {
        "meeting": {"pk": meeting.pk}, "slot_request": {"pk": slot.pk},
        "meeting_join_request": {"pk": asked.pk}, "reply_token": {"token": reply_token(
            invitation)}, "municipality": {"code": "4022"},
    }


# --- walking the resolver and the schema -------------------------------------------------------

def url_patterns(patterns=None, namespace: str = "", prefix: str = "") -> list[tuple[str, str,
                                                                                      str]]:
    """(name, route, full route) of every URL pattern; unnamed ones by their route."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found += url_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = str(pattern.pattern)
            name = f"{namespace}:{pattern.name or route}" if namespace else (
                pattern.name or route)
            found.append((name, route, prefix + route))
    return found


def _shape(path: str) -> str:
    """/api/v1/needs/{id}/ and api/v1/needs/<int:pk>/ both become api/v1/needs/{}/."""
    return re.sub(r"\{\w+\}|<[\w:]+>", "{}", path.lstrip("/")).removesuffix(".<format>")


def _not_walked(name: str) -> bool:
    return any(name == key or (key.endswith("*") and name.startswith(key[:-1]))
               for key in NOT_WALKED)


def api_operations() -> list[tuple[str, str, str]]:
    """(operationId, method, path template) from the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(op["operationId"], method.upper(), path)
            for path, methods in schema["paths"].items()
            for method, op in methods.items()]


def _fill(path: str, kwargs: dict) -> str:
    """/api/v1/needs/{id}/ with the object's id (the fixtures name it pk)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(kwargs.get(m.group(1), kwargs.get("pk", 1))),
                  path)


# --- one cell ------------------------------------------------------------------------------

LOGIN = reverse("account_login")


def classify(response, *, api: bool = False) -> str:
    status = response.status_code
    if status >= 500:
        return "5"
    if status == 405:
        return "M"
    detail = getattr(response, "data", None)
    if api and status == 403 and isinstance(detail, dict) and getattr(
            detail.get("detail"), "code", "") == "not_authenticated":
        return "N"
    if status == 401:
        return "N"
    if status == 403:
        return "3"
    if status == 404:
        return "4"
    if status in (301, 302, 303) and response["Location"].startswith(LOGIN):
        return "L"
    return "A"


def _client(world: World, actor: str, api: bool):
    """One signed-in client per actor and kind, reused by all its cells."""
    key = (actor, api)
    if key not in world.clients:
        user = world.users[actor]
        # A server error is a cell's answer ("5"), not an exception that ends the walk.
        client = APIClient(raise_request_exception=False) if api else Client(
            raise_request_exception=False)
        if user is not None:
            if api:
                client.force_authenticate(user)
            else:
                client.force_login(user)
        world.clients[key] = client
    return world.clients[key]


def request_cell(world: World, actor: str, method: str, url: str, *, api: bool = False):
    """One request by one actor, rolled back afterwards so no cell changes another's world
    (the session row existed before, so a rollback keeps the actor signed in)."""
    client = _client(world, actor, api)
    with transaction.atomic():
        response = getattr(client, method.lower())(url)
        transaction.set_rollback(True)
    return response


def leaked(world: World, actor: str, response) -> list[str]:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode("utf-8", "replace")
    else:
        body = response.content.decode("utf-8", "replace")
    return [marker for marker in world.forbidden[actor] if marker in body]


@pytest.fixture
def _quiet_request_log():
    # Hundreds of expected 403/404/405 answers would each log a warning with a traceback.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_permission_matrix(capsys, _quiet_request_log, settings):
    # The webhook endpoint of the world points at a closed port on loopback: a re-send fails
    # at once instead of leaving the machine.
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    world = build_world()
    unexpected: list[str] = []
    missing: list[str] = []
    record: list[str] = []
    with_ids: list[tuple[str, str, dict]] = []
    cells = 0

    schema_paths = {_shape(path) for _id, _method, path in api_operations()}
    for name, route, full_route in url_patterns():
        rule = PAGE_RULES.get(name)
        if rule is None and name.startswith("api-"):
            # An API route is walked per operation below; one the schema does not document
            # would escape that walk, so it needs a page rule instead.
            if _shape(full_route) not in schema_paths:
                missing.append(f"API URL {name!r} ({full_route}) is not in the OpenAPI schema "
                               "and has no rule in permission_rules.PAGE_RULES")
            continue
        if rule is None and _not_walked(name):
            continue
        if rule is None:
            missing.append(f"URL {name!r} ({route}) has no rule in permission_rules.PAGE_RULES")
            continue
        objects, *expected_codes = rule
        kwargs = world.objects[objects] if objects else {}
        if "<int:" in route:
            with_ids.append((name, route, kwargs))
        url = reverse(name, kwargs=kwargs) if "<" in route else (
            reverse(name) if name != route else "/" + route)
        observed_line = []
        for method, expected in zip(("GET", "POST"), expected_codes, strict=True):
            observed = ""
            for actor, want in zip(ACTORS, expected, strict=True):
                response = request_cell(world, actor, method, url)
                got = classify(response)
                observed += got
                cells += 1
                if want != "-" and got != want:
                    unexpected.append(f"{method} {url} as {actor}: expected {want}, got {got} "
                                      f"({response.status_code})")
                for marker in leaked(world, actor, response):
                    unexpected.append(f"{method} {url} as {actor}: shows {marker}")
            observed_line.append(observed)
        record.append(f'    "{name}": ("{objects}", "{observed_line[0]}", "{observed_line[1]}"),')

    documented: dict[str, set[str]] = {}
    for operation_id, method, path in api_operations():
        documented.setdefault(path, set()).add(method)
        rule = API_RULES.get(operation_id)
        if rule is None:
            missing.append(f"API operation {operation_id!r} ({method} {path}) has no rule in "
                           "permission_rules.API_RULES")
            continue
        objects, expected = rule
        kwargs = world.objects[objects] if objects else {}
        url = _fill(path, kwargs)
        observed = ""
        for actor, want in zip(ACTORS, expected, strict=True):
            response = request_cell(world, actor, method, url, api=True)
            got = classify(response, api=True)
            observed += got
            cells += 1
            if want != "-" and got != want:
                unexpected.append(f"{method} {url} as {actor}: expected {want}, got {got} "
                                  f"({response.status_code})")
            for marker in leaked(world, actor, response):
                unexpected.append(f"{method} {url} as {actor}: shows {marker}")
        record.append(f'    "{operation_id}": ("{objects}", "{observed}"),')

    # Methods a path does not document never succeed, for anyone.
    sample = world.objects["offer_pa"]
    for path, methods in documented.items():
        url = _fill(path, sample)
        for method in {"POST", "PUT", "PATCH", "DELETE"} - methods:
            for actor in ACTORS:
                response = request_cell(world, actor, method, url, api=True)
                cells += 1
                if response.status_code < 300 or response.status_code >= 500:
                    unexpected.append(f"{method} {url} as {actor}: undocumented method "
                                      f"answered {response.status_code}")

    # However large an id in any path, nobody gets a server error (or anything but a refusal).
    for name, _route, kwargs in with_ids:
        huge = {key: HUGE if isinstance(value, int) else value for key, value in kwargs.items()}
        url = reverse(name, kwargs=huge)
        for method in ("GET", "POST"):
            for actor in HUGE_ID_ACTORS:
                response = request_cell(world, actor, method, url)
                cells += 1
                if response.status_code >= 500 or response.status_code < 300:
                    unexpected.append(f"{method} {url} as {actor}: a huge id answered "
                                      f"{response.status_code}")
    for operation_id, method, path in api_operations():
        if "{" not in path:
            continue
        url = re.sub(r"\{\w+\}", str(HUGE), path)
        for actor in HUGE_ID_ACTORS:
            response = request_cell(world, actor, method, url, api=True)
            cells += 1
            if response.status_code >= 500 or response.status_code < 300:
                unexpected.append(f"{method} {url} ({operation_id}) as {actor}: a huge id "
                                  f"answered {response.status_code}")

    # The scan can see: the markers are there for those who may read them.
    own = request_cell(world, "bizA", "GET", reverse("needs:need_detail",
                                                      kwargs=world.objects["need_a"]))
    assert _token("need-a") in own.content.decode()

    if RECORD:
        print("\n".join(record))
    summary = f"{cells} cells checked, {len(unexpected)} unexpected"
    with capsys.disabled():
        print(f"\npermission matrix: {summary}")
    assert not missing, "\n".join(missing)
    assert not unexpected, summary + ":\n" + "\n".join(unexpected)


def test_out_of_scope_adviser_cannot_approve_a_match_in_bulk(client):
    """The queue's bulk form takes match ids from the browser: those outside the adviser's
    municipality scope are dropped like unknown ids."""
    match = factories.MatchFactory(need=factories.NeedFactory(), status=Match.Status.SUGGESTED)
    assert match.need.organisation.municipality.code == "4022"
    client.force_login(factories.scoped_adviser("4036"))
    client.post(reverse("matching:match_bulk"), {"match": [match.pk], "action": "approve"})
    match.refresh_from_db()
    assert match.status == Match.Status.SUGGESTED
    client.force_login(factories.scoped_adviser("4022"))
    client.post(reverse("matching:match_bulk"), {"match": [match.pk], "action": "approve"})
    match.refresh_from_db()
    assert match.status == Match.Status.APPROVED


def test_out_of_scope_adviser_does_not_see_a_meeting_held_elsewhere(client):
    adviser = factories.adviser()
    outside = factories.scoped_adviser("4036")
    world_meeting, _objects = _meeting_world(
        factories.BusinessFactory(), factories.BusinessFactory(), factories.ProviderFactory(),
        factories.NeedFactory(), adviser)
    client.force_login(outside)
    assert client.get(reverse("meetings:manage", args=[world_meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:adviser_list")).context["meetings"] == []
    client.force_login(adviser)
    assert client.get(reverse("meetings:adviser_list")).context["meetings"] == [world_meeting]


def test_a_scoped_adviser_sees_only_their_own_needs_imports(client):
    theirs_user = factories.scoped_adviser("4036")
    others = NeedImport(filename="fylket.csv", kind="needs", uploaded_by=factories.adviser())
    others.file.save("fylket.csv", ContentFile(b"orgnr;area;participants\n"), save=True)
    own = NeedImport(filename="vinje.csv", kind="needs", uploaded_by=theirs_user)
    own.file.save("vinje.csv", ContentFile(b"orgnr;area;participants\n"), save=True)
    client.force_login(theirs_user)
    assert client.get(reverse("needs:import_preview", args=[others.pk])).status_code == 404
    assert client.get(reverse("needs:import_preview", args=[own.pk])).status_code == 200
    page = client.get(reverse("needs:import_upload")).content.decode()
    assert "vinje.csv" in page and "fylket.csv" not in page


def test_a_meeting_cannot_grow_out_of_a_cohort_outside_the_scope(client):
    cohort = factories.CohortFactory()
    CohortNeed.objects.create(cohort=cohort, need=factories.NeedFactory())  # in Seljord
    client.force_login(factories.scoped_adviser("4036"))
    assert client.get(reverse("meetings:create") + f"?cohort={cohort.pk}").status_code == 404
    client.force_login(factories.scoped_adviser("4022"))
    assert client.get(reverse("meetings:create") + f"?cohort={cohort.pk}").status_code == 200
