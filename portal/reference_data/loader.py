"""Upserts the shipped reference data. Works with live models and with a migration's apps."""

from __future__ import annotations

from .industries import INDUSTRIES
from .municipalities import MUNICIPALITIES
from .taxonomy import ABBREVIATIONS, AREAS


def load_municipalities(Municipality, MunicipalityAlias) -> None:
    for code, name, county, lat, lon, in_region, aliases in MUNICIPALITIES:
        municipality, _ = Municipality.objects.update_or_create(
            code=code,
            defaults={"name": name, "county_code": county, "latitude": lat, "longitude": lon,
                      "in_region": in_region},
        )
        for alias in aliases:
            MunicipalityAlias.objects.update_or_create(
                code=alias, defaults={"municipality": municipality}
            )


def _synonyms(code: str, synonyms: list[str]) -> str:
    return ";".join(dict.fromkeys([*synonyms, *ABBREVIATIONS.get(code, [])]))


def load_taxonomy(CompetenceArea) -> None:
    order = 0
    for area in AREAS:
        order += 10
        parent, _ = CompetenceArea.objects.update_or_create(
            code=area["code"],
            defaults={"parent": None, "label_nb": area["nb"], "label_nn": area["nn"],
                      "label_en": area["en"],
                      "synonyms": _synonyms(area["code"], area.get("synonyms", [])),
                      "sort_order": order},
        )
        for sub in area.get("children", []):
            order += 1
            CompetenceArea.objects.update_or_create(
                code=f"{area['code']}.{sub['slug']}",
                defaults={"parent": parent, "label_nb": sub["nb"], "label_nn": sub["nn"],
                          "label_en": sub["en"],
                          "synonyms": _synonyms(f"{area['code']}.{sub['slug']}",
                                                sub.get("synonyms", [])),
                          "sort_order": order},
            )


def load_industries(Industry) -> None:
    by_code = {}
    for code, nb, nn, en in INDUSTRIES:
        parent = None
        if code[0].isdigit():
            # Divisions (two digits) hang under their section, detailed codes under their division.
            parent = by_code.get(code[:2]) if "." in code else by_code.get(_section_of(code))
        obj, _ = Industry.objects.update_or_create(
            standard="SN2007", code=code,
            defaults={"label_nb": nb, "label_nn": nn, "label_en": en, "parent": parent},
        )
        by_code[code] = obj


_SECTION_RANGES = [
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43),
    ("G", 45, 47), ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68),
    ("M", 69, 75), ("N", 77, 82), ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93),
    ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
]


def _section_of(code: str) -> str | None:
    division = int(code[:2])
    for section, low, high in _SECTION_RANGES:
        if low <= division <= high:
            return section
    return None


def load_all(apps=None) -> None:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    load_municipalities(apps.get_model("portal", "Municipality"),
                        apps.get_model("portal", "MunicipalityAlias"))
    load_taxonomy(apps.get_model("portal", "CompetenceArea"))
    load_industries(apps.get_model("portal", "Industry"))
