"""Browser import: only for signed-in editors, only when sign-in is configured."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import ENV_DB, Settings
from tests.app.conftest import DASHBOARD, PAGE_FILES, assert_ok

AUTH = {
    "redirect_uri": "https://kpi.example/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "dortmund-kpi",
    "client_secret": "secret",
    "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
}
# Fail closed: only the accounts of the allow-list, with a verified address, may import.
EDITORS = {"emails": ["eva@dortmund.de", "cio@dortmund.de"]}
SECRETS = {"auth": AUTH, "editors": EDITORS}
EVA = {"is_logged_in": True, "name": "Eva Editor", "email": "eva@dortmund.de"}
EVA_VERIFIED = EVA | {"email_verified": True}
GOOD = b"indikator;bezirk;zeitraum;wert\ndigitalisierungsbudget;Dortmund;2024;123,5\n"
BAD = b"indikator;bezirk;zeitraum;wert\nunbekannt;Dortmund;2024;1\n"


def data_page(*, secrets: dict | None, user: dict | None) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    if secrets:
        for key, value in secrets.items():
            at.secrets[key] = value
    if user is not None:
        at.user = user
    at.run()
    at.switch_page(PAGE_FILES["daten"])
    return at.run()


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.header]


def test_no_upload_without_sign_in_configuration():
    at = data_page(secrets=None, user={"is_logged_in": True, "name": "Eva Editor"})
    assert_ok(at)
    assert texts.UPLOAD_TITLE not in subheaders(at)
    assert len(at.get("file_uploader")) == 0


def test_signed_out_user_sees_only_the_sign_in_button():
    at = data_page(secrets={"auth": AUTH}, user={"is_logged_in": False})
    assert_ok(at)
    assert texts.UPLOAD_TITLE in subheaders(at)
    assert [b.label for b in at.button if b.label == texts.UPLOAD_SIGN_IN]
    assert len(at.get("file_uploader")) == 0


def test_editor_not_on_the_allow_list_cannot_upload():
    secrets = {"auth": AUTH, "editors": {"emails": ["cio@dortmund.de"]}}
    at = data_page(secrets=secrets, user={"is_logged_in": True, "email": "x@example.org"})
    assert texts.UPLOAD_NOT_EDITOR in [w.value for w in at.warning]
    assert len(at.get("file_uploader")) == 0


@pytest.fixture
def editor_db(db_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    return db_copy


def test_editor_uploads_previews_and_imports(editor_db: Settings):
    at = data_page(secrets=SECRETS, user=EVA_VERIFIED)
    assert_ok(at)
    version = Store(editor_db.db_path).version()
    with Store(editor_db.db_path).connect_read() as con:
        before = read.series(con, ["digitalisierungsbudget"], ["dortmund"], 2024, 2024)
    at.file_uploader[0].set_value(("budget.csv", GOOD, "text/csv")).run()
    assert_ok(at)
    assert any(i.value.startswith("Prüfung bestanden: 1 Zeile – ") for i in at.info)
    # the dry run's values, old → new, as the assistant and the command line show them
    [changes] = [f for f in (d.value for d in at.dataframe) if "Änderung" in f.columns]
    old = formatting.number_text(float(before["value"].iloc[0])) if len(before) else "–"
    kind = "geändert" if len(before) else "neu"
    assert changes.values.tolist() == [
        [kind, "digitalisierungsbudget", "Dortmund", "2024", old, "123,5"]
    ]
    assert Store(editor_db.db_path).version() == version  # the preview writes nothing
    next(b for b in at.button if b.label == texts.UPLOAD_CONFIRM).click().run()
    assert_ok(at)
    assert any("Import abgeschlossen" in s.value for s in at.success)
    # done: nothing left to import, so no button (a second click imported it again)
    imported = Store(editor_db.db_path).version()
    assert texts.UPLOAD_CONFIRM not in [b.label for b in at.button]
    assert any(c.value.startswith("Nichts zu importieren") for c in at.caption)
    at.run()
    assert texts.UPLOAD_CONFIRM not in [b.label for b in at.button]
    assert Store(editor_db.db_path).version() == imported
    # another value in the same file: its dry run and its button again
    changed = GOOD.replace(b"123,5", b"124,5")
    at.file_uploader[0].set_value(("budget.csv", changed, "text/csv")).run()
    assert texts.UPLOAD_CONFIRM in [b.label for b in at.button]
    with Store(editor_db.db_path).connect_read() as con:
        log = read.import_log(con)
        value = read.series(con, ["digitalisierungsbudget"], ["dortmund"], 2024, 2024)
    assert log["user_name"].iloc[0] == "Eva Editor"
    assert log["files"].iloc[0] == "budget.csv"
    assert value["value"].tolist() == [123.5]


def test_invalid_upload_shows_the_problems_and_writes_nothing(editor_db: Settings):
    at = data_page(secrets=SECRETS, user=EVA_VERIFIED | {"name": "Eva"})
    version = Store(editor_db.db_path).version()
    at.file_uploader[0].set_value(("falsch.csv", BAD, "text/csv")).run()
    assert_ok(at)
    assert any("Die Datei hat 1 Problem;" in e.value for e in at.error)
    [problems] = [c.value for c in at.code]
    # named as the editor knows the file, not by the server's temporary folder
    assert problems.startswith("falsch.csv:2: indikator: unbekannter Indikator")
    assert Store(editor_db.db_path).version() == version


@pytest.mark.parametrize("name", ["tabelle.ods", "bericht.pdf"])
def test_a_file_of_another_type_is_refused_in_german(editor_db: Settings, name: str):
    """The uploader takes any file: its own refusal was an English tooltip on the file."""
    at = data_page(secrets=SECRETS, user=EVA_VERIFIED)
    version = Store(editor_db.db_path).version()
    at.file_uploader[0].set_value((name, b"PK\x03\x04 anything", "application/octet-stream"))
    at.run()
    assert_ok(at)
    [error] = [e.value for e in at.error]
    assert error.startswith(f"„{name}“: Dateityp nicht erlaubt") and "(.xlsx) speichern" in error
    assert Store(editor_db.db_path).version() == version


def uploader_shown(at: AppTest) -> bool:
    return len(at.get("file_uploader")) == 1


@pytest.mark.parametrize(
    ("user", "why"),
    [
        (EVA, "no email_verified claim"),
        (EVA | {"email_verified": False}, "address not verified"),
        (EVA | {"email_verified": "false"}, "address not verified (text claim)"),
        ({"is_logged_in": True, "name": "Eva", "email_verified": True}, "no address"),
        (EVA_VERIFIED | {"email": "eva@dortmund.de.evil.example"}, "not on the list"),
    ],
)
def test_only_a_verified_address_on_the_list_may_upload(user: dict, why: str) -> None:
    at = data_page(secrets=SECRETS, user=user)
    assert_ok(at)
    assert texts.UPLOAD_NOT_EDITOR in [w.value for w in at.warning], why
    assert not uploader_shown(at), why


def test_the_list_ignores_case_and_spaces_of_the_address() -> None:
    at = data_page(secrets=SECRETS, user=EVA_VERIFIED | {"email": " Eva@Dortmund.DE "})
    assert uploader_shown(at)


def test_without_an_allow_list_nobody_may_upload() -> None:
    """Sign-in configured but no [editors]: closed, not open to every account."""
    at = data_page(secrets={"auth": AUTH}, user=EVA_VERIFIED)
    assert_ok(at)
    assert texts.UPLOAD_NOT_EDITOR in [w.value for w in at.warning]
    assert not uploader_shown(at)


def test_explicit_opt_out_of_the_verified_claim() -> None:
    secrets = {"auth": AUTH, "editors": EDITORS | {"require_verified_email": False}}
    assert uploader_shown(data_page(secrets=secrets, user=EVA))


@pytest.mark.parametrize(
    ("secrets", "named"),
    [
        ({"auth": AUTH, "editors": {"emails": []}}, "emails fehlt oder ist leer"),
        ({"auth": AUTH, "editors": {"email": ["eva@dortmund.de"]}}, "unbekannter Schlüssel"),
        ({"auth": AUTH, "editors": {"emails": "eva@dortmund.de"}}, "emails fehlt oder ist leer"),
        ({"auth": AUTH, "editors": {"emails": ["eva"]}}, "keine E-Mail-Adresse"),
        ({"auth": AUTH, "editor": EDITORS}, "[editor] ist vorhanden"),
        ({"auth": AUTH, "Editors": EDITORS}, "[Editors] ist vorhanden"),
        (
            {"auth": AUTH, "editors": EDITORS | {"require_verified_email": "nein"}},
            "require_verified_email",
        ),
    ],
)
def test_a_malformed_allow_list_stops_the_app(secrets: dict, named: str) -> None:
    """Refuse to start (every page), naming the problem; never guess who may import."""
    for page in ("uebersicht", "daten"):
        at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
        for key, value in secrets.items():
            at.secrets[key] = value
        at.user = EVA_VERIFIED
        at.run()
        if page != "uebersicht":
            at.switch_page(PAGE_FILES[page]).run()
        assert_ok(at)
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and named in errors[0], errors
        assert "secrets.toml" in errors[0]
        assert not uploader_shown(at)
        assert len(at.title) == 0  # no page drawn
