"""The local OIDC test provider checks what a real one checks, so a sign-in that passes
against it went through Authlib's real validation (``tools/oidc_provider.py``)."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from tools.oidc_provider import CLIENT_ID, CLIENT_SECRET, RunningProvider, User

REDIRECT = "http://127.0.0.1:9/oauth2callback"


@pytest.fixture(scope="module")
def running():
    provider = RunningProvider(User("eva@dortmund.de", "Eva Editor"))
    yield provider
    provider.stop()


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def authorize(running: RunningProvider, **extra: str) -> str:
    """The code of an approved authorization request (the redirect is not followed)."""
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "openid email profile",
        "state": "s1",
        "nonce": "n1",
    } | extra

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{running.issuer}/authorize?{urlencode(params)}", timeout=10)
    assert answer.value.code == 302
    location = urlparse(answer.value.headers["Location"])
    assert location.path == "/oauth2callback"
    query = parse_qs(location.query)
    assert query["state"] == ["s1"]
    return query["code"][0]


def token(running: RunningProvider, form: dict[str, str], secret: str = CLIENT_SECRET):
    basic = base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode()
    request = urllib.request.Request(
        f"{running.issuer}/token",
        data=urlencode(form).encode(),
        headers={"Authorization": f"Basic {basic}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def form(code: str, **extra: str) -> dict[str, str]:
    return {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT} | extra


def test_discovery_and_a_signed_id_token(running: RunningProvider):
    metadata = get_json(running.metadata_url)
    assert metadata["issuer"] == running.issuer
    assert metadata["token_endpoint"] == f"{running.issuer}/token"
    status, body = token(running, form(authorize(running)))
    assert status == 200
    keys = KeySet.import_key_set(get_json(metadata["jwks_uri"]))
    claims = jwt.decode(body["id_token"], keys).claims
    assert claims["iss"] == running.issuer and claims["aud"] == CLIENT_ID
    assert claims["nonce"] == "n1"
    assert (claims["email"], claims["email_verified"], claims["name"]) == (
        "eva@dortmund.de",
        True,
        "Eva Editor",
    )
    request = urllib.request.Request(
        metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["email"] == "eva@dortmund.de"


def test_refuses_what_a_real_provider_refuses(running: RunningProvider):
    code = authorize(running)
    assert token(running, form(code), secret="wrong") == (400, {"error": "invalid_client"})
    other = form(code, redirect_uri="http://evil.example/oauth2callback")
    assert token(running, other)[0] == 400
    assert token(running, form("no-such-code")) == (400, {"error": "invalid_grant"})
    code = authorize(running)
    assert token(running, form(code))[0] == 200
    assert token(running, form(code)) == (400, {"error": "invalid_grant"})  # used once only


def test_pkce_verifier_must_match_the_challenge(running: RunningProvider):
    verifier = "v" * 50
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    code = authorize(running, code_challenge=challenge, code_challenge_method="S256")
    assert token(running, form(code, code_verifier="x" * 50))[0] == 400
    code = authorize(running, code_challenge=challenge, code_challenge_method="S256")
    assert token(running, form(code, code_verifier=verifier))[0] == 200
