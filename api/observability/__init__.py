"""Metrics, structured logs and tracing for the API process."""
