"""Benchmarks: `python -m bench` (or `make bench`) prints figures and ratios.

Speed is measured here, never asserted in tests: a timing assertion flakes on a busy machine,
a benchmark reports what the machine did.
"""
