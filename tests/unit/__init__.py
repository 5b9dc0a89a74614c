"""Unit tests of the pure domain layer: no I/O, no database, milliseconds each."""
