"""The import assistant: an official table as published, imported in the browser.

For signed-in editors (``editor.upload_section`` decides who): the uploaded file is
recognised (``ingest.recognise``, as ``dortmund-kpi import`` does), its layout and the
records of Dortmund and its districts are shown, the editor chooses indicator, value
column, filters and, where needed, the period; the dry run shows every value old → new
with its source; conflicts need "Ersetzen"; "Importieren" writes, "Zuordnung merken"
remembers the mapping, and a remembered mapping is applied to the next upload of the
same table. Every step is ``ingest.official.run_official_import``, the function of the
CLI: no second import. The page data caches key on the published version, so the
indicator page shows the new values at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import streamlit as st

from dortmund_kpi import formatting, texts
from dortmund_kpi.catalog import Catalog, load_catalog
from dortmund_kpi.ingest.issues import ImportFailed, visible
from dortmund_kpi.ingest.official import (
    OfficialResult,
    Options,
    area_names,
    remembered_mappings,
    run_official_import,
)
from dortmund_kpi.ingest.recognise import recognise
from dortmund_kpi.ingest.sources.model import Record, Table
from dortmund_kpi.ingest.sources.read import parse_assigned
from dortmund_kpi.ingest.sources.times import When
from dortmund_kpi.settings import get_settings
from dortmund_kpi.ui import widgets
from dortmund_kpi.views import importing

_TABLE = "_assistant_table"  # session state: (file key, recognised table or None)
_DONE = "_assistant_done"  # (file key, outcome) of the file's last import in this session
SOURCE_COLUMNS = texts.ASSIST_CHANGE_COLUMNS[5:7]  # long: narrower, so every column shows


def file_key(upload: Any) -> str:
    """Name and content of an upload: widgets of one file keep their choices."""
    digest = hashlib.sha256(upload.getvalue()).hexdigest()
    return hashlib.sha256(f"{upload.name}\n{digest}".encode()).hexdigest()[:16]


def recognised(upload: Any) -> Table | None:
    """The upload read as an official table, or None (a template file): read once per
    file and session, not on every widget change."""
    key = file_key(upload)
    cached = st.session_state.get(_TABLE)
    if cached is not None and cached[0] == key:
        return cached[1]
    with saved(upload) as path:
        table = recognise(path, get_settings())
    st.session_state[_TABLE] = (key, table)
    return table


@contextlib.contextmanager
def saved(upload: Any) -> Iterator[Path]:
    """The upload as a file of its own name (the import log and messages name it) in a
    temporary folder; problems raised inside name the file, not the folder."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            yield path
        except ImportFailed as failed:
            issues = [importing.without_folder(i, folder) for i in failed.issues]
            raise ImportFailed(issues) from None


def show_problems(failed: ImportFailed, headline: str) -> None:
    """What is wrong with the file (``headline``: its ``{problems}`` counted), line by
    line, wrapped (a phone shows every line whole)."""
    st.error(headline.format(problems=failed.problems_text))
    st.code("\n".join(str(i) for i in failed.issues[:50]), language=None, wrap_lines=True)


def _official(upload: Any, table: Table, options: Options) -> OfficialResult:
    with saved(upload) as path:
        return run_official_import(path, get_settings(), options, table=table)


def official_section(upload: Any, table: Table, user_name: str) -> None:
    """The assistant for one recognised official table."""
    records = importing.preview_records(table)
    _show_table(table, records)
    if not records:
        regions = len({(r.gebiet, r.schluessel) for r in table.records})
        st.warning(texts.ASSIST_NOT_DORTMUND.format(regions=regions))
        return
    key = file_key(upload)
    done = st.session_state.get(_DONE)
    if done is not None and done[0] == key:  # imported: its outcome above the mapping
        _show_done(done[1])
    st.markdown(f"**{texts.ASSIST_MAPPING}**")
    remembered, licence = remembered_mappings(table, get_settings())
    use_memory = bool(remembered) and not st.checkbox(texts.ASSIST_OVERRIDE, key=f"own_{key}")
    if use_memory:
        described = "; ".join(m.describe() for m in remembered)
        st.info(texts.ASSIST_REMEMBERED.format(mapping=visible(described)))
        ok, when = _period(records, key)
        options = Options(zeitraum=when) if ok else None
    else:
        options = _mapping(records, key)
    if options is not None:
        if table.licence is None:  # as --lizenz: the file names none
            options = replace(options, licence=_licence(key, licence))
        _dry_run_and_import(upload, table, options, user_name, key, use_memory)


def _licence(key: str, remembered: str | None) -> str | None:
    """The licence field; empty, the licence remembered for the table applies (shown)."""
    text = st.text_input(
        texts.ASSIST_LICENCE,
        key=f"licence_{key}",
        help=texts.ASSIST_LICENCE_HELP,
        placeholder=texts.ASSIST_LICENCE_REMEMBERED.format(licence=visible(remembered))
        if remembered
        else None,
    )
    return text.strip() or None


def _show_table(table: Table, records: list[Record]) -> None:
    st.markdown(texts.ASSIST_RECOGNISED.format(layout=visible(table.layout)))
    licence = visible(table.licence) if table.licence else texts.ASSIST_NO_LICENCE
    st.caption(texts.ASSIST_SOURCE.format(source=visible(table.source), licence=licence))
    st.caption(
        texts.ASSIST_COUNTS_READ.format(
            records=formatting.counted(len(table.records), *texts.RECORDS),
            ours=formatting.number(len(records)),
            skipped=formatting.counted(len(table.skipped), *texts.CELLS),
        )
    )
    if not records:
        return
    named = any(r.gebiet or r.schluessel for r in table.records)
    st.markdown(texts.ASSIST_PREVIEW if named else texts.ASSIST_PREVIEW_NO_REGION)
    st.dataframe(importing.preview_frame(records), hide_index=True)
    if len(records) > importing.SHOWN_RECORDS:
        st.caption(
            texts.ASSIST_PREVIEW_CUT.format(shown=importing.SHOWN_RECORDS, total=len(records))
        )


def _indicator_label(catalog: Catalog) -> Any:
    return lambda i: f"{catalog.indicator(i).name} ({i})"


def _mapping(records: list[Record], key: str) -> Options | None:
    """Indicator, value column, filters and period, as ``--indikator``, ``--spalte``,
    ``--filter`` and ``--zeitraum``; None until an indicator and a usable period are set."""
    catalog = load_catalog(get_settings().catalog_path)
    indicator = st.selectbox(
        texts.ASSIST_INDICATOR,
        catalog.ids,
        index=None,
        format_func=_indicator_label(catalog),
        placeholder=texts.ASSIST_INDICATOR_PLACEHOLDER,
        key=f"indicator_{key}",
    )
    columns = list(dict.fromkeys(r.spalte for r in records))
    spalte = None
    if len(columns) > 1:  # not chosen: the dimensions may tell the columns apart
        spalte = st.selectbox(
            texts.ASSIST_COLUMN,
            [None, *columns],
            format_func=lambda c: texts.ASSIST_COLUMN_ALL if c is None else visible(c),
            key=f"column_{key}",
        )
        records = [r for r in records if spalte in (None, r.spalte)]
    filters = []
    for number, (name, values) in enumerate(importing.filter_choices(records).items()):
        chosen = st.selectbox(
            texts.ASSIST_FILTER.format(name=visible(name)),
            [None, *values],
            format_func=lambda v: texts.ASSIST_FILTER_ALL if v is None else visible(v),
            key=f"filter_{key}_{number}",
        )
        if chosen is not None:
            filters.append(chosen)
    ok, when = _period(records, key)
    if indicator is None:
        st.caption(texts.ASSIST_CHOOSE_INDICATOR)
        return None
    if not ok:
        return None
    return Options(indicator=indicator, spalte=spalte, filters=tuple(filters), zeitraum=when)


def _period(records: list[Record], key: str) -> tuple[bool, When | None]:
    """The period field (``--zeitraum``): (usable, the period or None)."""
    text = st.text_input(
        texts.ASSIST_PERIOD,
        key=f"period_{key}",
        placeholder=texts.ASSIST_PERIOD_PLACEHOLDER,
        help=texts.ASSIST_PERIOD_HELP,
    ).strip()
    if not text:
        if any(not r.zeitraum for r in records):
            st.info(texts.ASSIST_PERIOD_NEEDED)
            return False, None
        return True, None
    when = parse_assigned(text)
    if when is None:
        st.error(texts.ASSIST_PERIOD_INVALID.format(text=visible(text[:40])))
        return False, None
    return True, when


def _refused(failed: ImportFailed) -> None:
    show_problems(failed, texts.ASSIST_REFUSED)
    st.caption(texts.ASSIST_CLI_HINT)


def _dry_run_and_import(
    upload: Any, table: Table, options: Options, user_name: str, key: str, use_memory: bool
) -> None:
    try:
        trial = _official(upload, table, replace(options, dry_run=True))
    except ImportFailed as failed:
        _refused(failed)
        return
    _show_dry_run(trial)
    replace_official = False
    if trial.conflicts:
        st.warning(texts.ASSIST_CONFLICTS.format(n=len(trial.conflicts)))
        replace_official = st.checkbox(
            texts.ASSIST_REPLACE, help=texts.ASSIST_REPLACE_HELP, key=f"replace_{key}"
        )
    remember = not use_memory and st.checkbox(
        texts.ASSIST_REMEMBER, help=texts.ASSIST_REMEMBER_HELP, key=f"remember_{key}"
    )
    chosen = replace(options, replace_official=replace_official, remember=remember)
    st.caption(texts.ASSIST_COMMAND)
    st.code(importing.cli_command(upload.name, chosen), language="bash", wrap_lines=True)
    # Nothing to change (imported already, a second click): no import, unless it is the
    # way to remember the mapping.
    unchanged = not (trial.result.inserted or trial.result.changed or trial.conflicts)
    if unchanged:
        st.caption(texts.ASSIST_NOTHING)
    blocked = (bool(trial.conflicts) and not replace_official) or (unchanged and not remember)
    if not st.button(texts.UPLOAD_CONFIRM, type="primary", disabled=blocked, key=f"import_{key}"):
        return
    try:
        done = _official(upload, table, replace(chosen, user=user_name))
    except ImportFailed as failed:  # the data changed between dry run and import
        _refused(failed)
        return
    st.session_state[_DONE] = (key, done)
    st.rerun()  # the page shows the new version; the dry run below it, nothing left to do


def _counts(outcome: OfficialResult) -> str:
    result = outcome.result
    return texts.ASSIST_COUNTS.format(
        new=result.inserted,
        changed=result.changed,
        same=result.unchanged,
        conflicts=len(outcome.conflicts),
    )


def _show_dry_run(trial: OfficialResult) -> None:
    st.markdown(f"**{texts.ASSIST_DRY_RUN}**")
    for note in trial.notes:
        st.caption(visible(note))
    names = area_names(get_settings())
    sources = {c: st.column_config.TextColumn(width="medium") for c in SOURCE_COLUMNS}
    st.dataframe(
        importing.change_frame(trial.changes, names), hide_index=True, column_config=sources
    )
    st.caption(_counts(trial))
    if trial.skipped:
        label = texts.ASSIST_SKIPPED.format(
            n=len(trial.skipped), shown=min(len(trial.skipped), importing.SHOWN_SKIPPED)
        )
        with st.expander(label):
            st.dataframe(importing.skipped_frame(trial.skipped), hide_index=True)


def _show_done(done: OfficialResult) -> None:
    st.success(texts.ASSIST_DONE.format(counts=_counts(done)))
    if done.remembered:
        st.success(texts.ASSIST_REMEMBERED_DONE)
    catalog = load_catalog(get_settings().catalog_path)
    for indicator in dict.fromkeys(m.indicator for m in done.mappings):
        name = catalog.indicator(indicator).name
        widgets.page_link(
            "indikator",
            texts.ASSIST_SHOW_INDICATOR.format(name=name),
            {"indikator": [indicator]},
            icon=":material/monitoring:",
        )
