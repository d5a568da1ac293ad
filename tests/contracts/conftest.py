from tests.contracts.fixtures import *  # noqa: F403
