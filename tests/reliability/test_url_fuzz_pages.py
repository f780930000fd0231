"""Hostile links against every page: property-based (hypothesis) AppTest runs.

Every generated link carries random and adversarial values (unicode, control
characters, very long text, SQL fragments, HTML and Markdown, numbers, repeated
keys beyond the limit, plausible values of the wrong key) for the URL keys of the
contract, read from ``dortmund_kpi.share.urlstate`` (shared keys, page keys, old spellings
from ``KEY_MIGRATIONS``), plus Streamlit's reserved keys and unknown keys. A key
added to the contract later is fuzzed without touching this file. Each link is
opened on each page (``ui.widgets.PAGE_FILES``) of the real router, and:

* the run shows no exception element and no error element;
* the database is unchanged (published version, file checksum; all tables at the end);
* every rejected value is explained: the keys named by the page's notices are exactly
  the keys ``urlstate.parse`` rejects, and a key that applies to the page is either
  applied (the view state holds the parsed value) or named in a notice, never
  dropped silently.

Profile: ``EXAMPLES_PER_PAGE`` links per page, no deadline, no shrinking (an
AppTest run takes about a second) and nothing stored in ``.hypothesis``. With
``CI=true`` the examples are derandomised: every CI run of the same checkout opens
the same links. (Hypothesis also mixes in constants from the local modules that are
loaded, so this file alone opens other links than the whole suite does; each is
repeatable.)
"""

from __future__ import annotations

import hashlib
import os
import re
import reprlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import ENV_DB, Settings
from dortmund_kpi.share import url_values, urlstate
from dortmund_kpi.ui import data as ui_data
from dortmund_kpi.ui import url, widgets
from tests.app.conftest import open_page
from tests.reliability.helpers import report_line

EXAMPLES_PER_PAGE = 16
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
PROFILE = settings(
    max_examples=EXAMPLES_PER_PAGE,
    deadline=None,
    database=None,
    derandomize=IN_CI,
    print_blob=True,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

PAGES = [page for page in urlstate.PAGES if page in widgets.PAGE_FILES]
# The contract, read from urlstate: current keys, then old spellings.
CURRENT_KEYS = tuple(
    dict.fromkeys([*urlstate.SHARED_KEYS, *(k for ks in urlstate.PAGE_KEYS.values() for k in ks)])
)
OLD_KEYS = tuple(urlstate.KEY_MIGRATIONS)
CONTRACT = CURRENT_KEYS + OLD_KEYS
SENT_KEYS = CONTRACT + tuple(urlstate.RESERVED_KEYS)
NOTICE_KEY = re.compile(r"„([^“]*)“")

SQL = [
    "'; DROP TABLE observations;--",
    "1 OR 1=1",
    "' OR '1'='1",
    '" OR ""="',
    "') UNION SELECT * FROM import_log --",
    "1; DELETE FROM indicators",
    "ATTACH '/tmp/evil.duckdb' AS evil",
    "COPY observations TO '/tmp/leak.csv'",
    "INSTALL httpfs; LOAD httpfs;",
    "$1",
    "?",
    "%' --",
    "NULL",
    "read_csv('/etc/passwd')",
]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[Jetzt anmelden](https://evil.example/login)",
    "![](https://evil.example/pixel.png)",
    "**fett** _kursiv_ ~~weg~~",
    ":red[rot] :material/warning:",
    "$$\\int_0^1 x$$",
    "`code` ``` <!-- -->",
    "{{7*7}} ${7*7} %s%n",
    "../../etc/passwd",
    "javascript:alert(1)",
    "\u202egnp.exe",
    "a\u200bb\ufeffc",
    "line\r\nbreak",
]
NUMBERS = ["1e309", "NaN", "-0", "0x7E8", "２０２０", "2020.0", " 2020 ", "-2020", "9" * 40]


def app_context() -> url_values.UrlContext:
    """What the app accepts: its own ``ui.url.url_context`` (here called outside a session),
    so valid values of keys added later are known too."""
    return url.url_context()


def plausible_values(db: Settings, ctx: url_values.UrlContext) -> list[str]:
    """Values that are valid for some key: sent to any key, they test confusion too."""
    with Store(db.db_path).connect_read() as con:
        districts = read.district_list(con)
    choices = [  # every list of valid ids in the context (masterplans, indicators, ...)
        value
        for item in fields(ctx)
        if isinstance(getattr(ctx, item.name), tuple)
        for value in getattr(ctx, item.name)
        if isinstance(value, str)
    ]
    today = date.today()
    lo, hi = ctx.years
    return sorted(
        {
            *districts["slug"],
            *districts["name"],
            "dortmund",
            *choices,
            *(str(y) for y in range(lo - 2, hi + 3)),
            today.isoformat(),
            (today + timedelta(days=1)).isoformat(),
            f"{lo}-06-30",
            f"30.06.{hi}",
            f"{hi}-01-15T10:30:00",
            "1999-12-31",
            "1",
            "0",
            "ja",
            "nein",
            "true",
        }
    )


def values_strategy(plausible: list[str]) -> st.SearchStrategy[list[str]]:
    one = st.one_of(
        st.sampled_from(plausible),
        st.text(max_size=40),
        st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]), min_size=1, max_size=8),
        st.tuples(st.text(min_size=1, max_size=4), st.integers(300, 4000)).map(
            lambda t: t[0] * t[1]
        ),
        st.sampled_from(SQL + MARKUP + NUMBERS + [""]),
        st.integers(-(10**12), 10**12).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.tuples(st.sampled_from(plausible), st.sampled_from(SQL + MARKUP)).map("".join),
    )
    few = st.lists(one, min_size=1, max_size=4)
    # now and then a key repeated beyond url_values.MAX_RAW_VALUES
    many = st.lists(st.sampled_from(plausible), min_size=51, max_size=60)
    return st.integers(0, 9).flatmap(lambda n: many if n == 0 else few)


def links_strategy(plausible: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    """A link: each key of the contract present or not, plus up to two unknown keys."""
    values = values_strategy(plausible)
    known = st.fixed_dictionaries({key: st.none() | values for key in SENT_KEYS})
    unknown = st.dictionaries(
        st.text(max_size=12).filter(lambda k: k.lower() not in SENT_KEYS), values, max_size=2
    )
    return st.tuples(known, unknown).map(
        lambda kv: {k: v for k, v in {**kv[1], **kv[0]}.items() if v is not None}
    )


def delivered(link: dict[str, list[str]]) -> dict[str, list[str]]:
    """The query parameters the app receives: AppTest encodes, Streamlit parses back."""
    return parse_qs(urlencode(link, doseq=True), keep_blank_values=True)


def file_state(db: Settings) -> tuple[str, str]:
    store = Store(db.db_path)
    return store.version(), hashlib.sha256(store.current_file().read_bytes()).hexdigest()


def table_digest(db: Settings) -> dict[str, str]:
    """Every table's rows (sorted), hashed: what an effect on the data would change."""
    out = {}
    with Store(db.db_path).connect_read() as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY 1"
            ).fetchall()
        ]
        for name in names:
            rows = sorted(repr(row) for row in con.execute(f'SELECT * FROM "{name}"').fetchall())
            out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return out


SHORT = reprlib.Repr()  # failure messages: the link shortened (hypothesis prints it in full)
SHORT.maxstring, SHORT.maxlist, SHORT.maxdict = 50, 5, 25


def view_value(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.fixture(scope="module")
def fuzz_db(fixture_db: Settings) -> Iterator[Settings]:
    """The session's fixture database for the app (read only), caches closed afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_DB, str(fixture_db.db_path))
        yield fixture_db
    ui_data.clear()


SEEN: dict[str, Counter] = {}


@pytest.fixture(scope="module", autouse=True)
def report_figures(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if SEEN:
        runs = sum(c["runs"] for c in SEEN.values())
        notices = sum(c["notices"] for c in SEEN.values())
        report_line(
            request.config,
            f"\nURL-Fuzz: {runs} Links auf {len(SEEN)} Seiten, {len(CONTRACT)} Schlüssel "
            f"(davon {len(OLD_KEYS)} alte Schreibweisen), {notices} Hinweise",
        )


@pytest.mark.parametrize("page", PAGES)
def test_hostile_links_on_every_page(page: str, fuzz_db: Settings) -> None:
    ctx = app_context()
    tables_before = table_digest(fuzz_db)
    files_before = file_state(fuzz_db)
    applicable = (*urlstate.SHARED_KEYS, *urlstate.PAGE_KEYS.get(page, ()))
    seen = SEEN.setdefault(page, Counter())

    @PROFILE
    @given(links_strategy(plausible_values(fuzz_db, ctx)))
    def open_link(link: dict[str, list[str]]) -> None:
        params = {k: v for k, v in delivered(link).items() if k not in urlstate.RESERVED_KEYS}
        expected = urlstate.parse(params, page, ctx)
        at = open_page(page, link)
        seen.update(["runs", *(f"sent:{k}" for k in delivered(link))])

        assert len(at.exception) == 0, f"exception on {page} for {SHORT.repr(link)}"
        assert len(at.error) == 0, [e.value for e in at.error]
        assert len(at.title) >= 1, "the page was not drawn"
        assert file_state(fuzz_db) == files_before, "a link changed the database"

        named = []
        for text in (w.value for w in at.warning):
            match = NOTICE_KEY.search(text)
            assert match, f"a notice that names no key: {text!r}"
            named.append(match.group(1))
        assert Counter(named) == Counter(n.key for n in expected.notices), (named, SHORT.repr(link))
        assert set(named) <= set(applicable), named
        seen.update(["notices"] * len(named) + [f"rejected:{k}" for k in named])

        migrated = urlstate.migrate_keys(params)
        for key in (k for k in applicable if k in migrated):
            if key in expected.values:
                assert view_value(at.session_state[key]) == view_value(expected.values[key]), key
                seen.update([f"applied:{key}"])
            else:
                assert key in named, f"„{key}“ was ignored silently: {SHORT.repr(link)}"

    open_link()

    assert table_digest(fuzz_db) == tables_before, "a link changed a table"
    missing = [k for k in SENT_KEYS if not seen[f"sent:{k}"]]
    assert not missing, f"never sent to {page}: {missing}"
    never_rejected = [k for k in applicable if not seen[f"rejected:{k}"]]
    assert not never_rejected, f"never rejected on {page}: {never_rejected}"
