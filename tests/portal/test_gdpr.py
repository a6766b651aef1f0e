"""GDPR: the export holds everything the person created or decided; deletion asks for the
password and removes the person from contact fields while the organisation and its needs stay."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from matching.models import CohortRequest, MatchEvent
from needs.models import Need, SurveyResponse
from portal.models import Organisation, User
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "Hemmelig-passord-42"


def test_export_holds_what_the_person_created_answered_and_decided(client):
    org = factories.BusinessFactory()
    writer = factories.member_of(org, email="skriver@bedrift.no")
    org.contact_name, org.contact_email = "Skriver", "Skriver@Bedrift.no"
    org.save()
    factories.NeedFactory(organisation=org, created_by=writer, title="Hogstkurs for fire")
    SurveyResponse.objects.create(organisation=org, submitted_by=writer, overall_need="some",
                                  barriers=["price"])
    factories.OfferFactory(created_by=writer, title="Vårt eget kurs")
    match = factories.MatchFactory()
    MatchEvent.objects.create(match=match, from_status="suggested", to_status="approved",
                              actor=writer, note="Passer godt, ring dem")
    CohortRequest.objects.create(cohort=factories.CohortFactory(),
                                 provider=factories.ProviderFactory(), sent_by=writer,
                                 message="Kan dere kjøre dette i Seljord?")
    factories.NeedFactory(title="Someone else's need")

    client.force_login(writer)
    data = json.loads(client.get(reverse("portal:account_export")).content)
    assert [n["title"] for n in data["needs"]["needs_created"]] == ["Hogstkurs for fire"]
    assert data["needs"]["survey_answers_submitted"][0]["barriers"] == ["price"]
    assert [o["title"] for o in data["offers"]["offers_created"]] == ["Vårt eget kurs"]
    assert data["matching"]["match_history"][0]["note"] == "Passer godt, ring dem"
    assert data["matching"]["cohort_requests_sent"][0]["message"].startswith("Kan dere")
    assert data["organisations_with_you_as_contact"][0]["orgnr"] == org.orgnr
    assert "Someone else's need" not in json.dumps(data)


def test_export_is_not_cached(business_client):
    response = business_client.get(reverse("portal:account_export"))
    assert response["Cache-Control"] == "private, no-store"


def test_deleting_asks_for_the_password(client):
    user = factories.member_of(factories.BusinessFactory())
    client.force_login(user)
    response = client.post(reverse("portal:account_delete"),
                           {"confirm_email": user.email, "password": "not-my-password"})
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("portal:account_delete"), {"confirm_email": user.email})
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_clears_the_person_from_contact_fields_but_keeps_the_organisation(client):
    org = factories.BusinessFactory(contact_name="Per Kontakt", contact_email="per@bedrift.no",
                                    contact_phone="+47 900 00 000")
    other = factories.BusinessFactory(contact_email="someone@else.no")
    user = factories.member_of(org, email="per@bedrift.no", full_name="Per Kontakt")
    need = factories.NeedFactory(organisation=org, created_by=user)
    client.force_login(user)
    response = client.post(reverse("portal:account_delete"),
                           {"confirm_email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.contact_name, org.contact_email, org.contact_phone) == ("", "", "")
    assert Organisation.objects.get(pk=other.pk).contact_email == "someone@else.no"
    assert Need.objects.filter(pk=need.pk, organisation=org).exists()


def test_export_holds_the_persons_tokens_notifications_and_choices(client):
    from portal.notifications import notification_preferences_save, notification_send
    from portal.tokens import api_token_create

    org = factories.BusinessFactory(name="Seljord Sag AS")
    person = factories.member_of(org, email="eier@sag.no", language="nn")
    issued = api_token_create(user=person, organisation=org, name="Lønnssystemet")
    notification_send(recipient=person, kind="need_covered", params={"need": "Hogstkurs"})
    notification_preferences_save(user=person, choices={"join_requested": "digest"})
    client.force_login(person)
    data = json.loads(client.get(reverse("portal:account_export")).content)
    assert data["user"]["language"] == "nn"
    assert data["api_tokens"][0]["name"] == "Lønnssystemet"
    assert issued.token.digest not in json.dumps(data)  # neither the secret nor its digest
    assert issued.secret not in json.dumps(data)
    assert "Hogstkurs" in data["notifications"][0]["text"]
    assert data["notification_preferences"]["join_requested"] == "digest"
