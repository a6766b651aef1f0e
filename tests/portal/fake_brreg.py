"""A small stand-in for Enhetsregisteret, served on loopback so the real HTTP client is tested."""

from __future__ import annotations

import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tests.portal.fake_http import JSONHandler

FOUND = "974760673"     # a registered business with a sub-unit
WITHHELD = "923609016"  # registered, industry and head count withheld, legacy municipality code
REMOVED = "982463718"
SLOW = "889640782"

ENTITIES = {
    FOUND: {
        "organisasjonsnummer": FOUND, "navn": "SELJORD SAG OG HØVLERI AS",
        "organisasjonsform": {"kode": "AS"},
        "naeringskode1": {"kode": "16.100", "beskrivelse": "Saging og høvling av tre"},
        "antallAnsatte": 17,
        "forretningsadresse": {"adresse": ["Brøløsvegen 7"], "postnummer": "3840",
                               "poststed": "SELJORD", "kommunenummer": "4022"},
    },
    WITHHELD: {
        "organisasjonsnummer": WITHHELD, "navn": "VINJE FJELLGARD DA",
        "organisasjonsform": {"kode": "DA"},
        "forretningsadresse": {"adresse": ["Edland 1"], "postnummer": "3895",
                               "poststed": "EDLAND", "kommunenummer": "3825"},
    },
}
SUB_UNITS = {
    FOUND: [{
        "organisasjonsnummer": "974760681", "navn": "SELJORD SAG AVD FLATDAL",
        "naeringskode1": {"kode": "16.100"}, "antallAnsatte": 6,
        "beliggenhetsadresse": {"adresse": ["Flatdalsvegen 30"], "postnummer": "3841",
                                "poststed": "FLATDAL", "kommunenummer": "4022"},
    }],
}


class _Handler(JSONHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        if parts[-2:-1] == ["enheter"]:
            orgnr = parts[-1]
            if orgnr == SLOW:
                time.sleep(2)
                return self._json(200, {})
            if orgnr == REMOVED:
                return self._json(410, {"organisasjonsnummer": orgnr, "slettedato": "2021-01-01"})
            if orgnr in ENTITIES:
                return self._json(200, ENTITIES[orgnr])
            return self._json(404, {"feilmelding": "Ingen enhet funnet"})
        if parts[-1] == "underenheter":
            parent = parse_qs(url.query).get("overordnetEnhet", [""])[0]
            units = SUB_UNITS.get(parent, [])
            return self._json(200, {"_embedded": {"underenheter": units}} if units else {})
        return self._json(500, {"feilmelding": "unexpected"})


class FakeRegistry:
    def __enter__(self) -> str:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/enhetsregisteret/api"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
