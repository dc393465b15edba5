"""Synthetic demo data and demo accounts (for demonstrations and benchmarks only)."""
