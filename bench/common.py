import json
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def write_result(name: str, figures: dict) -> Path:
    """Write bench/results/<name>.json with the machine and time of the run."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "name": name,
        "ran_at": datetime.now(UTC).isoformat(),
        "machine": platform.platform(),
        **figures,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return path


def production_settings() -> None:
    """Run as production does: ``DEBUG`` off, so no cursor logs every query (the default settings
    have ``DEBUG=1`` for development). Applies to both sides of a comparison alike."""
    from django.conf import settings

    settings.DEBUG = False
