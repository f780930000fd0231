"""Helpers of tests, scripts and benchmarks (not part of the product package)."""
