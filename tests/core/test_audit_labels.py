"""Every audit action code written anywhere in the source has a Chinese label."""

import ast
import re
from pathlib import Path

import pytest

import zhouqiao
from zhouqiao.core import audit_labels

SRC = Path(zhouqiao.__file__).parent


def _audit_actions():
    """(file:line, code or regex) of each ``audit.record(…)`` / ``audit.event(…)`` in the source.
    A literal gives the code; an f-string (``f"contract.{to_status}"``) a pattern."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ("record", "event") or not isinstance(node.func.value, ast.Name):
                continue
            if node.func.value.id != "audit" or not node.args:
                continue
            arg, where = node.args[0], f"{path.relative_to(SRC)}:{node.lineno}"
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((where, arg.value, None))
            elif isinstance(arg, ast.JoinedStr):
                pattern = "".join(
                    re.escape(part.value) if isinstance(part, ast.Constant) else r"[a-z_]+"
                    for part in arg.values
                )
                found.append((where, None, re.compile(pattern + "$")))
            else:
                found.append((where, None, None))
    return found


ACTIONS = _audit_actions()


def test_the_scan_finds_the_audit_calls():
    assert len(ACTIONS) > 80
    codes = {code for _w, code, _p in ACTIONS if code}
    assert {"auth.login", "search.novelty_report", "market.auction.bid"} <= codes


@pytest.mark.parametrize(("where", "code", "pattern"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_every_audit_action_in_the_source_has_a_chinese_label(where, code, pattern):
    assert code or pattern, (
        f"{where}: the action is neither a literal nor an f-string; give it a literal code"
    )
    if code:
        assert audit_labels.is_known(code), f"{where}: no label for {code!r} in core/audit_labels.py"
    else:
        family = [c for c in audit_labels.known_codes() if pattern.match(c)]
        assert family, f"{where}: no label matches {pattern.pattern!r} in core/audit_labels.py"


def test_each_label_is_chinese_and_not_the_code():
    for code, label in audit_labels.ACTIONS.items():
        assert re.search(r"[\u4e00-\u9fff]", str(label)), code
        assert code not in str(label)


def test_an_unknown_code_is_not_shown_as_code():
    assert audit_labels.action_label("auth.login") == "登录"
    assert audit_labels.action_label("something.new") == "其他操作"


@pytest.mark.parametrize(
    ("family", "choices"),
    [
        ("contract.", "zhouqiao.contracts.states.ContractStatus"),
        ("booking.", "zhouqiao.facilities.states.BookingStatus"),
        ("achievement.", "zhouqiao.catalog.states.RecordStatus"),
        ("demand.", "zhouqiao.catalog.states.RecordStatus"),
        ("package.", "zhouqiao.catalog.states.PackageStatus"),
        ("organisation.", "zhouqiao.accounts.states.VerificationStatus"),
        ("voucher_application.", "zhouqiao.vouchers.states.ApplicationStatus"),
        ("voucher.", "zhouqiao.vouchers.states.VoucherStatus"),
        ("voucher_service.", "zhouqiao.vouchers.states.ServiceStatus"),
        ("voucher_order.", "zhouqiao.vouchers.states.OrderStatus"),
        ("market.listing.", "zhouqiao.market.states.ListingStatus"),
        ("market.auction.", "zhouqiao.market.states.AuctionStatus"),
        ("policy.entitlement_", "zhouqiao.policy.states.EntitlementStatus"),
    ],
)
def test_every_status_a_transition_family_can_write_has_a_label(family, choices):
    """``f"{family}{status}"`` is written for whatever status the move reaches."""
    from django.utils.module_loading import import_string

    for status in import_string(choices).values:
        assert audit_labels.is_known(family + status), family + status


def test_target_types_are_named_by_their_model():
    assert audit_labels.target_type_label("catalog.achievement") == "科技成果"
    assert audit_labels.target_type_label("accounts.organisation") == "机构"
    assert audit_labels.target_type_label("") == ""


def test_system_actors_are_named_in_words():
    assert audit_labels.actor_label("scheduler") == "系统定时任务"
    assert audit_labels.actor_label("city_staff", "王科长") == "王科长"
    assert audit_labels.actor_label("someone") == "someone"


@pytest.mark.django_db
def test_changes_say_no_file_paths_or_internal_references():
    from zhouqiao.core.models import AuditEvent

    upload = AuditEvent(
        target_type="contracts.contract",
        before={"attachment": ""},
        after={"attachment": "contracts/2026/51357eb72a.pdf", "status": "submitted"},
    )
    assert audit_labels.changes(upload) == ["签字盖章的合同文本（PDF）：— → 已上传", "状态：待登记审查"]
    issued = AuditEvent(target_type="vouchers.voucher", after={"source_ref": "application:1"})
    assert audit_labels.changes(issued) == []


@pytest.mark.django_db
def test_a_grant_says_which_duty_for_which_jurisdiction(reference):
    from zhouqiao.core.models import AuditEvent

    grant = AuditEvent(target_type="accounts.user", after={"duty": "statistics", "jurisdiction": "220100"})
    assert audit_labels.changes(grant) == ["职责：统计监测", "管辖区域：长春市"]
    revoke = AuditEvent(target_type="accounts.user", before={"duty": "reviewer", "jurisdiction": "220104"})
    assert audit_labels.changes(revoke) == ["职责：审核员 → —", "管辖区域：长春市朝阳区 → —"]


@pytest.mark.django_db
def test_region_prefixes_choice_lists_and_draft_ids_are_in_words(reference):
    from zhouqiao.core.models import AuditEvent

    call = AuditEvent(
        target_type="programs.call",
        after={"region_prefix": "22", "organisation_kinds": ["enterprise", "university"]},
    )
    assert audit_labels.changes(call) == ["申报单位所在地区：吉林省", "申报单位类型：企业、高等院校"]
    modes = AuditEvent(target_type="catalog.achievement", after={"transfer_modes": ",transfer,licence,"})
    assert audit_labels.changes(modes) == ["转化方式：转让、许可"]
    drafted = AuditEvent(target_type="market.deal", after={"contract_id": 5})
    assert audit_labels.changes(drafted) == ["合同草稿：已生成"]
    bid = AuditEvent(target_type="market.auction", after={"amount": "330000.00", "paddle": 1})
    assert audit_labels.changes(bid) == ["出价：33万元"]  # the paddle number stays in the CSV
