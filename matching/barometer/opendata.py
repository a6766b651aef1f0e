"""Open data: the public release as tidy long rows (CSV and JSON), and its DCAT-AP-NO record.

Columns: round, municipality_code, area_code, level, measure, value, suppressed. An empty code
(JSON: null) means "all" (the region, every area, every level). A cell that is not listed is
zero; a withheld cell is listed with no value and suppressed = true. Breakdowns that are not by
municipality × area × level carry their category in the measure's name: `industry.A.needs`,
`size.1-4.needs`, `consequence.safety_risk.needs`, `overall_need.large.respondents`,
`measure.train_staff.respondents`, `barrier.time.respondents`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.urls import reverse

from .disclosure import ALL
from .release import Release

COLUMNS = ["round", "municipality_code", "area_code", "level", "measure", "value",
           "suppressed"]
CUBE_MEASURES = ("needs", "participants", "businesses")


def _row(round_label, municipality, area, level, measure, value, suppressed) -> dict:
    return {
        "round": round_label,
        "municipality_code": municipality or None,
        "area_code": area or None,
        "level": level or None,
        "measure": measure,
        "value": None if suppressed else _number(value),
        "suppressed": bool(suppressed),
    }


def _number(value):
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 1)


def tidy_rows(releases: list[tuple[dict, str, Release]], *, round_label: str = "",
              municipality: str = "") -> Iterator[dict]:
    """Every published (or withheld) cell of every round, as tidy rows."""
    for _round, label, release in releases:
        if round_label and label != round_label:
            continue
        yield from _release_rows(label, release, municipality)


def _release_rows(label: str, release: Release, municipality: str) -> Iterator[dict]:
    def wanted(m):
        return not municipality or m == municipality

    needs = release.families["needs"]
    for r in needs.to_dict("records"):
        if not wanted(r["municipality"]):
            continue
        for measure in CUBE_MEASURES:
            yield _row(label, r["municipality"], r["area"], r["level"], measure, r[measure],
                       r["suppressed"])
        if r["level"] == ALL:
            share = _coverage(release, r)
            yield _row(label, r["municipality"], r["area"], ALL, "coverage_pct", share,
                       share is None)
    for family, prefix in (("covered", "covered"), ("gaps", "gap")):
        for r in release.families[family].to_dict("records"):
            if wanted(r["municipality"]):
                yield _row(label, r["municipality"], r["area"], ALL, f"{prefix}_needs",
                           r["needs"], r["suppressed"])
                yield _row(label, r["municipality"], r["area"], ALL,
                           f"{prefix}_participants", r["participants"], r["suppressed"])
    if not municipality:
        for family, dim in (("industry", "section"), ("size", "size"),
                            ("consequence", "consequence")):
            for r in release.families[family].to_dict("records"):
                if r[dim] == ALL:
                    continue  # the grand total, already listed with the needs
                for measure in CUBE_MEASURES:
                    yield _row(label, ALL, ALL, ALL, f"{family}.{r[dim]}.{measure}",
                               r[measure], r["suppressed"])
    for r in release.families["overall_need"].to_dict("records"):
        if wanted(r["municipality"]):
            measure = ("respondents" if r["overall_need"] == ALL
                       else f"overall_need.{r['overall_need']}.respondents")
            yield _row(label, r["municipality"], ALL, ALL, measure, r["respondents"],
                       r["suppressed"])
    for family, prefix in (("measures", "measure"), ("barriers", "barrier")):
        for r in release.families[family].to_dict("records"):
            if wanted(r["municipality"]):
                yield _row(label, r["municipality"], ALL, ALL,
                           f"{prefix}.{r['option']}.respondents", r["respondents"],
                           r["suppressed"])


def _coverage(release: Release, needs_row: dict) -> float | None:
    if needs_row["suppressed"] or not needs_row["needs"]:
        return None
    covered = release.cell("covered", municipality=needs_row["municipality"],
                           area=needs_row["area"])
    if covered is None:
        return 0.0
    if covered["suppressed"]:
        return None
    return round(100.0 * covered["needs"] / needs_row["needs"], 1)


def to_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "municipality_code": row["municipality_code"] or "",
                         "area_code": row["area_code"] or "", "level": row["level"] or "",
                         "value": "" if row["value"] is None else row["value"],
                         "suppressed": "true" if row["suppressed"] else "false"})
    return out.getvalue()


# --- DCAT-AP-NO -------------------------------------------------------------------------------

NLOD = "http://data.norge.no/nlod/no/2.0"
PUBLISHER_ORGNR = "821227062"  # Vestfold og Telemark fylkeskommune
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
TITLES = {"nb": "Kompetansebarometer for Øvre Telemark",
          "nn": "Kompetansebarometer for Øvre Telemark",
          "en": "Competence barometer for Øvre Telemark"}
DESCRIPTIONS = {
    "nb": "Kompetansebehov i små bedrifter i åtte kommuner i Øvre Telemark, per "
          "kartleggingsrunde, kommune, kompetanseområde og nivå. Celler med færre enn tre "
          "bedrifter, eller der én bedrift står for mer enn 80 % av deltakerne, er skjult.",
    "nn": "Kompetansebehov i små verksemder i åtte kommunar i Øvre Telemark, per "
          "kartleggingsrunde, kommune, kompetanseområde og nivå. Celler med færre enn tre "
          "verksemder, eller der éi verksemd står for meir enn 80 % av deltakarane, er skjulte.",
    "en": "Competence needs of small businesses in the eight municipalities of Øvre Telemark, "
          "by survey round, municipality, competence area and level. Cells resting on fewer "
          "than three businesses, or where one business has more than 80 % of the "
          "participants, are withheld.",
}


def _lang(values: dict[str, str]) -> list[dict]:
    return [{"@language": lang, "@value": text} for lang, text in values.items()]


def _date(value) -> dict:
    return {"@type": "xsd:date", "@value": value.isoformat()}


def dcat_dataset(*, base_url: str, rounds: list[dict], municipalities: list[dict],
                 modified=None) -> dict:
    """The dataset description the national data catalogue harvests."""
    def url(name: str) -> str:
        return base_url.rstrip("/") + reverse(name)

    licence = {"@id": NLOD}
    distributions = []
    for name, media, fmt, title in (
        ("barometer:data_csv", "text/csv", "CSV", "CSV (tidy long format)"),
        ("api-barometer", "application/json", "JSON", "JSON (REST API)"),
    ):
        distributions.append({
            "@id": url(name) + "#distribution",
            "@type": "dcat:Distribution",
            "dct:title": {"@language": "en", "@value": title},
            "dcat:accessURL": {"@id": url(name)},
            "dcat:downloadURL": {"@id": url(name)},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
            "dct:format": {"@id": "http://publications.europa.eu/resource/authority/"
                                  f"file-type/{fmt}"},
            "dct:license": licence,
        })
    dataset: dict = {
        "@context": CONTEXT,
        "@id": url("barometer:dataset"),
        "@type": "dcat:Dataset",
        "dct:identifier": url("barometer:dataset"),
        "dct:title": _lang(TITLES),
        "dct:description": _lang(DESCRIPTIONS),
        "dct:publisher": {
            "@id": f"https://data.brreg.no/enhetsregisteret/api/enheter/{PUBLISHER_ORGNR}",
            "@type": "foaf:Agent",
            "foaf:name": "Vestfold og Telemark fylkeskommune",
            "dct:identifier": PUBLISHER_ORGNR,
        },
        "dct:license": licence,
        "dct:accessRights": {"@id": "http://publications.europa.eu/resource/authority/"
                                    "access-right/PUBLIC"},
        "dcat:theme": [{"@id": "http://publications.europa.eu/resource/authority/data-theme/"
                               f"{theme}"} for theme in ("EDUC", "ECON")],
        "dcat:keyword": [{"@language": "nb", "@value": word} for word in (
            "kompetanse", "etter- og videreutdanning", "kompetansebarometer", "næringsliv")],
        "dct:spatial": [{"@id": "https://data.geonorge.no/administrativeEnheter/kommune/id/"
                                f"{m['code']}"} for m in municipalities],
        "dcat:landingPage": {"@id": url("barometer:public")},
        "dcat:contactPoint": {"@type": "vcard:Organization",
                              "vcard:fn": "Vestfold og Telemark fylkeskommune",
                              "vcard:hasURL": {"@id": url("barometer:public")}},
        "dcat:distribution": distributions,
    }
    if rounds:
        dataset["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                                   "dcat:startDate": _date(rounds[0]["opens_on"]),
                                   "dcat:endDate": _date(rounds[-1]["closes_on"])}
    if modified is not None:
        dataset["dct:modified"] = _date(modified)
    return dataset
