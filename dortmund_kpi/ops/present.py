"""Showing the data: ``dortmund-kpi serve`` (the dashboard) and ``dortmund-kpi slides``
(a deck from dashboard links)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dortmund_kpi import os_text, texts
from dortmund_kpi.formatting import counted
from dortmund_kpi.ops.console import EXIT_DATA, EXIT_OK, UsageError, print_err
from dortmund_kpi.settings import ENV_PUBLIC, PROJECT_ROOT, Settings


def cmd_slides(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi.db.store import Store
    from dortmund_kpi.share import downloads as exports
    from dortmund_kpi.share.deck import BadLink, ViewError, deck_for_urls
    from dortmund_kpi.share.slides import TemplateError

    template = _template(args.vorlage) if args.vorlage else None
    try:
        with Store(settings.db_path).connect_read() as con:
            data, notes = deck_for_urls(con, args.urls, template, details=args.details)
    except ViewError as exc:
        raise UsageError(str(exc)) from exc
    except BadLink as exc:  # nothing written: a deck of other views would mislead
        print_err(f"Link nicht lesbar, kein Foliensatz geschrieben: {exc}")
        return EXIT_DATA
    except TemplateError as exc:
        print_err(f"Vorlage {args.vorlage} nicht verwendbar, kein Foliensatz geschrieben: {exc}")
        return EXIT_DATA
    finally:
        exports.stop_image_server()
    Path(args.output).write_bytes(data)
    for note in notes:
        print_err(note)
    views = counted(len(args.urls), *texts.VIEWS)
    print(f"Foliensatz geschrieben: {args.output} ({views})")
    return EXIT_OK


def _template(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"Vorlage {path} nicht lesbar: {os_text.reason(exc)}") from exc


def _check_secrets() -> None:
    """Refuse to start with a malformed editors' allow-list (the files Streamlit reads)."""
    import tomllib

    from dortmund_kpi.editors import EditorConfigError, editors_from_secrets

    merged: dict = {}
    for path in (Path.home() / ".streamlit/secrets.toml", PROJECT_ROOT / ".streamlit/secrets.toml"):
        if path.is_file():
            try:
                merged |= tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise EditorConfigError(f"{path} nicht lesbar ({os_text.describe(exc)})") from exc
    editors_from_secrets(merged)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi.ingest.bootstrap import ensure_database

    _check_secrets()
    ensure_database(settings)
    # absolute, NOT resolved: the path is a symlink that every import moves to a new version
    os.environ["DORTMUND_KPI_DB"] = str(settings.db_path.absolute())
    if getattr(args, "oeffentlich", False):  # public mode: only public items, no upload
        os.environ[ENV_PUBLIC] = "1"  # inherited by every replica process, too
    if args.replicas:
        from dortmund_kpi.ops.replicas import serve_replicas

        # the replicas listen on loopback only: nginx in front is the way in
        return serve_replicas(
            args.replicas,
            args.port,
            args.address,
            lambda port: streamlit_command(port, "127.0.0.1"),
            PROJECT_ROOT,
        )
    os.chdir(PROJECT_ROOT)  # Streamlit reads .streamlit/config.toml from the working directory
    command = streamlit_command(args.port, args.address)
    os.execv(sys.executable, command)
    return EXIT_OK  # not reached


def streamlit_command(port: int, address: str | None) -> list[str]:
    """``streamlit run`` of the dashboard (its ASGI app, ``ui/app.py``: ``dashboard.py`` with
    the product's index page); run it in ``PROJECT_ROOT`` (config.toml)."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(Path(__file__).parents[1] / "ui" / "app.py"),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    if address:
        command += ["--server.address", address]
    return command
