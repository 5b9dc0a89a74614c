"""Reproducible benchmarks that print figures; never part of the test run (see README.md)."""
