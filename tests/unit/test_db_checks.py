"""The SQL behind ``dortmund-kpi check``, now in ``dortmund_kpi.db.checks``.

Why these tests: all SQL lives in ``db/`` with bound parameters, so the check
queries are tested here on their own, apart from the wording in ``ops.backup``.
"""

from __future__ import annotations

import duckdb
import pytest

from dortmund_kpi.db import checks
from dortmund_kpi.db.schema import migrate
from dortmund_kpi.db.store import Store
from dortmund_kpi.ops import backup as ops_backup
from dortmund_kpi.settings import Settings


# -- check queries -------------------------------------------------------------
def test_every_query_belongs_to_exactly_one_check():
    used = [check.query for check in ops_backup.CHECKS]
    assert sorted(used) == sorted(checks.QUERIES)


def test_no_query_finds_a_problem_in_the_fixture(fixture_db: Settings):
    with Store(fixture_db.db_path).connect_read() as con:
        found = {key: checks.problems(con, key) for key in checks.QUERIES}
    assert found == {key: checks.Problems(0, ()) for key in checks.QUERIES}


def test_problems_counts_all_and_names_the_first_few_sorted(fixture_db: Settings):
    with duckdb.connect() as con:
        con.execute(
            "ATTACH $path AS fixture (READ_ONLY)", {"path": str(fixture_db.db_path.resolve())}
        )
        con.execute("COPY FROM DATABASE fixture TO memory")
        con.execute(
            "INSERT INTO observations SELECT o.* REPLACE ('gibt_es_nicht_' || t.i AS indicator_id) "
            "FROM (SELECT * FROM observations WHERE valid_to IS NULL LIMIT 1) o, range(7) t(i)"
        )
        found = checks.problems(con, "unknown_indicator", examples=3)
        assert found.count == 7
        assert len(found.examples) == 3
        assert list(found.examples) == sorted(found.examples)
        assert all(e.startswith("gibt_es_nicht_") for e in found.examples)


def test_a_check_that_cannot_run_raises_and_leaves_the_connection_usable():
    with duckdb.connect() as con:
        with pytest.raises(duckdb.CatalogException):
            checks.problems(con, "unknown_indicator")
        migrate(con)
        assert checks.problems(con, "unknown_indicator") == checks.Problems(0, ())
