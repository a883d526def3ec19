"""The benchmarks run on demand (``python tests/benchmarks/bench_enrich.py``), not under pytest."""

collect_ignore_glob = ["bench_*.py"]
