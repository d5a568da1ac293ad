"""`make bench`: run every benchmark module in this folder (each has ``run()``), or the ones named.

Each writes ``bench/results/<name>.json``: its figures, the baseline's figures from the same run,
their ratio and the goal.
"""

import importlib
import os
import sys
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> None:
    """``names``: modules to run, with or without the ``bench_`` prefix (``python -m bench pages``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhouqiao.settings")
    os.environ.setdefault("RATELIMIT_ENABLED", "0")  # benchmarks measure throughput, not the limits
    django.setup()
    modules = [n if n.startswith("bench_") else f"bench_{n}" for n in names] or sorted(
        p.stem for p in HERE.glob("bench_*.py")
    )
    for name in modules:
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").run()


if __name__ == "__main__":
    main(sys.argv[1:])
