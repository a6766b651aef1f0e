"""Each kind of visitor sees the links of their role, and the language switch changes the page."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _nav_links(client) -> set[str]:
    html = client.get(reverse("portal:home")).content.decode()
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return {url for url in (reverse(n) for n in (
        "needs:business_home", "offers:provider_home", "matching:adviser_home",
        "needs:adviser_list", "account_login", "portal:account", "offers:catalogue",
    )) if f'href="{url}"' in nav}


def test_anonymous_visitor_sees_login_and_catalogue(client):
    assert _nav_links(client) == {reverse("account_login"), reverse("offers:catalogue")}


def test_business_sees_its_needs(business_client):
    links = _nav_links(business_client)
    assert reverse("needs:business_home") in links
    assert reverse("offers:provider_home") not in links
    assert reverse("matching:adviser_home") not in links


def test_provider_sees_its_offers(provider_client):
    links = _nav_links(provider_client)
    assert reverse("offers:provider_home") in links
    assert reverse("needs:business_home") not in links
    assert reverse("matching:adviser_home") not in links


def test_adviser_sees_brokering_and_all_needs(adviser_client):
    links = _nav_links(adviser_client)
    assert {reverse("matching:adviser_home"), reverse("needs:adviser_list")} <= links
    assert reverse("needs:business_home") not in links


def test_dashboard_links_per_role(client):
    client.force_login(factories.member_of(factories.BusinessFactory()))
    assert reverse("matching:business_proposals") in client.get(
        reverse("portal:dashboard")).content.decode()
    client.force_login(factories.member_of(factories.ProviderFactory()))
    assert reverse("matching:provider_cohorts") in client.get(
        reverse("portal:dashboard")).content.decode()


def test_user_without_organisation_is_sent_to_register_one(client):
    client.force_login(factories.UserFactory())
    assert client.get(reverse("portal:dashboard"))["Location"] == reverse(
        "portal:organisation_start")


@pytest.mark.parametrize("language", ["nn", "en", "nb"])
def test_language_switch_changes_the_page(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert f'<html lang="{language}"' in html
    # allauth ships its own nb/nn/en catalogues, so its login button proves the switch.
    login = client.get(reverse("account_login")).content.decode()
    expected = {"nn": "Logg inn", "en": "Sign In", "nb": "Logg inn"}[language]
    assert expected in login


def test_a_reused_menu_carries_each_pages_own_csrf_token(client):
    """The menu is rendered once and reused: its log-out form must still carry the token of
    the page it is on, the same one as every other form there, never an earlier visitor's."""
    import re

    from django.test import Client

    tokens = []
    for _ in range(2):  # two people with the same roles: the second gets the reused menu
        browser = Client()
        browser.force_login(factories.member_of(factories.BusinessFactory()))
        html = browser.get(reverse("portal:home")).content.decode()
        page_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        page_tokens |= set(re.findall(r'"X-CSRFToken": "([^"]+)"', html))
        assert len(page_tokens) == 1, page_tokens
        tokens.append(page_tokens.pop())
    assert tokens[0] != tokens[1]


def test_the_menu_ignores_a_pages_own_roles_and_user(client):
    """The members page passes a list named "roles" to its template; the menu asks about the
    signed-in user itself, so the page still renders with the visitor's own links."""
    business = factories.BusinessFactory()
    client.force_login(factories.member_of(business))
    response = client.get(reverse("portal:organisation_members", args=[business.pk]))
    assert response.status_code == 200
    nav = response.content.decode().split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("needs:business_home")}"' in nav


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_kept_language_form_is_the_templates_with_the_pages_token_and_path(rf, language):
    from django.middleware.csrf import get_token
    from django.template import RequestContext, Template
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.html import escape

    from portal.templatetags.portal_navigation import language_switcher

    for path in ("/", '/offers/?q=<b>&area="skog"', "/needs/survey/3/step/2/?x=æ"):
        request = rf.get(path)
        get_token(request)
        with translation.override(language):
            context = RequestContext(request, {})
            with context.bind_template(Template("")):
                kept = language_switcher(context)
                again = language_switcher(context)
                token = str(context["csrf_token"])
            expected = render_to_string("_language_switcher.html", request=request)
        # Each rendering masks the token anew: the page's own one is in, the rest identical.
        assert token in kept
        assert _masked(kept) == _masked(expected) == _masked(again)
        assert f'name="next" type="hidden" value="{escape(request.get_full_path())}"' in kept


def _masked(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "TOKEN", html)
