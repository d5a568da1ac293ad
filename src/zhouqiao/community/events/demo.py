def create_demo_data(*, now) -> dict[str, int]:
    return {}
