"""A local OpenID Connect provider for tests: sign-in (``st.login``) without a real one.

Not part of the product (``tools/`` is not in the wheel). It serves, on 127.0.0.1:

- ``/.well-known/openid-configuration``: the discovery document Streamlit's
  ``server_metadata_url`` points at (code flow, RS256, PKCE S256);
- ``/authorize``: approves the configured user at once and redirects back to the
  ``redirect_uri`` with a one-time code, the ``state`` and (in the token) the ``nonce``;
- ``/token``: checks client id and secret (Basic or form), the code, the redirect URI and
  the PKCE verifier, and returns an access token and an RS256-signed ``id_token`` with
  ``iss``, ``sub``, ``aud``, ``exp``, ``iat``, ``nonce``, ``email``, ``email_verified``
  and ``name``;
- ``/jwks``: the public key; ``/userinfo``: the user's claims for the access token.

Everything a real provider would check is checked, so a sign-in that passes here went
through Streamlit's and Authlib's real code (including the HTTP client they need).

Run it alone: ``python tools/oidc_provider.py --email eva@dortmund.de`` prints the
discovery URL for ``server_metadata_url`` in ``.streamlit/secrets.toml``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode, urlparse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "dortmund-kpi"
CLIENT_SECRET = "local-test-secret"
TOKEN_LIFETIME_S = 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(number: int) -> str:
    return _b64(number.to_bytes((number.bit_length() + 7) // 8, "big"))


@dataclass
class User:
    email: str
    name: str
    email_verified: bool = True

    @property
    def claims(self) -> dict[str, Any]:
        return {
            "sub": hashlib.sha256(self.email.encode()).hexdigest()[:24],
            "email": self.email,
            "email_verified": self.email_verified,
            "name": self.name,
        }


@dataclass
class _Grant:
    redirect_uri: str
    nonce: str | None
    challenge: str | None


@dataclass
class Provider:
    """The provider's state: its key, its user, its codes and tokens."""

    user: User
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    issuer: str = ""
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    codes: dict[str, _Grant] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    sign_ins: int = 0  # id tokens issued (tests read it)

    def metadata(self) -> dict[str, Any]:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        }

    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        key = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid}
        return {"keys": [key | {"n": _uint(numbers.n), "e": _uint(numbers.e)}]}

    def id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = self.user.claims | {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + TOKEN_LIFETIME_S,
        }
        if nonce:
            claims["nonce"] = nonce
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = ".".join(
            _b64(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def get(
        self, path: str, query: dict[str, str], authorization: str
    ) -> tuple[int, Any, dict[str, str]]:
        """Status, body and extra headers of a GET request."""
        if path == "/.well-known/openid-configuration":
            return 200, self.metadata(), {}
        if path == "/jwks":
            return 200, self.jwks(), {}
        if path == "/authorize":
            status, target = self.authorize(query)
            if status == 302:
                return 302, b"", {"Location": target}
            return status, {"error": "invalid_request", "error_description": target}, {}
        if path == "/userinfo":
            claims = self.tokens.get(authorization.removeprefix("Bearer ").strip())
            return (200, claims, {}) if claims else (401, {"error": "invalid_token"}, {})
        return 404, {"error": "not_found"}, {}

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """(status, redirect location or error text) for an authorization request."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect_uri:
            return 400, "unknown client or no redirect_uri"
        if query.get("response_type") != "code" or "openid" not in query.get("scope", ""):
            return 400, "only the code flow with scope openid"
        code = secrets.token_urlsafe(24)
        self.codes[code] = _Grant(redirect_uri, query.get("nonce"), query.get("code_challenge"))
        params = {"code": code}
        if "state" in query:
            params["state"] = query["state"]
        return 302, f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{urlencode(params)}"

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict[str, Any]:
        """The token response; ``ValueError`` with the OAuth error code when refused."""
        client = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        if client != (self.client_id, self.client_secret):
            raise ValueError("invalid_client")
        grant = self.codes.pop(form.get("code", ""), None)  # one use only
        if form.get("grant_type") != "authorization_code" or grant is None:
            raise ValueError("invalid_grant")
        if form.get("redirect_uri") != grant.redirect_uri:
            raise ValueError("invalid_grant")
        if grant.challenge is not None:
            verifier = form.get("code_verifier", "")
            if _b64(hashlib.sha256(verifier.encode()).digest()) != grant.challenge:
                raise ValueError("invalid_grant")
        access = secrets.token_urlsafe(24)
        self.tokens[access] = self.user.claims
        self.sign_ins += 1
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_S,
            "id_token": self.id_token(grant.nonce),
            "scope": "openid email profile",
        }


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            self._send(*provider.get(url.path, query, self.headers.get("Authorization", "")))

        def do_POST(self) -> None:
            if urlparse(self.path).path != "/token":
                self._send(404, {"error": "not_found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            try:
                self._send(200, provider.token(form, _basic(self.headers.get("Authorization"))))
            except ValueError as refused:
                self._send(400, {"error": str(refused)})

    return Handler


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header or not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return unquote_plus(user), unquote_plus(password)


class RunningProvider:
    """A provider serving in a background thread (``stop()`` ends it)."""

    def __init__(self, user: User, port: int = 0) -> None:
        self.provider = Provider(user)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.provider))
        self.provider.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def issuer(self) -> str:
        return self.provider.issuer

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def secrets_toml(self, app_base_url: str, editors: list[str]) -> str:
        """``.streamlit/secrets.toml`` for a dashboard at ``app_base_url`` signing in here."""
        emails = ", ".join(json.dumps(e) for e in editors)
        return (
            "[auth]\n"
            f'redirect_uri = "{app_base_url}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            f'client_id = "{self.provider.client_id}"\n'
            f'client_secret = "{self.provider.client_secret}"\n'
            f'server_metadata_url = "{self.metadata_url}"\n\n'
            "[editors]\n"
            f"emails = [{emails}]\n"
        )

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description="local OIDC provider for tests")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--email", default="eva@dortmund.de")
    parser.add_argument("--name", default="Eva Editor")
    args = parser.parse_args()
    running = RunningProvider(User(args.email, args.name), args.port)
    print(f"server_metadata_url = {running.metadata_url}", flush=True)
    print(f'client_id = "{CLIENT_ID}", client_secret = "{CLIENT_SECRET}"', flush=True)
    try:
        running.thread.join()
    except KeyboardInterrupt:
        running.stop()


if __name__ == "__main__":
    main()
