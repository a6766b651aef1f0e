"""factory-boy factories for the shared domain. App-specific factories live next to them here."""

import factory
from stdnum.no import orgnr as orgnr_check

from portal.models import CompetenceArea, Membership, Municipality, Organisation, User


def _valid_orgnr(n: int) -> str:
    """The n-th valid organisation number from a fixed 8-digit prefix sequence (MOD11)."""
    base = 910_000_00 + n * 7
    while True:
        stem = str(base).zfill(8)
        # python-stdnum has no calc_check_digit for orgnr: try the ten digits, keep a valid one.
        for digit in "0123456789":
            if orgnr_check.is_valid(stem + digit):
                return stem + digit
        base += 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.no")
    full_name = factory.Faker("name", locale="no_NO")
    password = factory.PostGenerationMethodCall("set_password", "Hemmelig-passord-42")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users are created with a verified primary e-mail, as after sign-up."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        self.save()
        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff get a TOTP device, as they need one to open the admin; `second_factor=True`
        gives one to anyone (advisers get one from `adviser()`), `False` to nobody."""
        if create and (extracted or (extracted is None and self.is_staff)):
            with_totp(self)


# Every test TOTP device shares this secret; `totp_code()` gives its current code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_totp(user: User, secret: str = TOTP_SECRET) -> User:
    """Sets up an authenticator app (TOTP) for the user, as the two-factor set-up page does."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return user


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now for the secret."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def municipality(code: str = "4022") -> Municipality:
    """A seeded municipality (reference data is loaded by migrations)."""
    return Municipality.objects.get(code=code)


def area(code: str = "skog.motorsag") -> CompetenceArea:
    return CompetenceArea.objects.get(code=code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    orgnr = factory.Sequence(_valid_orgnr)
    name = factory.Sequence(lambda n: f"Bedrift {n} AS")
    kind = Organisation.Kind.BUSINESS
    municipality = factory.LazyFunction(lambda: municipality("4022"))
    industry_code = "02.200"
    employees = 12
    contact_name = "Kari Nordmann"
    contact_email = factory.Sequence(lambda n: f"post{n}@bedrift.no")


class BusinessFactory(OrganisationFactory):
    kind = Organisation.Kind.BUSINESS


class ProviderFactory(OrganisationFactory):
    kind = Organisation.Kind.PROVIDER
    name = factory.Sequence(lambda n: f"Kursleverandør {n}")
    municipality = factory.LazyFunction(lambda: municipality("4020"))
    industry_code = "85.59"
    employees = 40


class CountyFactory(OrganisationFactory):
    kind = Organisation.Kind.COUNTY
    name = "Telemark fylkeskommune"
    municipality = factory.LazyFunction(lambda: municipality("4003"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(BusinessFactory)
    role = Membership.Role.ADMIN


def member_of(organisation: Organisation, **user_kwargs) -> User:
    """A user who is an admin member of the organisation."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation)
    return user


def adviser(**user_kwargs) -> User:
    """A county adviser with a TOTP device (advisers need a second factor); pass
    `second_factor=False` for one who has not set it up yet."""
    user_kwargs.setdefault("second_factor", True)
    county = Organisation.objects.filter(kind=Organisation.Kind.COUNTY).first() or CountyFactory()
    return member_of(county, **user_kwargs)


def scoped_adviser(*codes: str, **user_kwargs) -> User:
    """An adviser (with a second factor) limited to the municipalities with these codes."""
    user = adviser(**user_kwargs)
    Membership.objects.get(user=user).municipalities.set(
        [municipality(code) for code in codes])
    return user


# --- needs ------------------------------------------------------------------------------
import datetime as _dt  # noqa: E402

from needs.models import Need, SurveyRound  # noqa: E402
from offers.models import Offer  # noqa: E402


class SurveyRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyRound

    name = factory.Sequence(lambda n: f"Kompetansekartlegging {2026 + n}")
    year = factory.Sequence(lambda n: 2026 + n)
    opens_on = factory.LazyFunction(lambda: _dt.date.today() - _dt.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=60))


class NeedFactory(factory.django.DjangoModelFactory):
    """A submitted need for a chainsaw course in Seljord, 4 participants, next spring."""

    class Meta:
        model = Need

    organisation = factory.SubFactory(BusinessFactory)
    area = factory.LazyFunction(lambda: area("skog.motorsag"))
    title = "Motorsagkurs for skogsarbeidere"
    description = "Fire ansatte trenger motorsagsertifikat før hogstsesongen."
    participants = 4
    level = "course"
    formats = ["local", "workplace", "blended"]
    earliest_start = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=30))
    latest_start = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=150))
    max_travel_km = 60
    budget_per_participant = 6000
    status = Need.Status.SUBMITTED


class OfferFactory(factory.django.DjangoModelFactory):
    """A published chainsaw course in Seljord, starting in two months."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    provider = factory.SubFactory(ProviderFactory)
    title = "Motorsagkurs – grunnkurs"
    description = "Sikker bruk av motorsag, vedlikehold og felling. Gir motorsagsertifikat."
    level = "course"
    hours = 16
    format = "local"
    municipality = factory.LazyFunction(lambda: municipality("4022"))
    start_date = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=60))
    end_date = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=62))
    application_deadline = factory.LazyFunction(lambda: _dt.date.today() + _dt.timedelta(days=45))
    price_nok = 4500
    min_participants = 6
    max_participants = 12
    status = Offer.Status.PUBLISHED

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted if extracted is not None else ["skog.motorsag"]
        self.areas.set([area(code) for code in codes])


# --- matching (workspace helper): matches and cohorts built directly for workflow/page tests ---
from matching.models import Cohort, Match  # noqa: E402


class MatchFactory(factory.django.DjangoModelFactory):
    """A current suggested match between a chainsaw need and a chainsaw course."""

    class Meta:
        model = Match

    need = factory.SubFactory(NeedFactory)
    offer = factory.SubFactory(OfferFactory)
    score = 82.0
    components = factory.LazyFunction(
        lambda: {"topic": 1.0, "level": 1.0, "format": 1.0, "geography": 0.8, "timing": 1.0,
                 "cost": 1.0, "capacity": 0.5}
    )
    reasons = factory.LazyFunction(list)
    rank = 1
    status = Match.Status.SUGGESTED


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    key = factory.Sequence(lambda n: f"test-cohort-{n}")
    area = factory.LazyFunction(lambda: area("skog.motorsag"))
    level = "course"
    anchor_municipality = factory.LazyFunction(lambda: municipality("4022"))
    participants = 9
    business_count = 2
    threshold = 8
    is_opportunity = True


def token_client(user: User, organisation: Organisation | None = None):
    """An API client that authenticates with a personal token of `user`, for `organisation`
    (default: the user's only organisation)."""
    from rest_framework.test import APIClient

    from portal.tokens import api_token_create

    organisation = organisation or user.memberships.get().organisation
    client = APIClient()
    issued = api_token_create(user=user, organisation=organisation, name="test")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    return client
