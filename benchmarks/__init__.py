"""Benchmarks and the demo driver; run with ``python -m benchmarks.<name>``."""
