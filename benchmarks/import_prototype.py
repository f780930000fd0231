"""Where the importer's time goes, and what the proposed changes would save.

``python -m benchmarks.import_prototype FILE.csv`` (a template CSV, e.g. one written by
``benchmarks.importbench.write_template_csv``) times the current reading and validation
steps and prototypes of the changes proposed in docs/performance.md ("Import"). The
prototypes cover the happy path only (no messages are built); they are not used by the
product.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dortmund_kpi.importer import load_context
from dortmund_kpi.numbers import clean_number_text, detect_convention, parse_numbers
from dortmund_kpi.periods import parse_period
from dortmund_kpi.readers import read_csv_bytes
from dortmund_kpi.settings import get_settings
from dortmund_kpi.validate import validate_frames


def timed(label: str, fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = fn()
    print(f"{label:<52} {time.perf_counter() - started:6.2f} s")
    return result


def main(path: Path) -> None:
    data = path.read_bytes()
    ctx = load_context(get_settings())
    table = timed("current: readers.read_csv_bytes (csv module)", lambda: read_csv_bytes(data, "f"))
    frame = timed("current: RawTable.frame()", table.frame)
    timed("current: validate.validate_frames", lambda: validate_frames([(frame, ";")], ctx))
    timed("current: numbers.clean_number_text + parse_numbers", lambda: _numbers(frame))

    fast = timed(
        "proposed: pd.read_csv(engine='pyarrow', dtype=str)",
        lambda: pd.read_csv(
            io.BytesIO(data), sep=";", dtype="str", keep_default_na=False, engine="pyarrow"
        ),
    )
    timed("proposed: periods parsed per category", lambda: _periods(fast))
    timed("proposed: numbers: two replaces + to_numeric", lambda: _german_numbers(fast))
    timed("proposed: indicator ids per category", lambda: _ids(fast, set(ctx.catalog.ids)))


def _numbers(frame: pd.DataFrame) -> pd.Series:
    text = clean_number_text(frame["wert"])
    return parse_numbers(text, detect_convention(text, ";"))


def _periods(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    raw = frame["zeitraum"].astype("category")
    parsed = [parse_period(text) for text in raw.cat.categories]
    codes = raw.cat.codes.to_numpy()
    bad = np.array([p is None for p in parsed])[codes]
    labels = np.array([p.label if p else "" for p in parsed], dtype=object)[codes]
    return bad, labels


def _german_numbers(frame: pd.DataFrame) -> pd.Series:
    text = frame["wert"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce")


def _ids(frame: pd.DataFrame, known: set[str]) -> pd.Series:
    ids = frame["indikator"].astype("category")
    normal = ids.cat.rename_categories(lambda c: c.strip().lower().replace(" ", "_"))
    return normal.isin(known)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
