from tests.catalog.conftest import NOW, achievement_data, demand_data, make_achievement, make_demand  # noqa: F401
