"""Registering, joining, leaving and managing organisations; the Brønnøysund prefill."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import brreg
from portal.models import JoinRequest, Membership, Organisation, User
from tests import factories
from tests.portal.fake_brreg import FOUND, REMOVED, SLOW, WITHHELD, FakeRegistry

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(settings):
    with FakeRegistry() as base_url:
        settings.BRREG_BASE_URL = base_url
        settings.BRREG_TIMEOUT_SECONDS = 1
        yield base_url


@pytest.fixture
def newcomer(client):
    user = factories.UserFactory(email="ny@bedrift.no")
    client.force_login(user)
    return user


# --- the registry client --------------------------------------------------------------------

def test_lookup_returns_entity_with_sub_units(registry):
    result = brreg.lookup(FOUND)
    assert result.status == "found"
    assert result.entity.name == "SELJORD SAG OG HØVLERI AS"
    assert result.entity.industry_code == "16.100"
    assert result.entity.employees == 17
    assert result.entity.address.municipality_code == "4022"
    assert [u.orgnr for u in result.entity.sub_units] == ["974760681"]


def test_lookup_tells_unknown_removed_and_withheld_apart(registry):
    assert brreg.lookup("910000004").status == "unknown"
    assert brreg.lookup(REMOVED).status == "removed"
    withheld = brreg.lookup(WITHHELD).entity
    assert withheld.employees is None and withheld.industry_code == ""


def test_lookup_is_unavailable_on_timeout_or_closed_port(registry, settings):
    assert brreg.lookup(SLOW).status == "unavailable"
    settings.BRREG_BASE_URL = "http://127.0.0.1:1/api"
    assert brreg.lookup(FOUND).status == "unavailable"


# --- registration ------------------------------------------------------------------------------

def test_start_with_invalid_orgnr_shows_a_checksum_error(client, newcomer):
    response = client.post(reverse("portal:organisation_start"),
                           {"orgnr": "974760674", "kind": "business"})
    assert response.status_code == 200
    assert response.context["form"].errors["orgnr"]
    assert "orgnr" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_register_prefills_from_the_registry_and_creates_admin_membership(client, newcomer,
                                                                          registry):
    response = client.post(reverse("portal:organisation_start"),
                           {"orgnr": "974 760 673", "kind": "business"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    form = page.context["form"]
    assert form.initial["name"] == "SELJORD SAG OG HØVLERI AS"
    assert form.initial["employees"] == 17
    assert form.initial["municipality"] == factories.municipality("4022").pk

    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"orgnr": FOUND, "kind": "business", "contact_email": "ny@bedrift.no"})
    response = client.post(reverse("portal:organisation_register"), data)
    assert response.status_code == 302
    org = Organisation.objects.get(orgnr=FOUND)
    assert org.kind == "business" and org.industry_code == "16.100"
    assert org.industry_standard == "SN2007"
    assert Membership.objects.get(organisation=org).role == Membership.Role.ADMIN
    assert client.session["active_organisation_id"] == org.pk


def test_choosing_a_sub_unit_takes_its_location(client, newcomer, registry):
    page = client.get(reverse("portal:organisation_register"),
                      {"orgnr": FOUND, "kind": "business", "unit": "974760681"})
    assert page.context["form"].initial["postal_place"] == "Flatdal"
    assert page.context["form"].initial["employees"] == 6


def test_legacy_municipality_code_from_registry_maps_to_todays(client, newcomer, registry):
    page = client.get(reverse("portal:organisation_register"),
                      {"orgnr": WITHHELD, "kind": "business"})
    assert page.context["form"].initial["municipality"] == factories.municipality("4036").pk
    assert page.context["form"].initial["employees"] is None


def test_unreachable_registry_falls_back_to_manual_entry(client, newcomer, settings):
    settings.BRREG_BASE_URL = "http://127.0.0.1:1/api"
    page = client.get(reverse("portal:organisation_register"),
                      {"orgnr": FOUND, "kind": "provider"})
    assert page.status_code == 200
    assert page.context["lookup"].status == "unavailable"
    response = client.post(reverse("portal:organisation_register"), {
        "orgnr": FOUND, "kind": "provider", "name": "Seljord Kurs",
        "municipality": factories.municipality("4022").pk,
    })
    assert response.status_code == 302
    assert Organisation.objects.get(orgnr=FOUND).kind == "provider"


def test_duplicate_orgnr_is_refused_and_leads_to_joining(client, newcomer, registry):
    existing = factories.BusinessFactory(orgnr=FOUND)
    factories.member_of(existing)  # someone acts for it (without members it is claimed)
    response = client.post(reverse("portal:organisation_start"),
                           {"orgnr": FOUND, "kind": "business"})
    assert response["Location"] == reverse("portal:organisation_join", args=[FOUND])
    response = client.post(reverse("portal:organisation_register"), {
        "orgnr": FOUND, "kind": "business", "name": "Kopi AS",
        "municipality": factories.municipality("4022").pk})
    assert response.status_code == 302
    assert Organisation.objects.filter(orgnr=FOUND).count() == 1
    assert Organisation.objects.get(orgnr=FOUND).name == existing.name


# --- joining, roles, leaving --------------------------------------------------------------------

def test_join_request_is_approved_by_an_admin(client, newcomer):
    org = factories.BusinessFactory()
    admin = factories.member_of(org)
    Membership.objects.filter(user=admin).update(role=Membership.Role.ADMIN)
    client.post(reverse("portal:organisation_join", args=[org.orgnr]), {"message": "Hei!"})
    request = JoinRequest.objects.get(user=newcomer)

    client.force_login(newcomer)  # a non-admin cannot decide
    response = client.post(reverse("portal:join_request_decide", args=[request.pk]),
                           {"decision": "approve"})
    assert response.status_code == 404

    client.force_login(admin)
    client.post(reverse("portal:join_request_decide", args=[request.pk]), {"decision": "approve"})
    assert Membership.objects.filter(user=newcomer, organisation=org).exists()
    response = client.post(reverse("portal:join_request_decide", args=[request.pk]),
                           {"decision": "reject"})
    assert Membership.objects.filter(user=newcomer, organisation=org).exists()


def test_rejected_join_request_gives_no_access(client, newcomer):
    org = factories.BusinessFactory()
    admin = factories.member_of(org)
    Membership.objects.filter(user=admin).update(role=Membership.Role.ADMIN)
    client.post(reverse("portal:organisation_join", args=[org.orgnr]), {})
    request = JoinRequest.objects.get(user=newcomer)
    client.force_login(admin)
    client.post(reverse("portal:join_request_decide", args=[request.pk]), {"decision": "reject"})
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequest.Status.REJECTED
    assert not Membership.objects.filter(user=newcomer, organisation=org).exists()


def test_member_can_leave_but_last_admin_cannot_while_others_remain(client):
    org = factories.BusinessFactory()
    admin, member = factories.member_of(org), factories.member_of(org)
    Membership.objects.filter(user=member).update(role=Membership.Role.MEMBER)
    client.force_login(admin)
    own = Membership.objects.get(user=admin)
    client.post(reverse("portal:membership_change", args=[own.pk]), {"action": "remove"})
    assert Membership.objects.filter(pk=own.pk).exists()

    client.force_login(member)
    mine = Membership.objects.get(user=member)
    response = client.post(reverse("portal:membership_change", args=[mine.pk]),
                           {"action": "remove"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=mine.pk).exists()
    assert Organisation.objects.filter(pk=org.pk).exists()


def test_members_page_and_profile_are_for_members_only(client):
    org, other = factories.BusinessFactory(), factories.BusinessFactory()
    outsider = factories.member_of(other)
    client.force_login(outsider)
    for name in ("portal:organisation_members", "portal:organisation_profile"):
        assert client.get(reverse(name, args=[org.pk])).status_code == 404
    membership = Membership.objects.create(user=factories.UserFactory(), organisation=org)
    response = client.post(reverse("portal:membership_change", args=[membership.pk]),
                           {"action": "remove"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.logout()
    response = client.get(reverse("portal:organisation_members", args=[org.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_member_edits_the_profile_but_not_the_orgnr(client):
    org = factories.BusinessFactory()
    client.force_login(factories.member_of(org))
    response = client.post(reverse("portal:organisation_profile", args=[org.pk]), {
        "name": org.name, "municipality": org.municipality_id, "employees": 30,
        "orgnr": "974760673", "contact_name": "Per"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.employees == 30 and org.contact_name == "Per"
    assert org.orgnr != "974760673"


def test_user_switches_the_organisation_they_act_for(client):
    first, second = factories.BusinessFactory(name="A AS"), factories.BusinessFactory(name="B AS")
    user = factories.member_of(first)
    Membership.objects.create(user=user, organisation=second)
    client.force_login(user)
    client.post(reverse("portal:organisation_switch"), {"organisation": second.pk})
    assert client.get(reverse("portal:dashboard")).context["organisation"] == second
    response = client.post(reverse("portal:organisation_switch"),
                           {"organisation": factories.BusinessFactory().pk})
    assert response.status_code == 404


def test_ids_in_form_values_are_not_grouped_like_amounts(client):
    """A pk of 12345 printed as "12 345" in Norwegian would post a value the view rejects."""
    first = factories.BusinessFactory(name="A AS")
    second = factories.BusinessFactory(name="B AS", pk=12345)
    user = factories.member_of(first)
    Membership.objects.create(user=user, organisation=second)
    client.force_login(user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert 'value="12345"' in page
    client.post(reverse("portal:organisation_switch"), {"organisation": "12345"})
    assert client.get(reverse("portal:dashboard")).context["organisation"] == second


# --- sign-up to registration, end to end --------------------------------------------------------

def test_signup_verify_email_then_register_organisation(client, registry):
    response = client.post(reverse("account_signup"), {
        "email": "eier@hytte.no", "password1": "Fjellet-er-blaatt-42",
        "password2": "Fjellet-er-blaatt-42"})
    assert response.status_code == 302
    user = User.objects.get(email="eier@hytte.no")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    client.post(path)
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(user=user).verified

    response = client.post(reverse("account_login"), {"login": "eier@hytte.no",
                                                      "password": "Fjellet-er-blaatt-42"})
    assert response["Location"] == reverse("portal:organisation_start")

    bad = client.post(reverse("portal:organisation_start"), {"orgnr": "123456789",
                                                             "kind": "business"})
    assert "orgnr" in bad.context["form"].errors

    start = client.post(reverse("portal:organisation_start"), {"orgnr": FOUND,
                                                               "kind": "business"})
    form = client.get(start["Location"]).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"orgnr": FOUND, "kind": "business"})
    client.post(reverse("portal:organisation_register"), data)
    assert Membership.objects.get(user=user).organisation.orgnr == FOUND
