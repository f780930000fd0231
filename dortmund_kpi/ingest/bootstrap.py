"""Create a database: reference tables, the real published figures, demo series.

Official values come from two places, both checked by the importers' own paths: the
figures in the import template format (``data/official/*.csv``) and the published
tables of ``data/official/sources.yaml`` (mapped like ``import FILE --indikator``). A
value (indicator, area, period) given in both, or twice, stops ``init``: no source wins
silently. Demo values fill only what no official value covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from dortmund_kpi import clock
from dortmund_kpi.db import peers, write
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.db.store import Store, StoreExists
from dortmund_kpi.districts import load_districts
from dortmund_kpi.ingest.demo import DEMO_SOURCE, SEED, demo_observations
from dortmund_kpi.ingest.importer import load_context, read_and_validate
from dortmund_kpi.ingest.issues import ImportFailed, Issue
from dortmund_kpi.ingest.peer_regions import load_regions
from dortmund_kpi.ingest.published import load_published, refuse_duplicates
from dortmund_kpi.ingest.trends import stale_assessments, unknown_measures
from dortmund_kpi.peer_groups import PeerConfig, PeerFileError, load_peer_config
from dortmund_kpi.settings import Settings

DEMO_MEASURES = "Demo-Maßnahmen (keine beschlossenen Maßnahmen der Stadt)"
DEMO_TRENDS = "Demo-Trends (keine Bewertungen der Stadt)"


@dataclass(frozen=True)
class InitResult:
    official: int
    demo: int
    indicators: int
    districts: int
    measures: int = 0
    trends: int = 0


def init_database(
    settings: Settings, *, demo: bool = True, force: bool = False, user: str | None = None
) -> InitResult:
    """Build a fresh database and publish it; refuses to replace data without ``force``."""
    store = Store(settings.db_path)
    if store.exists() and not force:
        raise StoreExists(
            f"Datenbank {settings.db_path} existiert bereits. Zum Neuanlegen (die "
            "bisherigen Daten werden ersetzt): dortmund-kpi init --force"
        )
    ctx = load_context(settings)
    districts = load_districts(settings.districts_path)
    files = sorted(settings.official_dir.glob("*.csv"))
    validated, hashes = read_and_validate(files, settings, ctx)
    tables = load_published(settings, ctx)
    regions = load_regions(settings, _peer_config(settings))
    official = refuse_duplicates(
        [validated.observations, *(t.observations for t in tables)],
        settings.official_sources_path,
    )
    demo_rows = demo_observations(ctx.catalog, districts, official) if demo else None
    measures, measure_files = None, sorted(settings.measures_dir.glob("*.csv")) if demo else []
    if measure_files:  # checked by the real importer, like every measures file
        checked, measure_hashes = read_and_validate(measure_files, settings, ctx)
        measures = checked.measures
    # One import per file, in name order: each demo file is one review of the radar.
    reviews = [
        read_and_validate([path], settings, ctx)
        for path in (sorted(settings.trends_dir.glob("*.csv")) if demo else [])
    ]
    with store.write(fresh=True, create_only=not force) as con:
        write.sync_reference(con, ctx.catalog, districts)
        _load(
            con, validated.observations, hashes, user, "Veröffentlichte Kennzahlen (amtlich/real)"
        )
        peers.put_regions(con, regions)
        for table in tables:
            _load(con, table.observations, table.files, user, table.message)
            peers.put_peer_values(con, table.peers, clock.now())
        if demo_rows is not None:
            _load(con, demo_rows, [("demo", f"seed {SEED}")], user, DEMO_SOURCE)
        if measures is not None:
            _load(con, measures, measure_hashes, user, DEMO_MEASURES, write.apply_measures)
        for checked, trend_hashes in reviews:
            known = trend_db.measure_ids(con)
            problems = unknown_measures(checked.trends, known)
            problems += stale_assessments(checked.trends, trend_db.current_trends(con))
            if problems:
                raise ImportFailed(problems)
            _load(con, checked.trends, trend_hashes, user, DEMO_TRENDS, trend_db.apply_trends)
    return InitResult(
        official=len(official),
        demo=0 if demo_rows is None else len(demo_rows),
        indicators=len(ctx.catalog.indicators),
        districts=len(districts),
        measures=0 if measures is None else len(measures),
        trends=len({i for checked, _ in reviews for i in checked.trends["id"]}),
    )


def _peer_config(settings: Settings) -> PeerConfig:
    """The peer groups, or ``ImportFailed`` naming peers.yaml: nothing is created."""
    try:
        return load_peer_config(settings.peers_path)
    except PeerFileError as broken:
        where = str(settings.peers_path)
        message = str(broken).removeprefix(f"{where}: ")
        raise ImportFailed([Issue(where, 1, "gruppen", message)]) from None


def _load(con, rows, files, user, message, apply=write.apply_observations) -> None:
    """One logged import inside init: observations, or measures with ``apply_measures``."""
    started = write.next_moment(con)
    import_id = write.next_import_id(con)
    counts = apply(con, rows, import_id, started)
    write.log_import(
        con,
        import_id,
        started=started,
        files=files,
        rows_read=len(rows),
        counts=counts,
        user=user,
        message=message,
    )


def ensure_database(settings: Settings) -> bool:
    """Create the default database on first start, migrate an old one; True if anything changed."""
    store = Store(settings.db_path)
    if not store.exists():
        try:
            init_database(settings)
        except StoreExists:
            return False  # another process created it meanwhile
        return True
    return store.ensure_schema()
