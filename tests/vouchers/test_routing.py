"""Innovation vouchers are the city's (《长春市…》第二十三条, seed 001 line 47: “每年投放3000万元
科技创新券……（责任单位：市科技局）”): a 德惠 enterprise's voucher application goes to the city
bureau that holds the pool, not to the county bureau, not to the province."""

from collections import Counter

import pytest

from tests.factories import OrganisationFactory, member_of, staff_in
from tests.vouchers.conftest import certify
from zhouqiao.accounts.models import Duty
from zhouqiao.notifications.models import Notification
from zhouqiao.vouchers import services, todos

pytestmark = pytest.mark.django_db


def test_a_county_enterprise_s_voucher_application_goes_to_the_city_bureau(pool, cc_staff, now):
    county = staff_in("220183", Duty.REVIEWER, username="dh_staff")
    province = staff_in("220000", Duty.REVIEWER, Duty.FINANCE, username="prov_staff")
    dehui = OrganisationFactory(name="德惠测试农产品有限公司", kind="enterprise", region_id="220183")
    certify(dehui)
    application = services.apply_for_voucher(
        actor=member_of(dehui),
        enterprise_id=dehui.pk,
        category="testing",
        amount="20000",
        purpose="农产品检测",
        now=now,
    )
    told = Counter(
        Notification.objects.filter(kind="vouchers.application_submitted").values_list(
            "user__username", flat=True
        )
    )
    assert told == Counter({cc_staff.username: 1})
    assert [t.url for t in todos.applications_to_review(cc_staff)] == [
        f"/vouchers/applications/{application.pk}/"
    ]
    assert todos.applications_to_review(county) == []
    assert todos.applications_to_review(province) == []
