"""Fixtures of the reliability tests.

``dk`` runs ``dortmund-kpi`` in-process (``cli.main``) with the maintenance
commands registered: once ``cli.py`` registers them itself, the shim does nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from dortmund_kpi.ops import backup as maintenance
from dortmund_kpi.ops import cli


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long reliability test (crash, load, corpus)")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


@pytest.fixture
def dk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """Run ``dortmund-kpi ARGS`` in-process; returns exit code, stdout and stderr."""
    original = cli.build_parser

    def build_parser() -> argparse.ArgumentParser:
        parser = original()
        sub = _subcommands(parser)
        if "backup" not in sub.choices:  # until cli.py registers the commands itself
            common = argparse.ArgumentParser(add_help=False)
            common.add_argument("--db")
            maintenance.register(sub, common)
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)
    monkeypatch.delenv("DORTMUND_KPI_DEBUG", raising=False)

    def run(*argv: object) -> Result:
        capsys.readouterr()
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
