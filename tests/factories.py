"""factory-boy factories for the shared domain. App-specific factories live next to them here."""

import factory
from stdnum.no import orgnr as orgnr_check

from portal.models import CompetenceArea, Membership, Municipality, Organisation, User


def _valid_orgnr(n: int) -> str:
    """The n-th valid organisation number from a fixed 8-digit prefix sequence (MOD11)."""
    base = 910_000_00 + n * 7
    while True:
        stem = str(base).zfill(8)
        check = orgnr_check.calc_check_digit(stem)
        if check.isdigit() and len(check) == 1:
            return stem + check
        base += 1


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.no")
    full_name = factory.Faker("name", locale="nb_NO")
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
    county = Organisation.objects.filter(kind=Organisation.Kind.COUNTY).first() or CountyFactory()
    return member_of(county, **user_kwargs)
