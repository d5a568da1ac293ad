"""axe-core (shipped inside the axe-playwright-python wheel) run on the page the browser shows."""

from axe_playwright_python.sync_playwright import Axe

SEVERE = {"serious", "critical"}


def severe_violations(page) -> list[str]:
    """The serious and critical axe-core findings on the current page, one line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:5])}"
        for v in results.response["violations"]
        if v.get("impact") in SEVERE
    ]


def assert_accessible(page) -> None:
    found = severe_violations(page)
    assert not found, f"{page.url}\n" + "\n".join(found)
