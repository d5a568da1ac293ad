"""The daily check: tracking the platform's invention patents and flagging idle ones (未实施)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.patent_pool.conftest import TODAY, make_patent
from zhouqiao.catalog.models import Achievement, IntellectualProperty, PriceKind
from zhouqiao.contracts.models import Contract
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.notifications.models import Notification
from zhouqiao.programs.patent_pool import services, todos
from zhouqiao.programs.patent_pool.models import AcquisitionCase, TrackedPatent
from zhouqiao.programs.patent_pool.states import CaseOrigin, CaseStatus, Implementation, PatentSource
from zhouqiao.programs.projects.models import Project
from zhouqiao.search.models import PatentRecord

pytestmark = pytest.mark.django_db


def test_a_patent_granted_three_years_ago_with_nothing_recorded_is_flagged(
    university, owner_user, officer, other_officer, now
):
    from tests.factories import member_of

    professor = member_of(university, role="member", username="professor")
    old = make_patent(university, number="ZL201910000010.1", granted_years_ago=3)
    young = make_patent(university, number="ZL202110000011.1", granted_years_ago=2)
    counts = services.check_patents(now=now)
    assert counts["flagged"] == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.implementation == Implementation.IDLE and old.flagged_at == now
    assert young.implementation == Implementation.WATCHING
    case = AcquisitionCase.objects.get(patent=old)
    assert case.origin == CaseOrigin.IDLE and case.status == CaseStatus.PENDING
    assert [t.title for t in todos.cases_to_decide(officer)] == [old.title]
    assert list(todos.cases_to_decide(other_officer)) == []
    assert [t.title for t in todos.idle_patents(owner_user)] == [old.title]
    assert Notification.objects.filter(user=officer, kind=todos.FLAGGED).count() == 1
    assert Notification.objects.filter(user=owner_user, kind=todos.FLAGGED_OWNER).count() == 1
    # The administrator is asked to record the use or offer it; a plain member of the university
    # (an expert, a professor) is not its patent office: neither told nor given the to-do.
    assert not Notification.objects.filter(user=professor).exists()
    assert [t.detail for t in todos.idle_patents(owner_user)] == [
        "专利号ZL201910000010.1：请登记实施情况，或申请收储"
    ]
    assert todos.idle_patents(professor) == []
    # Re-running changes nothing and tells nobody twice.
    assert services.check_patents(now=now + dt.timedelta(days=1))["flagged"] == 0
    assert AcquisitionCase.objects.count() == 1 and Notification.objects.filter(user=officer).count() == 1


def test_the_idle_period_is_a_setting(university, settings, now):
    settings.ZHOUQIAO_PATENT_IDLE_YEARS = 5
    patent = make_patent(university, granted_years_ago=4)
    services.check_patents(now=now)
    patent.refresh_from_db()
    assert patent.implementation == Implementation.WATCHING


def test_a_registered_contract_naming_the_patent_counts_as_implementation(
    university, enterprise, owner_user, now
):
    patent = make_patent(university, number="ZL201910234567.8")
    Contract.objects.create(
        title="稀土发光材料专利实施许可",
        contract_type="licence",
        subtype="patent_licence",
        seller=university,
        buyer=enterprise,
        region_id=university.region_id,
        contract_amount=Decimal("200000"),
        technology_amount=Decimal("200000"),
        signed_on=TODAY,
        ip_summary="发明专利 201910234567.8 普通许可",
        status="registered",
        registration_number="2026220102000001",
        registered_at=now,
        created_by=owner_user,
        created_at=now,
    )
    counts = services.check_patents(now=now)
    patent.refresh_from_db()
    assert (counts["flagged"], counts["implemented"]) == (0, 1)
    assert patent.implementation == Implementation.IMPLEMENTED
    assert not AcquisitionCase.objects.exists()


def test_an_owner_clears_the_flag_by_recording_an_implementation(
    university, owner_user, outsider, officer, now
):
    patent = make_patent(university)
    services.check_patents(now=now)
    with pytest.raises(PermissionDenied):
        services.record_implementation(
            actor=outsider, patent_id=patent.pk, kind="self", evidence="x", now=now
        )
    with pytest.raises(ValidationFailed):
        services.record_implementation(
            actor=owner_user, patent_id=patent.pk, kind="self", evidence=" ", now=now
        )
    services.record_implementation(
        actor=owner_user,
        patent_id=patent.pk,
        kind="licence",
        evidence="2025年许可长春某企业实施，许可备案号2025220000123",
        now=now,
    )
    patent.refresh_from_db()
    assert patent.implementation == Implementation.IMPLEMENTED
    assert AcquisitionCase.objects.get(patent=patent).status == CaseStatus.WITHDRAWN
    assert list(todos.cases_to_decide(officer)) == []
    assert list(todos.idle_patents(owner_user)) == []


def test_tracking_takes_granted_inventions_from_achievements_projects_and_the_corpus(
    university, enterprise, owner_user, now
):
    def achievement(title):
        return Achievement.objects.create(
            owner=university,
            region_id=university.region_id,
            title=title,
            abstract="摘要",
            readiness=5,
            price_kind=PriceKind.NEGOTIABLE,
            status="published",
            created_at=now,
            updated_at=now,
        )

    plain = achievement("高效光催化剂")
    funded = achievement("新型储氢合金")
    granted = dt.date(2020, 5, 1)
    IntellectualProperty.objects.create(
        achievement=plain, kind="invention_patent", number="ZL201810000001.2", granted_on=granted
    )
    IntellectualProperty.objects.create(
        achievement=plain, kind="utility_model", number="ZL201820000001.2", granted_on=granted
    )
    IntellectualProperty.objects.create(
        achievement=plain, kind="invention_patent", number="ZL201810000009.9", status="filed"
    )
    IntellectualProperty.objects.create(
        achievement=funded, kind="invention_patent", number="ZL201810000002.2", granted_on=granted
    )
    project = Project.objects.create(
        title="储氢合金关键技术",
        undertaker=university,
        region_id="220100",
        call_title="重点研发计划",
        approved_amount=Decimal("800000"),
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2019, 12, 31),
        achievement=funded,
        created_at=now,
    )
    PatentRecord.objects.create(number="CN201710000003.3", title="文献库中的发明", applicant=university.name)
    PatentRecord.objects.create(number="CN201710000004.4", title="不认识的申请人", applicant="某不存在的公司")
    PatentRecord.objects.create(number="CN201720000005.5", title="实用新型", applicant=university.name)
    call_command("patent-pool", "check", stdout=open("/dev/null", "w"))
    tracked = {p.key: p for p in TrackedPatent.objects.all()}
    assert set(tracked) == {"2018100000012", "2018100000022", "2017100000033"}
    assert tracked["2018100000012"].source == PatentSource.ACHIEVEMENT and not tracked["2018100000012"].funded
    assert (
        tracked["2018100000022"].source == PatentSource.PROJECT
        and tracked["2018100000022"].project == project
    )
    assert (
        tracked["2017100000033"].source == PatentSource.CORPUS and tracked["2017100000033"].granted_on is None
    )
    # Granted six years ago and nothing recorded: both dated ones are flagged; the undated one waits.
    assert tracked["2018100000012"].implementation == Implementation.IDLE
    assert tracked["2017100000033"].implementation == Implementation.WATCHING


def test_an_officer_records_a_funded_projects_patent(university, officer, other_officer, now):
    project = Project.objects.create(
        title="稀土功能材料",
        undertaker=university,
        region_id="220100",
        call_title="重点研发计划",
        approved_amount=Decimal("500000"),
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2020, 12, 31),
        created_at=now,
    )
    args = {
        "project_id": project.pk,
        "number": "ZL201910555555.5",
        "title": "稀土荧光粉",
        "granted_on": "2021-06-01",
        "now": now,
    }
    with pytest.raises(PermissionDenied):
        services.track_project_patent(actor=other_officer, **args)
    patent = services.track_project_patent(actor=officer, **args)
    assert patent.funded and patent.project == project and patent.owner == university
