"""The Technologiescout on the page: sector switch, radar, its text list, one trend's detail,
downloads. Renders ``views.trends.TrendsData``; computes nothing a slide would need."""

from __future__ import annotations

import streamlit as st

from dortmund_kpi import texts, trends
from dortmund_kpi.share import trend_files
from dortmund_kpi.ui import frame_scripts, url, widgets
from dortmund_kpi.ui.indicator import XLSX_MIME
from dortmund_kpi.views import tables
from dortmund_kpi.views.trends import TrendDetail, TrendsData


def _source(text: str) -> str:
    """A source: an http(s) address as a link, anything else as text."""
    is_link = text.lower().startswith(("http://", "https://"))
    return widgets.markdown_link(text, text) if is_link else widgets.literal_text(text)


def _open(trend_id: str | None) -> None:
    st.session_state["trend"] = trend_id


def sector_switch() -> None:
    """The radar's sectors (URL key ``sektoren``): technology field or masterplan."""
    if st.session_state.get("sektoren") not in trends.SECTOR_MODES:
        st.session_state["sektoren"] = trends.SECTOR_MODES[0]
    st.segmented_control(
        texts.TRENDS_SECTORS,
        options=list(trends.SECTOR_MODES),
        format_func=texts.TRENDS_SECTOR_MODES.get,
        key="sektoren",
        required=True,
    )


def ring_lists(page: TrendsData) -> None:
    """The text alternative of the radar: every ring with its trends; each opens its detail."""
    st.header(texts.TRENDS_LIST)
    for ring, lines in page.rings:
        st.markdown(f"**{ring}**" + ("" if lines else f": {texts.TRENDS_RING_EMPTY}"))
        for trend_id, line in lines:
            st.button(
                widgets.literal_text(line),
                key=f"trend_{trend_id}",
                type="tertiary",
                on_click=_open,
                args=(trend_id,),
                help=texts.TRENDS_OPEN,
            )


def downloads(page: TrendsData) -> None:
    """The list in the import format (CSV and XLSX import again), built when clicked;
    the XLSX with a sheet "Metadaten"."""
    permalink = url.permalink("trends", pinned=True)
    content, source = texts.EXPORT_TRENDS_CONTENT, texts.TRENDS_SOURCE
    metadata = tables.list_metadata(content, source, page.frame, permalink)
    cols = st.columns(2)
    cols[0].download_button(
        texts.DOWNLOAD_CSV,
        data=lambda: trend_files.to_csv(page.frame),
        file_name=f"{page.file_name}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dl_csv_trends",
    )
    cols[1].download_button(
        texts.DOWNLOAD_XLSX,
        data=lambda: trend_files.to_xlsx(page.frame, metadata),
        file_name=f"{page.file_name}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key="dl_xlsx_trends",
    )


def detail(info: TrendDetail | None, asked: str | None) -> None:
    """The trend named by the URL key ``trend``, with a close button; an id unknown at the
    view's Stand says "nicht gefunden", like any unknown id."""
    if not asked:
        return
    if info is None:
        st.info(texts.TREND_UNKNOWN.format(id=asked), icon="ℹ️")
        return
    literal = widgets.literal_text
    with st.container(border=True, key=frame_scripts.TREND_DETAIL):
        st.header(f"{texts.TREND_DETAIL}: {literal(info.name)}")
        if info.demo:
            st.caption(f":orange-badge[{texts.DEMO_BADGE}] {texts.TRENDS_DEMO}")
        if info.description:
            st.markdown(literal(info.description))
        st.markdown("\n".join(f"- **{k}:** {literal(v)}" for k, v in info.facts))
        st.markdown(f"**{texts.TREND_HISTORY}**")
        st.dataframe(info.history, hide_index=True)
        st.markdown(f"**{texts.TREND_MEASURES}**")
        for measure_id, title, status in info.measures:
            label = widgets.literal_text(f"{title} ({status})" if status else title)
            st.button(
                label,
                key=f"trend_measure_{measure_id}",
                type="tertiary",
                on_click=lambda m=measure_id: st.session_state.update(massnahme=m),
                help=texts.MEASURE_OPEN,
            )
        if not info.measures:
            st.caption(texts.TREND_NONE_LINKED)
        st.markdown(f"**{texts.TREND_INDICATORS}**")
        for ind_id, name in info.indicators:
            widgets.page_link("indikator", name, {"indikator": [ind_id]})
        if not info.indicators:
            st.caption(texts.TREND_NONE_LINKED)
        if info.sources:
            st.markdown(f"**{texts.TREND_SOURCES}**")
            st.markdown("\n".join(f"- {_source(s)}" for s in info.sources))
        st.button(texts.TREND_CLOSE, key=frame_scripts.TREND_CLOSE, on_click=_open, args=(None,))
