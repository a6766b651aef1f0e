"""The user's language: kept by the switcher, editable on the account page, used for e-mails."""

import pytest
from django.conf import settings
from django.urls import reverse

from portal.models import User

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
