"""Only an organisation's administrators edit its profile; plain members only see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


def _plain_member(org):
    user = factories.member_of(org)
    Membership.objects.filter(user=user).update(role=Membership.Role.MEMBER)
    return user


def test_plain_member_sees_the_profile_read_only(client):
    org = factories.BusinessFactory(contact_email="post@bedrift.no")
    client.force_login(_plain_member(org))
    response = client.get(reverse("portal:organisation_profile", args=[org.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    main = body.split("<main")[-1].split("</main>")[0]
    assert "post@bedrift.no" in main and "type=\"submit\"" not in main
    assert all(field.disabled for field in response.context["form"].fields.values())


def test_plain_member_cannot_change_the_contact_email(client):
    org = factories.BusinessFactory(contact_email="post@bedrift.no")
    client.force_login(_plain_member(org))
    response = client.post(reverse("portal:organisation_profile", args=[org.pk]), {
        "name": org.name, "municipality": org.municipality_id,
        "contact_email": "kapret@example.no"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.contact_email == "post@bedrift.no"


def test_admin_changes_the_contact_email(client):
    org = factories.BusinessFactory()
    client.force_login(factories.member_of(org))
    response = client.post(reverse("portal:organisation_profile", args=[org.pk]), {
        "name": org.name, "municipality": org.municipality_id,
        "contact_email": "ny@bedrift.no"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.contact_email == "ny@bedrift.no"


def test_plain_member_cannot_change_the_contact_through_the_survey(client):
    from needs.models import SurveyResponse

    org = factories.BusinessFactory(contact_email="post@bedrift.no", contact_name="Kari")
    response = SurveyResponse.objects.create(organisation=org,
                                             round=factories.SurveyRoundFactory())
    client.force_login(_plain_member(org))
    client.post(reverse("needs:survey_step", args=[response.pk, 1]), {
        "industry_code": "02.200", "employees": 12, "municipality": org.municipality_id,
        "contact_name": "Kapret", "contact_email": "kapret@example.no", "action": "next"})
    org.refresh_from_db()
    assert (org.contact_name, org.contact_email) == ("Kari", "post@bedrift.no")
    assert org.employees == 12
