"""`make bench` runs every ``bench_*.py``: the reviewer-assignment bench lives in review_assignment.py."""

from bench.review_assignment import run

__all__ = ["run"]
