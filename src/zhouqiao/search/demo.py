"""Demo: the index is rebuilt last, after every other domain has written its records (the demo
writes many of them directly, past the services that schedule index updates)."""

from zhouqiao.search import indexing


def create_demo_data(*, now) -> dict[str, int]:
    return {"search documents": indexing.rebuild(now=now)}
