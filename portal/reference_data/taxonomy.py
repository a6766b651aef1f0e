"""The competence-area taxonomy: top-level areas (public codes) and sub-areas `<area>.<slug>`.

Labels in bokmål (nb), nynorsk (nn) and English (en); synonyms help the need picker and the
text matching find an area from the words people use.
"""

AREAS: list[dict] = [
    {"code": "bygg", "nb": "Bygg og anlegg", "nn": "Bygg og anlegg", "en": "Construction",
     "synonyms": ["byggfag", "håndverk", "snekker", "tømrer"],
     "children": [
         {"slug": "tomrer", "nb": "Tømrerfaget", "nn": "Tømrarfaget", "en": "Carpentry",
          "synonyms": ["tømrer", "snekker", "fagbrev tømrer"]},
     ]},
    {"code": "helse", "nb": "Helse og omsorg", "nn": "Helse og omsorg", "en": "Health and care",
     "synonyms": ["omsorg", "pleie", "sykehjem", "hjemmetjeneste"],
     "children": [
         {"slug": "helsefagarbeider", "nb": "Helsefagarbeider", "nn": "Helsefagarbeidar",
          "en": "Healthcare worker", "synonyms": ["helsefag", "fagbrev helse", "praksiskandidat"]},
     ]},
    {"code": "reiseliv", "nb": "Reiseliv og servering", "nn": "Reiseliv og servering",
     "en": "Tourism and hospitality", "synonyms": ["turisme", "hytte", "overnatting", "hotell"],
     "children": [
         {"slug": "miljosertifisering", "nb": "Miljøsertifisering i reiselivet",
          "nn": "Miljøsertifisering i reiselivet", "en": "Environmental certification",
          "synonyms": ["miljøfyrtårn", "bærekraftig reisemål", "green key"]},
     ]},
    {"code": "energi", "nb": "Energi og vannkraft", "nn": "Energi og vasskraft",
     "en": "Energy and hydropower", "synonyms": ["kraftverk", "elektro", "strøm"],
     "children": [
         {"slug": "fse", "nb": "Årlig elsikkerhetskurs (FSE)", "nn": "Årleg elsikkerheitskurs (FSE)",
          "en": "Annual electrical safety course (FSE)",
          "synonyms": ["fse", "elsikkerhet", "førstehjelp strøm", "fse-kurs"]},
     ]},
    {"code": "landbruk", "nb": "Landbruk", "nn": "Landbruk", "en": "Agriculture",
     "synonyms": ["gårdsdrift", "jordbruk", "bonde"], "children": []},
    {"code": "skog", "nb": "Skogbruk", "nn": "Skogbruk", "en": "Forestry",
     "synonyms": ["skogsarbeid", "tømmer", "hogst"],
     "children": [
         {"slug": "motorsag", "nb": "Motorsagkurs", "nn": "Motorsagkurs", "en": "Chainsaw course",
          "synonyms": ["motorsag", "motorsagsertifikat", "hogst med motorsag", "sag"]},
     ]},
    {"code": "industri", "nb": "Industri og automatisering", "nn": "Industri og automatisering",
     "en": "Industry and automation", "synonyms": ["industri 4.0", "produksjon", "automasjon"],
     "children": [
         {"slug": "sveising", "nb": "Sveising", "nn": "Sveising", "en": "Welding",
          "synonyms": ["sveis", "sveisekurs", "sveisesertifikat"]},
     ]},
    {"code": "digital", "nb": "Digital kompetanse", "nn": "Digital kompetanse",
     "en": "Digital skills", "synonyms": ["data", "it", "datakunnskap"], "children": []},
    {"code": "ledelse", "nb": "Ledelse, økonomi og administrasjon",
     "nn": "Leiing, økonomi og administrasjon", "en": "Management, finance and administration",
     "synonyms": ["leder", "regnskap", "økonomi"], "children": []},
    {"code": "hms", "nb": "Helse, miljø og sikkerhet (HMS)", "nn": "Helse, miljø og tryggleik (HMS)",
     "en": "Health, safety and environment", "synonyms": ["hms", "sikkerhet", "verneombud"],
     "children": []},
    {"code": "sprak", "nb": "Språk og kommunikasjon", "nn": "Språk og kommunikasjon",
     "en": "Language and communication", "synonyms": ["norsk", "engelsk", "språkkurs"],
     "children": [
         {"slug": "norsk-arbeidsinnvandrere", "nb": "Norsk for arbeidsinnvandrere",
          "nn": "Norsk for arbeidsinnvandrarar", "en": "Norwegian for work immigrants",
          "synonyms": ["norskkurs", "norsk som andrespråk", "arbeidsinnvandrer"]},
     ]},
    {"code": "baerekraft", "nb": "Bærekraft og grønt skifte", "nn": "Berekraft og grønt skifte",
     "en": "Sustainability and green transition", "synonyms": ["grønn omstilling", "klima", "miljø"],
     "children": []},
    {"code": "salg", "nb": "Salg og service", "nn": "Sal og service", "en": "Sales and service",
     "synonyms": ["kundeservice", "butikk", "markedsføring"], "children": []},
    {"code": "transport", "nb": "Transport og logistikk", "nn": "Transport og logistikk",
     "en": "Transport and logistics", "synonyms": ["sjåfør", "lager", "førerkort"],
     "children": []},
]
