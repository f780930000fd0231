"""Measurements: repeated timing with warm-up, and the record every measurement produces.

A record has exactly the fields of the issue (``FIELDS``); what does not apply is None.
Ratios are computed from two timings of the same run, never from stored numbers.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_WARMUP = {"runs": 1}
FIELDS = (
    "name",
    "scale",
    "median_ms",
    "p95_ms",
    "ratio_to_floor",
    "speedup_vs_pandas",
    "rss_mb",
    "bytes",
)


@dataclass
class Record:
    name: str
    scale: str
    median_ms: float | None = None
    p95_ms: float | None = None
    ratio_to_floor: float | None = None
    speedup_vs_pandas: float | None = None
    rss_mb: float | None = None
    bytes: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Timing:
    """Wall-clock samples of one measurement, in milliseconds."""

    samples_ms: tuple[float, ...]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.samples_ms, 95)

    def record(self, name: str, scale: str, **extra: Any) -> Record:
        return Record(
            name=name,
            scale=scale,
            median_ms=round(self.median_ms, 3),
            p95_ms=round(self.p95_ms, 3),
            **extra,
        )


def percentile(samples: tuple[float, ...] | list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method), without numpy."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def set_default_warmup(runs: int) -> None:
    DEFAULT_WARMUP["runs"] = runs


def measure(
    fn: Callable[[], Any],
    repeat: int,
    warmup: int | None = None,
    setup: Callable[[], Any] | None = None,
) -> Timing:
    """Run ``fn`` ``warmup`` times untimed (default 1), then ``repeat`` times timed.

    ``setup`` runs before every call (warm-up and timed) and is not timed. A full
    garbage collection runs once before the measurement; during it the collector
    works as it does in production.
    """
    samples = []
    warmup = DEFAULT_WARMUP["runs"] if warmup is None else warmup
    gc.collect()
    for index in range(warmup + repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        elapsed = (time.perf_counter() - start) * 1000
        if index >= warmup:
            samples.append(elapsed)
    return Timing(tuple(samples))


def measure_interleaved(
    fns: dict[str, Callable[[], Any]],
    repeat: int,
    warmup: int | None = None,
    setups: dict[str, Callable[[], Any]] | None = None,
) -> dict[str, Timing]:
    """Like ``measure`` for several variants, taking turns (A, B, C, A, B, C, ...).

    Variants that are compared with each other are measured in the same rounds, so a
    slow phase of a busy machine affects all of them alike instead of one.
    """
    setups = setups or {}
    warmup = DEFAULT_WARMUP["runs"] if warmup is None else warmup
    samples: dict[str, list[float]] = {name: [] for name in fns}
    gc.collect()
    for index in range(warmup + repeat):
        for name, fn in fns.items():
            setup = setups.get(name)
            if setup is not None:
                setup()
            start = time.perf_counter()
            fn()
            elapsed = (time.perf_counter() - start) * 1000
            if index >= warmup:
                samples[name].append(elapsed)
    return {name: Timing(tuple(values)) for name, values in samples.items()}


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return round(numerator / denominator, 3)
