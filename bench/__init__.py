"""Benchmarks: figures printed for the notes, never timed assertions (`make bench`)."""
