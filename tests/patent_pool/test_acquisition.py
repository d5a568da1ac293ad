"""Offers (拟放弃), decisions on acquisition (收储) and who may make them."""

from decimal import Decimal

import pytest

from tests.patent_pool.conftest import make_patent
from zhouqiao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.programs.patent_pool import services, todos
from zhouqiao.programs.patent_pool.models import AcquisitionCase, PatentPool, PooledPatent
from zhouqiao.programs.patent_pool.states import CaseOrigin, CaseStatus

pytestmark = pytest.mark.django_db


def _offer(owner_user, patent, now, **kw):
    values = {"reason": "课题组已解散，无力继续缴纳年费", "asking_price": "50000"}
    values.update(kw)
    return services.offer_patent(actor=owner_user, patent_id=patent.pk, now=now, **values)


def test_an_owner_offers_and_the_officer_of_the_region_gets_a_todo(
    owner_user, patent, officer, other_officer, now
):
    case = _offer(owner_user, patent, now)
    assert case.status == CaseStatus.PENDING and case.origin == CaseOrigin.OFFER
    assert case.asking_price == Decimal("50000.00")
    assert [t.title for t in todos.cases_to_decide(officer)] == [patent.title]
    assert list(todos.cases_to_decide(other_officer)) == []
    assert Notification.objects.filter(user=officer, kind=todos.OFFERED).count() == 1
    assert not Notification.objects.filter(user=other_officer).exists()
    assert AuditEvent.objects.filter(action="patent_pool.case.offer", target_id=str(case.pk)).exists()


def test_it_rejects_an_offer_from_someone_outside_the_owner(outsider, officer, patent, now):
    with pytest.raises(PermissionDenied):
        _offer(outsider, patent, now)
    with pytest.raises(PermissionDenied):
        _offer(officer, patent, now)
    assert not AcquisitionCase.objects.exists()


def test_it_rejects_a_second_offer_and_a_negative_asking_price(owner_user, patent, now):
    with pytest.raises(ValidationFailed) as exc:
        _offer(owner_user, patent, now, asking_price="-5")
    assert "负数" in str(exc.value.message)
    assert not AcquisitionCase.objects.exists()
    _offer(owner_user, patent, now)
    with pytest.raises(Conflict):
        _offer(owner_user, patent, now)
    assert AcquisitionCase.objects.count() == 1


def test_an_offer_needs_a_reason(owner_user, patent, now):
    with pytest.raises(ValidationFailed):
        _offer(owner_user, patent, now, reason="  ")
    assert not AcquisitionCase.objects.exists()


def test_the_officer_acquires_into_the_pool_of_their_jurisdiction(owner_user, patent, officer, bureau, now):
    case = _offer(owner_user, patent, now)
    pooled = services.acquire(
        actor=officer, case_id=case.pk, price="30000.50", reason="具备产业化前景", now=now
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ACQUIRED and case.price == Decimal("30000.50")
    assert pooled.pool.region_id == "220100" and pooled.pool.holder == bureau
    assert pooled.price == Decimal("30000.50")
    assert Notification.objects.filter(user=owner_user, kind=todos.ACQUIRED).count() == 1
    assert list(todos.cases_to_decide(officer)) == []
    assert AuditEvent.objects.filter(action="patent_pool.case.acquire").count() == 1


def test_the_owner_is_told_the_agreed_price_or_that_it_was_free(owner_user, university, officer, bureau, now):
    paid = make_patent(university, number="ZL201910000011.1", title="激光拼焊工艺")
    free = make_patent(university, number="ZL201910000012.1", title="酶法转化方法")
    for patent, price in ((paid, "15000"), (free, "0")):
        case = _offer(owner_user, patent, now)
        services.acquire(actor=officer, case_id=case.pk, price=price, reason="具备产业化前景", now=now)
    titles = sorted(
        Notification.objects.filter(user=owner_user, kind=todos.ACQUIRED).values_list("title", flat=True)
    )
    assert titles == ["发明专利“激光拼焊工艺”已收储，收储价格1.5万元", "发明专利“酶法转化方法”已无偿收储"]


def test_an_officer_of_another_jurisdiction_cannot_decide(owner_user, patent, other_officer, now):
    case = _offer(owner_user, patent, now)
    with pytest.raises(PermissionDenied):
        services.acquire(actor=other_officer, case_id=case.pk, price="1000", reason="x", now=now)
    with pytest.raises(PermissionDenied):
        services.refuse(actor=other_officer, case_id=case.pk, reason="x", now=now)
    with pytest.raises(PermissionDenied):
        services.acquire(actor=owner_user, case_id=case.pk, price="1000", reason="x", now=now)
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING and not PooledPatent.objects.exists()


@pytest.mark.parametrize(
    ("price", "words"),
    [("-100", "负数"), ("1000000000000", "1万亿"), ("12.345", "两位小数"), ("abc", "数字"), ("", "请填写")],
)
def test_it_rejects_a_bad_price_and_writes_nothing(owner_user, patent, officer, now, price, words):
    case = _offer(owner_user, patent, now)
    audits = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.acquire(actor=officer, case_id=case.pk, price=price, reason="具备产业化前景", now=now)
    assert words in str(exc.value.message)
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING
    assert not PooledPatent.objects.exists() and not PatentPool.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_it_rejects_acquiring_an_already_pooled_patent(owner_user, patent, officer, now):
    case = _offer(owner_user, patent, now)
    services.acquire(actor=officer, case_id=case.pk, price="0", reason="无偿收储", now=now)
    with pytest.raises(Conflict):
        _offer(owner_user, patent, now)
    stray = AcquisitionCase.objects.create(patent=patent, origin=CaseOrigin.IDLE, opened_at=now)
    with pytest.raises(Conflict) as exc:
        services.acquire(actor=officer, case_id=stray.pk, price="100", reason="再次收储", now=now)
    assert "已在专利池中" in str(exc.value.message)
    stray.refresh_from_db()
    assert stray.status == CaseStatus.PENDING and PooledPatent.objects.count() == 1


def test_refusal_needs_a_reason_and_tells_the_owner(owner_user, patent, officer, now):
    case = _offer(owner_user, patent, now)
    with pytest.raises(ValidationFailed):
        services.refuse(actor=officer, case_id=case.pk, reason="", now=now)
    services.refuse(actor=officer, case_id=case.pk, reason="技术已被替代，无产业化前景", now=now)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED and case.decided_by == officer
    note = Notification.objects.get(user=owner_user, kind=todos.REFUSED)
    assert note.body == "技术已被替代，无产业化前景"


def test_every_case_edge_and_every_other_move_is_refused(owner_user, university, officer, now):
    # pending → acquired / refused (officer), withdrawn (owner); nothing leaves a closed case.
    made = {}
    for number, target in (
        ("ZL201910000001.1", "acquired"),
        ("ZL201910000002.1", "refused"),
        ("ZL201910000003.1", "withdrawn"),
    ):
        p = make_patent(university, number=number)
        case = _offer(owner_user, p, now)
        if target == "acquired":
            services.acquire(actor=officer, case_id=case.pk, price="1", reason="收储", now=now)
        elif target == "refused":
            services.refuse(actor=officer, case_id=case.pk, reason="不收", now=now)
        else:
            with pytest.raises(PermissionDenied):
                services.withdraw_offer(actor=officer, case_id=case.pk, now=now)
            services.withdraw_offer(actor=owner_user, case_id=case.pk, now=now)
        made[target] = case.pk
    for status, pk in made.items():
        assert AcquisitionCase.objects.get(pk=pk).status == status
        with pytest.raises((InvalidTransition, Conflict)):
            services.acquire(actor=officer, case_id=pk, price="1", reason="收储", now=now)
        with pytest.raises(InvalidTransition):
            services.refuse(actor=officer, case_id=pk, reason="不收", now=now)
        with pytest.raises(InvalidTransition):
            services.withdraw_offer(actor=owner_user, case_id=pk, now=now)


def test_an_owner_can_declare_a_patent_only_if_it_is_a_granted_invention(
    owner_user, university, outsider, now
):
    with pytest.raises(ValidationFailed) as exc:
        services.declare_patent(
            actor=owner_user,
            owner_id=university.pk,
            number="ZL202020123456.7",
            title="实用新型",
            granted_on="2021-01-01",
            now=now,
        )
    assert "发明专利" in str(exc.value.message)
    with pytest.raises(PermissionDenied):
        services.declare_patent(
            actor=outsider,
            owner_id=university.pk,
            number="ZL202010123456.7",
            title="发明",
            granted_on="2021-01-01",
            now=now,
        )
    patent = services.declare_patent(
        actor=owner_user,
        owner_id=university.pk,
        number="ZL 2020 1 0123456.7",
        title="发明",
        granted_on="2021-01-01",
        now=now,
    )
    assert patent.key == "2020101234567"
    with pytest.raises(Conflict):
        services.declare_patent(
            actor=owner_user,
            owner_id=university.pk,
            number="CN202010123456.7",
            title="发明",
            granted_on="2021-01-01",
            now=now,
        )
