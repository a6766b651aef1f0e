"""A need submitted on the web page is matched by a real Celery worker over the real broker."""

import pytest
from django.urls import reverse

from matching.models import Match
from needs.models import Need
from tests import factories
from tests.celery_worker import running_worker, wait_for

pytestmark = [pytest.mark.services,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_web_submission_is_matched_by_a_real_worker(client, redis_url, postgres_only):
    business = factories.BusinessFactory()
    user = factories.member_of(business)
    need = factories.NeedFactory(organisation=business, status=Need.Status.DRAFT)
    course = factories.OfferFactory()
    factories.OfferFactory(title="Sveisekurs", areas=["industri.sveising"])
    client.force_login(user)
    with running_worker(redis_url):
        response = client.post(reverse("needs:need_submit", args=[need.pk]))
        assert response.status_code == 302
        match = wait_for(lambda: Match.objects.filter(need=need).first())
    assert match.offer == course and match.rank == 1
    assert Match.objects.filter(need=need).count() == 1  # the welding course is another area
