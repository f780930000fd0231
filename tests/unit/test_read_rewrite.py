"""The rewritten dashboard queries (issue 7) return the same rows as the SQL before them."""

from __future__ import annotations

from benchmarks import proposals


def test_rewritten_queries_equal_the_previous_sql(fixture_db, capsys) -> None:
    assert proposals.compare(fixture_db.db_path.resolve()), capsys.readouterr().out
    out = capsys.readouterr().out
    assert out.count("same rows True") == 12, out
