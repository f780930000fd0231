"""Measures (Maßnahmen) on the pages: lists, the timeline, downloads, one measure's detail."""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.share import measure_files
from dortmund_kpi.ui import data, frame_scripts, tile_markup, url, widgets
from dortmund_kpi.ui.indicator import XLSX_MIME
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views import tables, timeline_svg


def demo_notice(frame: pd.DataFrame) -> None:
    """Demo measures are examples, not decisions of the city: say so above any list,
    table or timeline that holds one."""
    if len(frame) and not bool(frame["is_official"].all()):
        st.caption(f":orange-badge[{texts.DEMO_BADGE}] {texts.MEASURES_DEMO}")


def measure_list(
    frame: pd.DataFrame, page: str, empty: str = texts.MEASURES_NONE, show_plan: bool = False
) -> None:
    """One line per measure on ``page``: title (a link opening its detail, the view kept),
    status, deadline, overdue flag; with ``show_plan`` also its masterplan (lists that mix
    masterplans). One HTML element for the list (``tile_markup.measure_list_html``)."""
    if frame.empty:
        st.caption(empty)
        return
    demo_notice(frame)
    items = []
    rows = data.rows(frame)  # page data's rows, made once
    links = url.view_params_each(page, {}, [{"massnahme": m.id} for m in rows])
    for m, params in zip(rows, links, strict=True):
        href = tile_markup.page_href(page, tile_markup.as_params(params))
        plan = f"{m.masterplan_name} · " if show_plan else ""
        facts = (
            f"{plan}{measure_views.status_text(m.status)} · "
            f"{texts.MEASURE_COLUMNS['deadline']} {m.deadline_text}"
        )
        items.append(tile_markup.measure_html(href, m.title, facts, m.overdue, not m.is_official))
    widgets.html(tile_markup.measure_list_html(items))


def measure_timeline(fig: go.Figure | None, svg: str, name: str) -> None:
    """The timeline as static SVG; its interactive chart (key ``measures_<name>``) and
    exports (``massnahmen_<name>``) drawn on demand (``ui.widgets.svg_chart``). As a
    plotly chart drawn with the page it was about a fifth of the masterplan's load."""
    if fig is None:
        st.caption(texts.MEASURES_NONE)
        return
    st.caption(texts.MEASURES_TIMELINE_HELP)
    projector = functools.partial(timeline_svg.markup, width=timeline_svg.PROJECTOR_WIDTH)
    key, filename = f"measures_{name}", f"massnahmen_{name}"
    widgets.svg_chart(fig, svg, key=key, filename=filename, projector=projector)


def measure_downloads(frame: pd.DataFrame, name: str, plan: str) -> None:
    """The measures shown, as CSV and XLSX in the import format (re-importable), built
    when clicked (the XLSX took a tenth of the masterplan page's warm run); the XLSX with
    a sheet "Metadaten" (``plan``: the masterplan's name)."""
    names = data.district_names()
    content = texts.EXPORT_MEASURES_CONTENT.format(plan=plan)
    permalink = url.permalink("masterplan", pinned=True)
    metadata = tables.list_metadata(content, texts.MEASURES_SOURCE, frame, permalink)
    cols = st.columns(2)
    cols[0].download_button(
        texts.DOWNLOAD_CSV,
        data=lambda: measure_files.to_csv(frame, names),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"dl_csv_{name}",
    )
    cols[1].download_button(
        texts.DOWNLOAD_XLSX,
        data=lambda: measure_files.to_xlsx(frame, names, metadata),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key=f"dl_xlsx_{name}",
    )


def measure_detail(page: str) -> None:
    """The measure named by the URL key ``massnahme``, above the page, with a close button."""
    measure_id = st.session_state.get("massnahme")
    if not measure_id:
        return
    info = data.page_data(measure_views.open_detail, url.current_view(page))
    if info is None:
        st.info(texts.MEASURE_UNKNOWN.format(id=url.literal(measure_id)), icon="ℹ️")
        return
    literal = widgets.literal_text
    with st.container(border=True, key=frame_scripts.MEASURE_DETAIL):
        st.header(f"{texts.MEASURE_DETAIL}: {literal(info.title)}")
        if info.overdue_note:
            st.error(info.overdue_note)
        if info.demo:
            st.caption(f":orange-badge[{texts.DEMO_BADGE}] {texts.MEASURES_DEMO}")
        st.markdown(literal(info.description))
        st.markdown("\n".join(f"- **{k}:** {literal(v)}" for k, v in info.facts))
        st.markdown(f"**{texts.MEASURE_HISTORY}**")
        st.dataframe(info.history, hide_index=True)
        st.markdown(f"**{texts.MEASURE_LINKED_INDICATORS}**")
        for ind_id, name, status in info.indicators:
            left, right = st.columns([3, 2], vertical_alignment="center")
            with left:
                widgets.page_link("indikator", name, {"indikator": [ind_id]})
            right.markdown(widgets.status_badge(status))
        st.button(
            texts.MEASURE_CLOSE,
            key=frame_scripts.MEASURE_CLOSE,
            on_click=lambda: st.session_state.update(massnahme=None),
        )
