"""Pages: the public pool, the owners' page, the officers' desk; permissions and Chinese errors."""

import pytest
from django.urls import reverse

from zhouqiao.programs.patent_pool import services
from zhouqiao.programs.patent_pool.models import AcquisitionCase, PooledPatent
from zhouqiao.programs.patent_pool.states import CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(owner_user, patent, now):
    return services.offer_patent(actor=owner_user, patent_id=patent.pk, reason="不再从事该方向", now=now)


def test_the_public_page_lists_available_pooled_patents_with_filters(client, case, officer, now):
    pooled = services.acquire(actor=officer, case_id=case.pk, price="10000", reason="收储", now=now)
    response = client.get(reverse("patent_pool:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert pooled.patent.number in text and pooled.patent.title in text and "在池待运营" in text
    assert "联系长春测试科学技术局协商许可" in text
    assert ">held<" not in text
    filtered = client.get(reverse("patent_pool:index"), {"q": "不存在的名称"}).content.decode()
    assert pooled.patent.title not in filtered and "没有符合条件的池内专利" in filtered
    assert (
        pooled.patent.title
        in client.get(reverse("patent_pool:index"), {"q": "201910234567"}).content.decode()
    )
    detail = client.get(reverse("patent_pool:pooled", args=[pooled.pk])).content.decode()
    assert pooled.patent.title in detail and "收储价格" not in detail  # the price is for staff


def test_the_owner_offers_from_their_page(client, owner_user, patent, officer):
    client.force_login(owner_user)
    page = client.get(reverse("patent_pool:mine")).content.decode()
    assert patent.title in page and "申请收储" in page
    response = client.post(
        reverse("patent_pool:offer", args=[patent.pk]), {"reason": "年费负担", "asking_price": "-3"}
    )
    assert response.status_code == 200 and "金额不能为负数" in response.content.decode()
    assert not AcquisitionCase.objects.exists()
    response = client.post(
        reverse("patent_pool:offer", args=[patent.pk]), {"reason": "年费负担", "asking_price": "30000"}
    )
    assert response.status_code == 302
    assert AcquisitionCase.objects.get().status == CaseStatus.PENDING


def test_others_cannot_open_the_offer_page_or_the_desk(client, outsider, patent, case):
    client.force_login(outsider)
    assert client.get(reverse("patent_pool:offer", args=[patent.pk])).status_code == 403
    assert client.post(reverse("patent_pool:offer", args=[patent.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("patent_pool:staff")).status_code == 403
    assert client.get(reverse("patent_pool:case", args=[case.pk])).status_code == 403
    assert (
        client.post(reverse("patent_pool:acquire", args=[case.pk]), {"price": "1", "reason": "x"}).status_code
        == 403
    )


def test_an_officer_elsewhere_cannot_decide(client, other_officer, case):
    client.force_login(other_officer)
    assert client.get(reverse("patent_pool:staff")).status_code == 200
    assert case.patent.title not in client.get(reverse("patent_pool:staff")).content.decode()
    assert client.get(reverse("patent_pool:case", args=[case.pk])).status_code == 403
    assert (
        client.post(reverse("patent_pool:acquire", args=[case.pk]), {"price": "1", "reason": "x"}).status_code
        == 403
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING


def test_the_officer_decides_from_the_desk_and_bad_prices_get_a_chinese_error(client, officer, case):
    client.force_login(officer)
    desk = client.get(reverse("patent_pool:staff")).content.decode()
    assert case.patent.title in desk and "权利人拟放弃" in desk
    page = client.get(reverse("patent_pool:case", args=[case.pk])).content.decode()
    assert "决定收储" in page and "不予收储" in page
    for price, words in (("-1", "金额不能为负数"), ("5000000000000", "金额须小于1万亿元")):
        response = client.post(
            reverse("patent_pool:acquire", args=[case.pk]), {"price": price, "reason": "收储"}
        )
        assert response.status_code == 200 and words in response.content.decode()
    assert not PooledPatent.objects.exists()
    response = client.post(
        reverse("patent_pool:acquire", args=[case.pk]), {"price": "12000", "reason": "产业化前景好"}
    )
    pooled = PooledPatent.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "patent_pool:pooled", args=[pooled.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "1.2万元" in detail and "登记年费缴纳计划" in detail and "建立成果档案" in detail
    # Decided: the case page no longer offers the buttons.
    page = client.get(reverse("patent_pool:case", args=[case.pk])).content.decode()
    assert 'id="acquire"' not in page


def test_a_past_fee_date_is_refused_on_the_page(client, officer, case, now):
    pooled = services.acquire(actor=officer, case_id=case.pk, price="0", reason="无偿收储", now=now)
    client.force_login(officer)
    response = client.post(
        reverse("patent_pool:schedule_fee", args=[pooled.pk]), {"amount": "900", "due_on": "2020-01-01"}
    )
    assert response.status_code == 200 and "缴费截止日不能早于今天" in response.content.decode()
    assert not pooled.fees.exists()


def test_staff_only_details_of_an_unavailable_patent_are_hidden(client, officer, case, now):
    pooled = services.acquire(actor=officer, case_id=case.pk, price="0", reason="无偿收储", now=now)
    PooledPatent.objects.filter(pk=pooled.pk).update(status="lapsed")
    assert client.get(reverse("patent_pool:pooled", args=[pooled.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("patent_pool:pooled", args=[pooled.pk])).status_code == 200


def test_the_api_lists_the_pool_and_refuses_a_negative_price(client, owner_user, officer, patent):
    import json

    client.force_login(owner_user)
    response = client.post(
        f"/api/v1/programs/patent-pool/tracked/{patent.pk}/offer",
        json.dumps({"reason": "拟放弃", "asking_price": "10000"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    case_id = response.json()["id"]
    client.force_login(officer)
    response = client.post(
        f"/api/v1/programs/patent-pool/cases/{case_id}/acquire",
        json.dumps({"price": "-1", "reason": "收储"}),
        content_type="application/json",
    )
    assert response.status_code == 422 and "金额不能为负数" in response.json()["message"]
    assert not PooledPatent.objects.exists()
    response = client.post(
        f"/api/v1/programs/patent-pool/cases/{case_id}/acquire",
        json.dumps({"price": "8000", "reason": "收储"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["price"] == "8000.00"
    client.logout()
    listed = client.get("/api/v1/programs/patent-pool/patents").json()
    assert [p["number"] for p in listed] == [patent.number] and listed[0]["status_label"] == "在池待运营"


def test_a_plain_member_records_implementation_but_only_the_administrator_offers(
    client, university, owner_user, patent, now
):
    from tests.factories import member_of
    from zhouqiao.accounts.models import MemberRole
    from zhouqiao.core.errors import PermissionDenied as Refused
    from zhouqiao.programs.patent_pool.states import Implementation

    professor = member_of(university, role=MemberRole.MEMBER, username="professor")
    client.force_login(professor)
    page = client.get(reverse("patent_pool:mine")).content.decode()
    assert patent.title in page and "登记实施情况" in page
    assert reverse("patent_pool:offer", args=[patent.pk]) not in page and "申请收储由本单位管理员办理" in page
    assert client.get(reverse("patent_pool:offer", args=[patent.pk])).status_code == 403
    with pytest.raises(Refused) as refused:
        services.offer_patent(actor=professor, patent_id=patent.pk, reason="拟放弃", now=now)
    assert "本单位管理员" in str(refused.value.message)
    assert not AcquisitionCase.objects.exists()
    # Withdrawing the administrator's offer is theirs too.
    case = services.offer_patent(actor=owner_user, patent_id=patent.pk, reason="拟放弃", now=now)
    assert "撤回收储申请" not in client.get(reverse("patent_pool:mine")).content.decode()
    assert client.post(reverse("patent_pool:withdraw", args=[case.pk])).status_code == 403
    assert AcquisitionCase.objects.get().status == CaseStatus.PENDING
    # Recording the facts of use stays open to the member (the inventor knows the licences).
    services.record_implementation(
        actor=professor, patent_id=patent.pk, kind="licence", evidence="许可合同（2025）", now=now
    )
    patent.refresh_from_db()
    assert patent.implementation == Implementation.IMPLEMENTED
