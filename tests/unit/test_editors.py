"""The editors' allow-list fails closed; ``serve`` refuses to start with a malformed one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dortmund_kpi.editors import NOBODY, EditorConfigError, editors_from_secrets
from tests.unit.test_cli import COMMAND, ENV

EVA = {"is_logged_in": True, "email": "eva@dortmund.de", "email_verified": True}


def test_no_section_means_nobody() -> None:
    assert editors_from_secrets({}) is NOBODY
    assert editors_from_secrets({"auth": {"x": 1}}) is NOBODY
    assert not NOBODY.allows(EVA)


def test_only_listed_verified_signed_in_accounts() -> None:
    editors = editors_from_secrets({"editors": {"emails": ["Eva@Dortmund.de"]}})
    assert editors.allows(EVA)
    assert editors.allows(EVA | {"email_verified": "true"})
    for user in (
        EVA | {"is_logged_in": False},
        EVA | {"email_verified": False},
        {k: v for k, v in EVA.items() if k != "email_verified"},
        EVA | {"email": None},
        EVA | {"email": "mallory@dortmund.de"},
    ):
        assert not editors.allows(user), user


@pytest.mark.parametrize(
    "secrets",
    [
        {"editors": {"emails": []}},
        {"editors": {}},
        {"editors": {"emails": ["eva@dortmund.de"], "emial": ["x@y.de"]}},
        {"editors": {"emails": [1]}},
        {"editors": {"emails": ["eva@dortmund.de"], "require_verified_email": "false"}},
        {"editors": "eva@dortmund.de"},
        {"editor": {"emails": ["eva@dortmund.de"]}},
    ],
)
def test_malformed_lists_are_refused(secrets: dict) -> None:
    with pytest.raises(EditorConfigError, match=r"secrets\.toml, Abschnitt \[editors\]"):
        editors_from_secrets(secrets)


def test_serve_refuses_to_start_with_a_malformed_allow_list(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    (home / ".streamlit" / "secrets.toml").write_text("[editors]\nemails = []\n", encoding="utf-8")
    db = tmp_path / "kpi.duckdb"
    proc = subprocess.run(
        [COMMAND, "serve", "--db", str(db), "--port", "1"],
        env=ENV | {"HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "emails fehlt oder ist leer" in proc.stderr
    assert not db.exists()  # refused before anything was created


def test_the_sign_in_client_of_streamlit_can_be_loaded():
    """``st.login`` loads Authlib's Starlette client, which needs httpx; without it the
    sign-in ended in "Internal Server Error" on a fresh install (issue 14)."""
    from authlib.integrations import starlette_client

    assert starlette_client.OAuth
