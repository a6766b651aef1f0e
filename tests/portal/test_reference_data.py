import pytest

from portal.models import CompetenceArea, Municipality, MunicipalityAlias

pytestmark = pytest.mark.django_db


def test_the_eight_region_municipalities_are_seeded_with_2024_codes():
    codes = set(Municipality.objects.filter(in_region=True).values_list("code", flat=True))
    assert codes == {"4022", "4024", "4026", "4028", "4030", "4032", "4034", "4036"}


def test_retired_codes_point_to_todays_municipality():
    assert MunicipalityAlias.objects.get(code="3825").municipality.code == "4036"
    assert MunicipalityAlias.objects.get(code="0834").municipality.name == "Vinje"


def test_all_top_level_areas_of_the_contract_exist():
    contract = {"bygg", "helse", "reiseliv", "energi", "landbruk", "skog", "industri", "digital",
                "ledelse", "hms", "sprak", "baerekraft", "salg", "transport"}
    top = set(CompetenceArea.objects.filter(parent=None).values_list("code", flat=True))
    assert contract <= top
