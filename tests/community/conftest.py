import pytest

from tests.community.helpers import NOW


@pytest.fixture
def now():
    return NOW
