"""Municipalities in and near the service region (Øvre Telemark), with retired codes.

Codes from 2024 (Telemark county 40). Retired codes: 2020–2023 (county 38) and before 2020
(county 08). Centroids are the administrative centres, good enough for travel distances.
"""

# (code, name, county, lat, lon, in_region, aliases)
MUNICIPALITIES: list[tuple[str, str, str, float, float, bool, tuple[str, ...]]] = [
    ("4026", "Tinn", "40", 59.8790, 8.5930, True, ("3818", "0826")),
    ("4024", "Hjartdal", "40", 59.6070, 8.6830, True, ("3819", "0827")),
    ("4022", "Seljord", "40", 59.4850, 8.6280, True, ("3820", "0828")),
    ("4028", "Kviteseid", "40", 59.4010, 8.4900, True, ("3821", "0829")),
    ("4030", "Nissedal", "40", 59.0230, 8.5230, True, ("3822", "0830")),
    ("4032", "Fyresdal", "40", 59.1860, 8.0900, True, ("3823", "0831")),
    ("4034", "Tokke", "40", 59.4440, 8.0060, True, ("3824", "0833")),
    ("4036", "Vinje", "40", 59.5720, 7.9900, True, ("3825", "0834")),
    # Nearby towns with education providers.
    ("4020", "Midt-Telemark", "40", 59.4080, 9.0660, False, ("3817", "0821", "0822")),
    ("4005", "Notodden", "40", 59.5600, 9.2640, False, ("3808", "0807")),
    ("4003", "Skien", "40", 59.2090, 9.6090, False, ("3807", "0806")),
    ("4001", "Porsgrunn", "40", 59.1400, 9.6560, False, ("3806", "0805")),
]
