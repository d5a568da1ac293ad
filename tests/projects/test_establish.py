"""立项 from an approved call application: programs calls create_from_application."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from tests.programs.conftest import call_fields
from tests.projects.conftest import NOW
from zhouqiao.notifications.models import Notification
from zhouqiao.programs.models import Application, ApplicationStatus, Call
from zhouqiao.programs.models import Milestone as PlanMilestone
from zhouqiao.programs.projects import services


def test_an_approved_application_becomes_a_project_once(undertaker, member, officer):
    call = Call.objects.create(
        jurisdiction_id="220200", created_at=NOW, **call_fields(title="2027年度吉林市科技发展计划")
    )
    application = Application.objects.create(
        call=call,
        lead=undertaker,
        applicant=member,
        title="碳纤维原丝国产化",
        summary="原丝性能达到T700级",
        plan="三阶段",
        keywords="碳纤维",
        project_start=dt.date(2027, 1, 1),
        project_end=dt.date(2028, 12, 31),
        requested_amount=Decimal("800000"),
        approved_amount=Decimal("600000"),
        status=ApplicationStatus.APPROVED,
        created_at=NOW,
    )
    PlanMilestone.objects.create(application=application, title="中试线建成", due=dt.date(2027, 9, 30))
    with transaction.atomic():
        project = services.create_from_application(application=application, actor=officer, now=NOW)
    assert project.application == application
    assert (project.title, project.undertaker, project.region_id) == (
        "碳纤维原丝国产化",
        undertaker,
        "220200",
    )
    assert project.approved_amount == Decimal("600000.00")
    assert project.call_title == "2027年度吉林市科技发展计划"
    assert (project.start_date, project.end_date) == (dt.date(2027, 1, 1), dt.date(2028, 12, 31))
    assert [m.deliverable for m in project.milestones.all()] == ["中试线建成"]
    assert Notification.objects.filter(user=officer, kind="projects.created").exists()
    again = services.create_from_application(application=application, actor=officer, now=NOW)
    assert again.pk == project.pk
