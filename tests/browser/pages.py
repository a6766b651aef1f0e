"""Every page of the portal, in one list, for the accessibility and phone checks.

Each entry names the role that opens it, the URL name, and a builder that creates the data the
page needs (via `tests.factories`) and returns the URL kwargs. Add new pages here when they land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests import factories

ANONYMOUS = "anonymous"
BUSINESS = "business"
PROVIDER = "provider"
ADVISER = "adviser"
NEWCOMER = "newcomer"  # logged in, not yet a member of any organisation


@dataclass
class Actor:
    """The logged-in person (if any) and their organisation, made fresh for each test."""

    role: str
    user: Any = None
    organisation: Any = None


def make_actor(role: str) -> Actor:
    if role == ANONYMOUS:
        return Actor(role)
    if role == BUSINESS:
        org = factories.BusinessFactory()
        return Actor(role, factories.member_of(org), org)
    if role == PROVIDER:
        org = factories.ProviderFactory()
        return Actor(role, factories.member_of(org), org)
    if role == ADVISER:
        return Actor(role, factories.adviser())
    if role == NEWCOMER:
        return Actor(role, factories.UserFactory())
    raise ValueError(role)


def no_kwargs(actor: Actor) -> dict:
    return {}


@dataclass(frozen=True)
class Page:
    id: str
    role: str
    url_name: str
    build: Callable[[Actor], dict] = no_kwargs
    query: str = ""
    # Third-party UI we do not write (Swagger UI): checked for CDN requests and console errors only.
    third_party: bool = False
    marks: tuple = field(default=())

    def url(self, actor: Actor) -> str:
        from django.urls import reverse

        return reverse(self.url_name, kwargs=self.build(actor) or None) + self.query


PAGES: list[Page] = [
    Page("home", ANONYMOUS, "portal:home"),
    Page("login", ANONYMOUS, "account_login"),
    Page("signup", ANONYMOUS, "account_signup"),
    Page("password-reset", ANONYMOUS, "account_reset_password"),
    Page("dashboard-business", BUSINESS, "portal:dashboard"),
    Page("dashboard-provider", PROVIDER, "portal:dashboard"),
    Page("dashboard-adviser", ADVISER, "portal:dashboard"),
    Page("organisation-start", NEWCOMER, "portal:organisation_start"),
    Page("account", BUSINESS, "portal:account"),
    Page("api-docs", ANONYMOUS, "api-docs", third_party=True),
]

