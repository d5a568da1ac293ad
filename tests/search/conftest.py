import pytest

from tests.catalog.conftest import NOW, achievement_data, demand_data, make_achievement, make_demand  # noqa: F401

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def after_commit(settings, django_capture_on_commit_callbacks):
    """``with after_commit():`` — the block's commits run their on-commit work (index tasks, mail)
    at its end, with tasks executed at once, as a worker would shortly after."""
    settings.TASKS = IMMEDIATE_TASKS
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def fresh_analyzer():
    """Leave no process-wide analyzer behind: its domain dictionary holds the keywords published
    when it was built, so a later test would segment with this test's words."""
    from zhouqiao.search import analysis

    analysis.invalidate()
    yield
    analysis.invalidate()
