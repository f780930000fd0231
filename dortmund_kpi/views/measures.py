"""View models for measures (Maßnahmen): tables, the timeline, counts and one measure's detail.

Pure functions of query results; ``ui`` and the pages only render what these return.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import clock, formatting, measures, texts
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.views import chart_frame
from dortmund_kpi.views import timeline as timeline_chart
from dortmund_kpi.views.common import Query, View, statuses


def reference_day(as_of: datetime | None) -> date:
    """The Berlin day a view shows: the pinned day, else today (overdue is judged against it)."""
    return clock.local(as_of).date() if as_of else clock.today()


def prepare(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """Measures with display columns: overdue flag, German dates, labels."""
    out = frame.copy()
    out["overdue"] = measures.overdue(out, today).astype("bool")
    out["start_text"] = out["start_date"].map(formatting.day)
    out["deadline_text"] = out["deadline"].map(formatting.day)
    icons = out["overdue"].map({True: "⚠ ", False: ""})
    # plotly reads <b>, <a href> ... in labels and hovers: text from files is shown as text
    # only; quotes stay quotes (plotly shows &quot; as it is).
    out["label"] = icons + out["title"].astype("str").map(_plain)
    out["owner_text"] = out["owner"].astype("str").map(_plain)
    return out


def _plain(text: str) -> str:
    return html.escape(text, quote=False)


def for_masterplan(frame: pd.DataFrame, plan: str) -> pd.DataFrame:
    return frame[frame["masterplan"] == plan]


def for_indicator(frame: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    return frame[measures.links_indicator(frame, indicator_id)] if len(frame) else frame


def for_district(frame: pd.DataFrame, slug: str) -> pd.DataFrame:
    return frame[measures.concerns_district(frame, slug)] if len(frame) else frame


def overdue_only(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["overdue"]] if len(frame) else frame


def status_text(status: str) -> str:
    return f"{texts.MEASURE_STATUS_ICONS.get(status, '')} {status}".strip()


def table(frame: pd.DataFrame, district_names: dict[str, str]) -> pd.DataFrame:
    """The measures list as shown (and exported): German headers, dates and status."""
    names = texts.MEASURE_COLUMNS
    shown = pd.DataFrame(
        {
            names["title"]: frame["title"],
            names["masterplan_name"]: frame["masterplan_name"],
            names["owner"]: frame["owner"],
            names["start"]: frame["start_text"],
            names["deadline"]: frame["deadline_text"],
            names["status"]: frame["status"].map(status_text),
            names["late"]: frame["overdue"].map({True: texts.MEASURE_OVERDUE, False: ""}),
            names["districts"]: frame["districts"].map(
                lambda slugs: district_text(slugs, district_names)
            ),
            names["indicators"]: frame["indicators"].map(", ".join),
        }
    )
    return shown.reset_index(drop=True)


def slide_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns that fit a slide: title, owner, deadline, status, overdue flag."""
    names = texts.MEASURE_COLUMNS
    keep = [names[k] for k in ("title", "owner", "deadline", "status", "late")]
    return table(frame, {})[keep]


def district_text(slugs: object, district_names: dict[str, str]) -> str:
    items = list(slugs)  # type: ignore[call-overload]
    if not items:
        return texts.MEASURE_CITYWIDE
    return ", ".join(district_names.get(s, s) for s in items)


def timeline(
    frame: pd.DataFrame, title: str, stand: str, today: date, pinned: bool = False
) -> go.Figure:
    """The Gantt chart; the dotted line is today, or the pinned day of a ``stand`` link."""
    meta = chart_frame.ChartMeta(
        title=title,
        unit="",
        source=texts.MEASURES_SOURCE,
        stand=stand,
        demo=bool(len(frame)) and not bool(frame["is_official"].all()),
    )
    label = texts.MEASURES_PINNED_DAY.format(day=formatting.day(today)) if pinned else None
    return timeline_chart.measure_timeline(frame, meta, today, label or texts.MEASURES_TODAY)


def overview_counts(frame: pd.DataFrame, plans: dict[str, str], today: date) -> pd.DataFrame:
    """Per masterplan (catalog order): measures by status, overdue, total; German headers."""
    counts = measures.status_counts(frame, today).set_index("masterplan")
    counts = counts.reindex(list(plans)).fillna(0).astype("int64")
    counts.insert(0, texts.FILTER_MASTERPLAN, [plans[p] for p in counts.index])
    columns = {s: status_text(s) for s in measures.STATUSES}
    columns |= {"überfällig": texts.MEASURE_OVERDUE, "gesamt": "Gesamt"}
    return counts.rename(columns=columns).reset_index(drop=True)


@dataclass(frozen=True)
class Detail:
    """One measure as the detail panel shows it."""

    id: str
    title: str
    description: str
    status: str
    overdue: bool
    facts: list[tuple[str, str]]
    history: pd.DataFrame
    indicators: list[tuple[str, str, str | None]]  # id, name, target status
    demo: bool
    deadline: str = ""  # as the facts write it

    @property
    def overdue_note(self) -> str | None:
        """ "⚠ überfällig seit <Frist>" for an overdue measure: the page's banner and the
        slide's row say the same."""
        return texts.MEASURE_OVERDUE_SINCE.format(deadline=self.deadline) if self.overdue else None


def detail(
    row: pd.Series,
    versions: pd.DataFrame,
    indicators: pd.DataFrame,
    statuses: dict[str, str | None],
    district_names: dict[str, str],
    plans: dict[str, str],
) -> Detail:
    fields = texts.MEASURE_FIELDS
    budget = row["budget_eur"]
    facts = [
        (fields["masterplan"], plans.get(str(row["masterplan"]), str(row["masterplan"]))),
        (fields["owner"], str(row["owner"])),
        (fields["start_date"], formatting.day(row["start_date"])),
        (fields["deadline"], formatting.day(row["deadline"])),
        (fields["status"], status_text(str(row["status"]))),
        (fields["status_date"], formatting.day(row["status_date"])),
        (fields["districts"], district_text(row["districts"], district_names)),
        (fields["budget_eur"], "–" if pd.isna(budget) else formatting.with_unit(budget, "€")),
        (fields["kind"], "amtlich" if row["is_official"] else texts.DEMO_BADGE),
    ]
    history = measures.status_history(versions)
    shown = pd.DataFrame(
        {
            texts.MEASURE_HISTORY_COLUMNS["status"]: history["status"].map(status_text),
            texts.MEASURE_HISTORY_COLUMNS["status_date"]: history["status_date"].map(
                formatting.day
            ),
            texts.MEASURE_HISTORY_COLUMNS["known"]: history["valid_from"].map(formatting.timestamp),
        }
    )
    names = dict(zip(indicators["id"], indicators["name"], strict=True))
    linked = [(i, names.get(i, i), statuses.get(i)) for i in row["indicators"]]
    return Detail(
        id=str(row["id"]),
        title=str(row["title"]),
        description=str(row["description"]),
        status=str(row["status"]),
        overdue=bool(row["overdue"]),
        facts=facts,
        history=shown,
        indicators=linked,
        demo=not bool(row["is_official"]),
        deadline=formatting.day(row["deadline"]),
    )


def detail_rows(info: Detail) -> list[tuple[str, str]]:
    """A measure's detail as label/value rows (a slide table): description, facts, status
    history, linked indicators with their target status."""
    deadline = texts.MEASURE_FIELDS["deadline"]
    rows = [(texts.MEASURE_DESCRIPTION, info.description)]
    rows += [  # the page's red banner, on the slide in the deadline's row
        (k, info.overdue_note if k == deadline and info.overdue_note else v) for k, v in info.facts
    ]
    history = " → ".join(f"{r.iloc[0]} ({r.iloc[1]})" for _, r in info.history.iterrows())
    rows.append((texts.MEASURE_HISTORY, history or "–"))
    for _, name, status in info.indicators:
        rows.append((texts.MEASURE_INDICATOR, f"{name}: {status or texts.NO_TARGET}"))
    return rows


def open_detail(query: Query, view: View) -> Detail | None:
    """The measure a link opens (URL key ``massnahme``) as of the view's Stand; None when
    the link opens none or the id is unknown at that Stand."""
    if not view.measure:
        return None
    today = reference_day(view.as_of)
    frame = prepare(query(measure_db.measures, as_of=view.as_of), today)
    match = frame[frame["id"] == view.measure]
    if match.empty:
        return None
    indicators = query(read.indicator_list)
    lo, hi = view.years
    stats = query(read.series_stats, lo, hi, as_of=view.as_of).set_index("indicator_id")
    return detail(
        match.iloc[0],
        query(measure_db.measure_versions, view.measure, as_of=view.as_of),
        indicators,
        statuses(stats, indicators),
        query(read.district_names),
        query(read.masterplan_names),
    )
