"""Performance benchmark of Dortmund KPI: ``python -m benchmarks`` (see docs/performance.md)."""
