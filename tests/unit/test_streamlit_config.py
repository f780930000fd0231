"""The served Streamlit configuration (.streamlit/config.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config

ROOT = Path(__file__).resolve().parents[2]


def test_no_forced_full_garbage_collection_after_each_run() -> None:
    """Streamlit's default gc.collect(2) after every run held the one script thread for
    20-90 ms per run with our data held in memory: concurrent visitors queued behind it
    (docs/performance.md). Python's own collector still runs. The option must be one
    Streamlit knows (a renamed option would be ignored without a word)."""
    served = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert served["runner"]["postScriptGC"] is False
    assert "runner.postScriptGC" in config.get_config_options()
