"""The user's language: kept by the switcher, editable on the account page, applied at sign-in,
used for e-mails."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from portal.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_language_switcher_remembers_the_choice_on_the_user(business_client, business_user):
    response = business_client.post(reverse("portal:language_set"),
                                    {"language": "nn", "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    assert User.objects.get(pk=business_user.pk).language == "nn"


def test_the_switcher_works_for_visitors_and_ignores_unknown_languages(client, business_user):
    response = client.post(reverse("portal:language_set"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    client.force_login(business_user)
    client.post(reverse("portal:language_set"), {"language": "sv", "next": "/"})
    assert User.objects.get(pk=business_user.pk).language == ""


def test_every_page_posts_the_switcher_to_the_remembering_view(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'action="{reverse("portal:language_set")}"' in html


def test_the_account_page_edits_the_language_and_the_pages_follow(business_client,
                                                                  business_user):
    page = business_client.get(reverse("portal:account")).content.decode()
    assert 'name="language"' in page
    response = business_client.post(reverse("portal:account"),
                                    {"full_name": "Kari", "phone": "", "language": "en"},
                                    follow=True)
    assert User.objects.get(pk=business_user.pk).language == "en"
    assert "Your details are saved." in response.content.decode()
    assert business_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def _sign_in(client, user):
    return client.post(reverse("account_login"),
                       {"login": user.email, "password": "Hemmelig-passord-42"}, follow=True)


def test_signing_in_switches_the_interface_to_the_users_language(client):
    cache.clear()  # sign-in attempts are rate limited there
    user = factories.member_of(factories.BusinessFactory())
    User.objects.filter(pk=user.pk).update(language="nn")
    assert 'lang="nb"' in client.get(reverse("portal:home")).content.decode()
    response = _sign_in(client, user)
    assert response.wsgi_request.user == user
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nn"
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert 'lang="nn"' in page


def test_signing_in_without_a_stored_language_keeps_the_chosen_one(client):
    cache.clear()
    user = factories.member_of(factories.BusinessFactory())
    client.post(reverse("portal:language_set"), {"language": "en", "next": "/"})
    _sign_in(client, user)
    assert 'lang="en"' in client.get(reverse("portal:dashboard")).content.decode()
    assert User.objects.get(pk=user.pk).language == ""


def test_force_login_in_a_test_does_not_switch_the_tests_language(client):
    from django.utils import translation

    user = factories.member_of(factories.BusinessFactory(), language="en")
    with translation.override("nb"):
        client.force_login(user)
        assert translation.get_language() == "nb"
