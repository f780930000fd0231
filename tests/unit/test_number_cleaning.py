"""``clean_number_text`` runs its regular expressions only where they can change a cell;
the result equals applying them to every cell (the implementation before 2026-11)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dortmund_kpi.ingest import numbers


def every_cell(series: pd.Series) -> pd.Series:
    text = series.astype("str").str.strip().str.replace(r"\s*[%€]$", "", regex=True)
    grouped = text.str.match(numbers._SPACE_GROUPED)
    return text.where(~grouped, text.str.replace(numbers._SPACES, "", regex=True))


def test_equals_cleaning_every_cell() -> None:
    cases = ["1.234,5", " 12 % ", "12%", "1 234,5", "1\u00a0234", "1\u202f234,5 €", "1 2 3"]
    cases += ["abc", "", "-", None, np.nan, "12 €", " 1 234 567,89 ", "\t5\t", "5 %%", "€"]
    cases += ["1 234%", "+1 234", "1\u2009234", "12,5\u00a0%", "x%"]
    rng = np.random.default_rng(1)
    chars = list("0123456789.,+- %€\u00a0\u202f\u2009ab\t")
    cases += ["".join(rng.choice(chars, rng.integers(0, 10))) for _ in range(5000)]
    series = pd.Series(cases, dtype="str")
    pd.testing.assert_series_equal(numbers.clean_number_text(series), every_cell(series))


def test_plain_numbers_untouched() -> None:
    series = pd.Series(["1.234,5", "100", "-3,25"], dtype="str")
    pd.testing.assert_series_equal(numbers.clean_number_text(series), series)
