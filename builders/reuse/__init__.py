"""Reprints and text reuse: which records are the same story, and which passages are copied.

A release stage that runs after the records are written and before the checksums:
normalise each body (:mod:`normalize`), hash its character 5-grams (:mod:`shingles`),
find candidate pairs by MinHash LSH and by shared anchor hashes (:mod:`candidates`),
verify every pair by exact containment and shared passages (:mod:`verify`), cluster the
verified reprint links (:mod:`cluster`) and write the ``reuse`` object of every record
into the release's Parquet and JSONL shards (:mod:`stage`).
"""
