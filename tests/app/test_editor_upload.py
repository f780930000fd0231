"""Browser import: only for signed-in editors, only when sign-in is configured."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dortmund_kpi import texts
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
    return [s.value for s in at.subheader]


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
    user = {"is_logged_in": True, "name": "Eva Editor", "email": "eva@dortmund.de"}
    at = data_page(secrets={"auth": AUTH}, user=user)
    assert_ok(at)
    version = Store(editor_db.db_path).version()
    at.file_uploader[0].set_value(("budget.csv", GOOD, "text/csv")).run()
    assert_ok(at)
    assert any("Prüfung bestanden" in i.value for i in at.info)
    assert Store(editor_db.db_path).version() == version  # the preview writes nothing
    next(b for b in at.button if b.label == texts.UPLOAD_CONFIRM).click().run()
    assert_ok(at)
    assert any("Import abgeschlossen" in s.value for s in at.success)
    with Store(editor_db.db_path).connect_read() as con:
        log = read.import_log(con)
        value = read.series(con, ["digitalisierungsbudget"], ["dortmund"], 2024, 2024)
    assert log["user_name"].iloc[0] == "Eva Editor"
    assert log["files"].iloc[0] == "budget.csv"
    assert value["value"].tolist() == [123.5]


def test_invalid_upload_shows_the_problems_and_writes_nothing(editor_db: Settings):
    at = data_page(secrets={"auth": AUTH}, user={"is_logged_in": True, "name": "Eva"})
    version = Store(editor_db.db_path).version()
    at.file_uploader[0].set_value(("falsch.csv", BAD, "text/csv")).run()
    assert_ok(at)
    assert any("Problem" in e.value for e in at.error)
    assert any("unbekannter Indikator" in c.value for c in at.code)
    assert Store(editor_db.db_path).version() == version
