"""A small stand-in for ID-porten (an OpenID Connect provider), served on loopback so allauth's
real client code talks HTTP to it: discovery, JWKS, authorize, token and userinfo.

The RSA key is generated when the provider starts. `authorize` answers as ID-porten does after
the person has signed in: a redirect back with a one-time code and the caller's `state`; the
token endpoint checks the client secret and the PKCE verifier, then issues an ID token for the
person queued with `sign_in_as`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.portal.fake_http import JSONHandler

CLIENT_ID = "kompetanseportalen-test"
CLIENT_SECRET = "hemmelig-klient"  # noqa: S105 (a test secret)
KID = "fake-idporten-1"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class FakeIdPorten:
    base_url: str = ""
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    person: dict = field(default_factory=dict)  # the claims of who signs in next
    codes: dict = field(default_factory=dict)  # code → (claims, code_challenge)
    audience: str = CLIENT_ID  # what the next ID token says it is for
    requests: list = field(default_factory=list)  # (path, query or form) seen

    def sign_in_as(self, *, sub: str, pid: str, **claims) -> None:
        self.person = {"sub": sub, "pid": pid, **claims}

    def id_token(self, claims: dict) -> str:
        now = int(time.time())
        body = {"iss": self.base_url, "aud": self.audience, "iat": now, "exp": now + 120,
                "jti": secrets.token_hex(8), "acr": "idporten-loa-substantial",
                "amr": ["BankID"], **claims}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": KID})

    def jwks(self) -> dict:
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "kid": KID, "use": "sig", "alg": "RS256",
                          "n": _b64(numbers.n), "e": _b64(numbers.e)}]}

    def discovery(self) -> dict:
        base = self.base_url
        return {"issuer": base, "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token", "userinfo_endpoint": f"{base}/userinfo",
                "jwks_uri": f"{base}/jwks",
                "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                          "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "acr_values_supported": ["idporten-loa-substantial", "idporten-loa-high"]}


def _handler(provider: FakeIdPorten):
    class Handler(JSONHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            provider.requests.append((url.path, query))
            if url.path == "/.well-known/openid-configuration":
                return self._json(200, provider.discovery())
            if url.path == "/jwks":
                return self._json(200, provider.jwks())
            if url.path == "/authorize":
                code = secrets.token_urlsafe(16)
                provider.codes[code] = (dict(provider.person), query.get("code_challenge"))
                back = urlencode({"code": code, "state": query["state"]})
                target = f"{query['redirect_uri']}?{back}"
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
                return None
            if url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                claims = provider.codes.get(f"access:{token}")
                if claims is None:
                    return self._json(401, {"error": "invalid_token"})
                return self._json(200, {"sub": claims["sub"], "pid": claims["pid"]})
            return self._json(404, {"error": "not_found"})

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.requests.append((self.path, form))
            if self.path != "/token":
                return self._json(404, {"error": "not_found"})
            if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                return self._json(401, {"error": "invalid_client"})
            claims, challenge = provider.codes.pop(form.get("code", ""), (None, None))
            if claims is None:
                return self._json(400, {"error": "invalid_grant"})
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            if not challenge or digest.rstrip(b"=").decode() != challenge:
                return self._json(400, {"error": "invalid_grant",
                                        "error_description": "PKCE verifier does not match"})
            access = secrets.token_urlsafe(16)
            provider.codes[f"access:{access}"] = claims
            return self._json(200, {"access_token": access, "token_type": "Bearer",
                                    "expires_in": 120, "id_token": provider.id_token(claims)})

    return Handler


def start() -> tuple[FakeIdPorten, ThreadingHTTPServer]:
    provider = FakeIdPorten()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider, server
