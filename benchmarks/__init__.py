"""Benchmarks: speed and memory as ratios to a baseline measured in the same run.

Run them with ``make bench`` (``python -m benchmarks``).  Tests never assert timings.
"""
