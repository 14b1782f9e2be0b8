"""Benchmarks: they print figures and ratios; nothing here is asserted."""
