"""Benchmark harnesses: similarity, conflicts, extraction, clustering."""
