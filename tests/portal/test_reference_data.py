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


def test_taxonomy_has_enough_sub_areas_with_labels_in_three_languages():
    import re

    subs = CompetenceArea.objects.exclude(parent=None).select_related("parent")
    assert subs.count() >= 60
    for area in CompetenceArea.objects.all():
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9-]+)?", area.code), area.code
        assert area.label_nb and area.label_nn and area.label_en, area.code
    for sub in subs:
        assert sub.code.split(".")[0] == sub.parent.code


def test_the_word_businesses_use_is_a_synonym_of_the_chainsaw_area():
    assert "motorsag" in CompetenceArea.objects.get(code="skog.motorsag").synonyms.split(";")
    assert "sveisekurs" in CompetenceArea.objects.get(code="industri.sveising").synonyms


def test_all_sn2007_sections_and_divisions_are_loaded_with_their_standard():
    from portal.models import Industry

    sn2007 = Industry.objects.filter(standard="SN2007")
    sections = set(sn2007.filter(code__regex=r"^[A-U]$").values_list("code", flat=True))
    divisions = sn2007.filter(code__regex=r"^[0-9]{2}$")
    assert sections == set("ABCDEFGHIJKLMNOPQRSTU")
    assert divisions.count() == 88
    assert sn2007.get(code="35.111").parent.code == "35"
    assert sn2007.get(code="35").parent.code == "D"


def test_industry_labels_in_nynorsk_translate_compounds_too():
    import re

    from portal.models import Industry

    labels = dict(Industry.objects.values_list("code", "label_nn"))
    assert labels["43"] == "Spesialisert bygge- og anleggsverksemd"
    assert labels["M"] == "Fagleg, vitskapleg og teknisk tenesteyting"
    assert labels["88.101"] == "Heimetenester for eldre og funksjonshemma"
    bokmal_only = re.compile(r"virksomhet|tjenest|\bikke\b|\bfra\b|lig\b|eiendom", re.I)
    assert [label for label in labels.values() if bokmal_only.search(label)] == []


@pytest.mark.parametrize(
    ("legacy", "today"),
    [("3818", "4026"), ("0826", "4026"), ("3820", "4022"), ("0828", "4022"),
     ("3824", "4034"), ("0833", "4034"), ("3825", "4036"), ("0834", "4036")],
)
def test_legacy_municipality_codes_map_to_2024_codes(legacy, today):
    assert MunicipalityAlias.objects.get(code=legacy).municipality.code == today
