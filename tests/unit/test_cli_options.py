"""Options every command takes work before and after the command's name, or exit 2.

The bug this keeps out: ``dortmund-kpi --db TEST init --force`` parsed ``--db`` on the main
parser, then the subcommand's default (``None``) overwrote it, and the command replaced the
default database.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import pytest

from dortmund_kpi.ops import cli
from tests.unit.test_cli import COMMAND, ENV


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _required_args(sub: argparse.ArgumentParser) -> list[str]:
    """The smallest argument list the command accepts: one value per required argument."""
    args: list[str] = []
    for action in sub._actions:
        if not action.option_strings:
            args += ["x"] if action.nargs in (None, "+", 1) else []
        elif action.required:
            args += [action.option_strings[0], "x"]
    return args


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    cli._merge_common(parser, args)
    return args


COMMANDS = sorted(_subcommands())
OPTIONS = ["--" + dest.replace("_", "-") for dest in cli.common_option_names()]


def test_every_command_is_covered() -> None:
    assert {"init", "import", "export", "slides", "backup", "restore", "check"} <= set(COMMANDS)
    assert OPTIONS == ["--db"]


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("command", COMMANDS)
def test_common_option_before_and_after_the_command(command: str, option: str) -> None:
    rest = _required_args(_subcommands()[command])
    dest = option[2:].replace("-", "_")
    before = _parse([option, "/tmp/before.duckdb", command, *rest])
    after = _parse([command, *rest, option, "/tmp/after.duckdb"])
    middle = _parse([command, option, "/tmp/middle.duckdb", *rest])
    assert getattr(before, dest) == "/tmp/before.duckdb"
    assert getattr(after, dest) == "/tmp/after.duckdb"
    assert getattr(middle, dest) == "/tmp/middle.duckdb"
    assert getattr(_parse([command, *rest]), dest) is None  # not given: the default applies
    same = _parse([option, "/tmp/same.duckdb", command, *rest, option, "/tmp/same.duckdb"])
    assert getattr(same, dest) == "/tmp/same.duckdb"
    assert not any(name.endswith(cli.AFTER) for name in vars(before) | vars(after))


@pytest.mark.parametrize("command", COMMANDS)
def test_two_different_databases_or_an_empty_one_are_a_usage_error(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rest = _required_args(_subcommands()[command])
    for argv in (
        ["--db", "/tmp/a.duckdb", command, *rest, "--db", "/tmp/b.duckdb"],
        ["--db", "", command, *rest],
        [command, *rest, "--db", " "],
    ):
        with pytest.raises(SystemExit) as exited:
            _parse(argv)
        assert exited.value.code == 2
        assert "--db" in capsys.readouterr().err


def _run(*args: object, default_db: Path) -> subprocess.CompletedProcess[str]:
    env = ENV | {"DORTMUND_KPI_DB": str(default_db)}
    return subprocess.run(
        [COMMAND, *map(str, args)], env=env, capture_output=True, text=True, timeout=300
    )


def test_init_force_with_db_before_the_command_never_touches_the_default(
    tmp_path: Path,
) -> None:
    default = tmp_path / "default.duckdb"
    chosen = tmp_path / "test.duckdb"
    for argv in (
        ["--db", chosen, "init", "--no-demo"],
        ["--db", chosen, "init", "--no-demo", "--force"],
        ["init", "--no-demo", "--force", "--db", chosen],
        ["--db", chosen, "check"],
    ):
        result = _run(*argv, default_db=default)
        assert result.returncode == 0, result.stderr
        assert not os.path.lexists(default), argv
        assert chosen.exists()
    assert (
        f"Datenbank angelegt: {chosen}"
        in _run("--db", chosen, "init", "--no-demo", "--force", default_db=default).stdout
    )
    assert not os.path.lexists(default)
    assert not list(tmp_path.glob("default*"))


@pytest.mark.parametrize(
    "args",
    [("indicators", "--json"), ("indicators",), ("template",), ("export",)],
    ids=["indicators-json", "indicators", "template", "export"],
)
def test_a_reader_that_leaves_ends_the_command_quietly(args: tuple[str, ...], tmp_path: Path):
    """``dortmund-kpi indicators --json | head``: no 'unerwarteter Fehler', exit 141 (SIGPIPE)."""
    db = tmp_path / "kpi.duckdb"
    assert _run("--db", db, "init", "--no-demo", default_db=db).returncode == 0
    proc = subprocess.Popen(
        [COMMAND, *args, "--db", str(db)],
        env={k: v for k, v in ENV.items() if k != "PYTHONUNBUFFERED"},  # buffered, as usual
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=300) == cli.EXIT_BROKEN_PIPE, err
    assert err == ""


def test_secrets_are_never_committed() -> None:
    root = Path(__file__).resolve().parents[2]
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=root, check=False
    )
    assert ignored.returncode == 0, ".streamlit/secrets.toml is not in .gitignore"
