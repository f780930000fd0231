"""Importing in the browser, for signed-in editors only.

Reading is open (or protected by the city's SSO proxy). The upload form exists
only when editor sign-in is configured in ``.streamlit/secrets.toml`` (Streamlit's
``st.login`` with an OIDC provider, section ``[auth]``), and only for the accounts of
the allow-list ``[editors] emails = [...]`` with a verified address (``editors.py``:
fail closed; a malformed allow-list stops the app). Without that configuration there is
no upload, and the CLI remains the way to import.

A file in the import template format is checked and imported as with ``dortmund-kpi
import``; an official table as published goes to the import assistant (``assistant.py``).
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from dortmund_kpi import formatting, texts
from dortmund_kpi.editors import NOBODY, EditorConfigError, Editors, editors_from_secrets
from dortmund_kpi.ingest.importer import ImportResult, run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.ingest.official import area_names
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share import deeplink, urlstate
from dortmund_kpi.ui import assistant, url, widgets
from dortmund_kpi.views import importing

ALLOWED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".json")
DONE = "_upload_done"  # (file key, outcome) of the file's last template import


def sign_in_configured() -> bool:
    try:
        auth = st.secrets.get("auth")
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        return False
    return bool(auth) and bool(auth.get("redirect_uri")) and bool(auth.get("cookie_secret"))


def _editors() -> Editors:
    try:
        secrets = dict(st.secrets)
    except Exception:  # no secrets.toml at all: Streamlit raises its own not-found error
        return NOBODY
    return editors_from_secrets(secrets)  # EditorConfigError: see refuse_malformed_config


def refuse_malformed_config() -> None:
    """Stop the app, on every page, while the editors' allow-list is malformed."""
    try:
        _editors()
    except EditorConfigError as exc:
        st.error(texts.EDITORS_MALFORMED.format(problem=exc))
        st.stop()


def _allowed(user: Any) -> bool:
    try:
        return _editors().allows(user)
    except EditorConfigError:
        return False


def editor_name(user: Any) -> str:
    return str(user.get("name") or user.get("email") or "Redaktion")


def _check_upload(upload: Any, limit: int) -> str | None:
    if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
        return texts.UPLOAD_TYPE.format(name=widgets.literal_text(upload.name))
    if upload.size > limit:
        return texts.UPLOAD_SIZE.format(mb=limit // 2**20)
    return None


def _run(upload: Any, *, dry_run: bool, user: str | None = None) -> ImportResult:
    """``run_import`` on the upload, saved under its own name (the import log names it);
    problems name the file, not the temporary folder it was checked in."""
    with assistant.saved(upload) as path:
        return run_import([path], get_settings(), dry_run=dry_run, user=user)


def upload_section(page: str = "daten") -> None:
    """The editor's upload form, or nothing at all when sign-in is not configured.

    ``page`` is the page it is drawn on: after sign-in the editor returns to it, with
    the same filters (``sign_in``).
    """
    if not sign_in_configured() or get_settings().public:  # public mode: no upload at all
        return
    st.header(texts.UPLOAD_TITLE)
    user = st.user
    if not user.get("is_logged_in"):
        st.caption(texts.UPLOAD_SIGN_IN_HINT)
        st.button(texts.UPLOAD_SIGN_IN, on_click=sign_in, args=(page,))
        return
    if not _allowed(user):
        st.warning(texts.UPLOAD_NOT_EDITOR)
        return
    st.caption(texts.UPLOAD_SIGNED_IN.format(name=editor_name(user)))
    st.button(texts.UPLOAD_SIGN_OUT, on_click=st.logout)
    limit = get_settings().max_import_bytes
    # Any type: the uploader's own refusal is an English tooltip; ours says what to do.
    upload = st.file_uploader(texts.UPLOAD_LABEL, key="upload")
    if upload is None:
        return
    problem = _check_upload(upload, limit)
    if problem:
        st.error(problem)
        return
    table = assistant.recognised(upload)  # as `dortmund-kpi import` tells the two apart
    if table is None:
        _preview_and_import(upload, editor_name(user))
    else:
        assistant.official_section(upload, table, editor_name(user))


def _preview_and_import(upload: Any, name: str) -> None:
    """The dry run's counts and values, then the import on confirmation. Once imported,
    its outcome, and a dry run with nothing left to change has no button (a second click
    imported the file again)."""
    key = assistant.file_key(upload)
    done = st.session_state.get(DONE)
    if done is not None and done[0] == key:  # imported: its outcome above the dry run
        st.success(done[1])
    try:
        preview = _run(upload, dry_run=True)
    except ImportFailed as failed:
        assistant.show_problems(failed, texts.UPLOAD_INVALID)
        return
    if not _changes_anything(preview):
        st.caption(_counts_text(preview, texts.UPLOAD_NOTHING))
        return
    st.info(_counts_text(preview, texts.UPLOAD_PREVIEW))
    _show_changes(preview)
    if st.button(texts.UPLOAD_CONFIRM, type="primary"):
        try:
            result = _run(upload, dry_run=False, user=name)
        except ImportFailed as failed:  # the data changed between preview and import
            assistant.show_problems(failed, texts.UPLOAD_INVALID)
            return
        st.session_state[DONE] = (key, _counts_text(result, texts.UPLOAD_DONE))
        st.rerun()


def _changes_anything(result: ImportResult) -> bool:
    counts = [result, *(c for c in (result.measures, result.trends) if c is not None)]
    return any(c.inserted or c.changed for c in counts)


def _show_changes(preview: ImportResult) -> None:
    frame, more = importing.template_changes(preview, area_names(get_settings()))
    if frame.empty:
        return
    st.markdown(f"**{texts.UPLOAD_CHANGES}**")
    st.dataframe(frame, hide_index=True)
    if more:
        st.caption(texts.UPLOAD_MORE_CHANGES.format(n=formatting.number(more)))


def _counts_text(result: ImportResult, template: str) -> str:
    """What an import does (or did): values, and measures when the file had any."""
    parts = []
    if result.observation_rows or not result.measures:
        parts.append(
            texts.UPLOAD_VALUES.format(
                new=result.inserted, changed=result.changed, same=result.unchanged
            )
        )
    if result.measures:
        m = result.measures
        parts.append(
            texts.UPLOAD_MEASURES.format(new=m.inserted, changed=m.changed, same=m.unchanged)
        )
    rows = formatting.counted(result.rows_read, *texts.ROWS)
    return template.format(rows=rows, counts="; ".join(parts))


LOG = logging.getLogger(__name__)


# -- sign-in keeps the deep link (PITFALLS 3.9) -----------------------------------------
RETURN_CHECKED = "_sign_in_return_checked"


def _browser_key() -> str | None:
    try:
        cookie = st.context.cookies.get(deeplink.XSRF_COOKIE)
    except Exception:  # no browser behind the session (bare mode, AppTest): no cookies
        return None
    return deeplink.browser_key(cookie)


def sign_in(page: str) -> None:
    """``st.login`` with the current view remembered for this browser (``deeplink``):
    the sign-in ends on the start page, which then returns to this view."""
    key = _browser_key()
    if key:
        path = "/" + urlstate.PAGES[page]
        view = deeplink.safe_view(path, url.view_params(page), url.url_context(), url.defaults())
        if view:
            try:
                deeplink.pending_views().remember(key, view)
            except OSError as exc:  # not writable: sign in anyway, the start page links back
                LOG.warning("Ansicht für die Rückkehr nach der Anmeldung nicht gemerkt: %s", exc)
    st.login()


def return_after_sign_in(page: str) -> None:
    """On the first run of a session: when it is the start page without parameters (where
    the sign-in redirect lands) and the user is signed in, go to the view remembered
    before the sign-in, once."""
    if st.session_state.get(RETURN_CHECKED):
        return
    st.session_state[RETURN_CHECKED] = True
    if page != "uebersicht" or any(k not in urlstate.RESERVED_KEYS for k in st.query_params):
        return
    if not (sign_in_configured() and st.user.get("is_logged_in")):
        return
    key = _browser_key()
    view = deeplink.pending_views().take(key) if key else None
    if view and (view.page != "uebersicht" or view.query):
        st.switch_page(widgets.PAGE_FILES[view.page], query_params=view.params)


def editor_welcome() -> None:
    """st.login returns to the start page: lead a freshly signed-in editor back to the upload."""
    if sign_in_configured() and st.user.get("is_logged_in"):
        widgets.page_link("daten", texts.EDITOR_WELCOME, icon=":material/upload:")
