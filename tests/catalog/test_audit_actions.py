"""Every audit action the catalog and search apps write has a Chinese name (no code on a page)."""

import re
from pathlib import Path

from zhouqiao.catalog.audit_actions import AUDIT_ACTIONS as CATALOG
from zhouqiao.catalog.states import PackageStatus, RecordStatus
from zhouqiao.catalog.templatetags.catalog_tags import action_text
from zhouqiao.search.audit_actions import AUDIT_ACTIONS as SEARCH

SRC = Path(__file__).resolve().parents[2] / "src" / "zhouqiao"


def written_actions() -> set[str]:
    """The literal action codes passed to audit.record in both apps, with the f-string ones spelled
    out for every status and kind they can take."""
    found = set()
    for app in ("catalog", "search"):
        for path in (SRC / app).glob("*.py"):
            found |= set(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text()))
    for kind in ("achievement", "demand"):
        found |= {f"{kind}.{s}" for s in RecordStatus.values if s != RecordStatus.DRAFT}
        found |= {f"{kind}.attach", f"{kind}.detach", f"{kind}.import"}
    found -= {"achievement.expired"}  # achievements never expire (states.EXPIRING_KINDS)
    found |= {f"package.{s}" for s in PackageStatus.values if s != PackageStatus.DRAFT}
    return found


def test_every_written_action_has_a_chinese_name():
    names = CATALOG | SEARCH
    missing = sorted(a for a in written_actions() if a not in names)
    assert not missing
    assert all(re.search(r"[\u4e00-\u9fff]", str(label)) for label in names.values())
    assert "search.novelty_report" in written_actions()


def test_the_history_shows_the_name_not_the_code():
    assert action_text("achievement.published") == "成果审核通过并发布"
    assert action_text("something.unknown") == "其他操作"
