"""The registry's demo: thirty approved experts with fields, conflicts, one application waiting, two
engineers of enterprises open to 产业教授 posts,
the program officer and expert accounts; safe to re-run."""

import pytest

from tests.community.helpers import NOW
from zhouqiao.accounts import scope
from zhouqiao.accounts.demo import create_demo_accounts
from zhouqiao.accounts.models import Duty, User
from zhouqiao.community import demo
from zhouqiao.community.models import Expert, ExpertConflict, ExpertStatus
from zhouqiao.community.todos import applications_to_review

pytestmark = pytest.mark.django_db


def test_demo_registry(reference):
    create_demo_accounts(now=NOW)
    assert demo.create_demo_data(now=NOW) == {"experts": 33}  # 31 and two engineers (人才资源库)
    assert Expert.objects.filter(status=ExpertStatus.APPROVED).count() == 32
    assert Expert.objects.filter(status=ExpertStatus.APPLIED).count() == 1
    assert not Expert.objects.filter(disciplines=None).exists()
    assert ExpertConflict.objects.count() == 4
    officer = User.objects.get(username="program_officer")
    assert scope.covers(officer, "220104", Duty.PROGRAM_OFFICER)
    assert [t.title for t in applications_to_review(officer)] == ["审核专家入库申请：钱晓东（长春理工大学）"]
    assert Expert.objects.get(user__username="expert").status == ExpertStatus.APPROVED
    assert demo.create_demo_data(now=NOW) == {"experts": 0}
    assert Expert.objects.count() == 33
    assert Expert.objects.filter(category="engineer", industry_professor=True).count() == 2
    assert Expert.objects.filter(vice_president=True).count() >= 15
