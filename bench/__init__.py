"""Load scenarios and data generators; they write their figures to bench/results/*.json."""
