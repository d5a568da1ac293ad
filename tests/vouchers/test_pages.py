from decimal import Decimal

import pytest
from django.urls import reverse

from tests.vouchers.conftest import delivered_order
from zhouqiao.core.errors import InvalidTransition
from zhouqiao.core.models import AuditEvent, Region
from zhouqiao.vouchers import orders
from zhouqiao.vouchers.models import LedgerEntry, Pool, ProviderService, ServiceOrder

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_the_voucher_home_and_directory_are_public(client, pool, testing_service):
    assert "长春市" in client.get(reverse("vouchers:index")).content.decode()
    page = client.get(reverse("vouchers:providers")).content.decode()
    assert "材料成分检测" in page and "1万元/" in page
    client.post("/i18n/setlang/", {"language": "en"})
    assert "10,000.00 yuan/" in client.get(reverse("vouchers:providers")).content.decode()


def test_an_enterprise_applies_through_the_form(client, pool, certified, enterprise_user):
    response = login(client, enterprise_user).post(
        reverse("vouchers:apply"),
        {"enterprise": certified.pk, "category": "testing", "amount": "300000", "purpose": "检测"},
    )
    assert "超出单个企业年度上限" in response.content.decode()
    response = client.post(
        reverse("vouchers:apply"),
        {"enterprise": certified.pk, "category": "testing", "amount": "20000", "purpose": "检测"},
    )
    assert response.status_code == 302


def test_the_reviewer_sees_the_certificate_and_what_is_left_of_the_yearly_cap(
    client, voucher, certified, enterprise_user, cc_staff, now
):
    """2万元 issued already: a second application of 5万元 shows 高新技术企业 and 18万元 left of 20万元."""
    from zhouqiao.vouchers import services
    from zhouqiao.vouchers.states import ServiceCategory

    app = services.apply_for_voucher(
        actor=enterprise_user,
        enterprise_id=certified.pk,
        category=ServiceCategory.TESTING,
        amount="50000",
        purpose="第二批检测",
        now=now,
    )
    page = login(client, cc_staff).get(reverse("vouchers:application", args=[app.pk])).content.decode()
    facts = page[page.index("审核参考") : page.index("批准并发放")]
    assert "高新技术企业" in facts and "有效期至" in facts
    assert "单个企业年度上限</dt><dd>20万元" in facts
    assert "本年度已获得</dt><dd>2万元" in facts
    assert "年度上限剩余</dt><dd>18万元" in facts
    own = login(client, enterprise_user).get(reverse("vouchers:application", args=[app.pk])).content.decode()
    assert "审核参考" not in own  # the applicant's own page: no reviewer's panel


def test_it_hides_an_application_from_other_organisations(client, voucher, stranger, university_user):
    app = voucher.application
    assert (
        login(client, university_user).get(reverse("vouchers:application", args=[app.pk])).status_code == 404
    )
    assert client.get(reverse("vouchers:voucher", args=[voucher.pk])).status_code == 404


def test_the_office_is_for_staff_only(client, pool, enterprise_user, cc_staff):
    assert login(client, enterprise_user).get(reverse("vouchers:office")).status_code == 403
    page = login(client, cc_staff).get(reverse("vouchers:office")).content.decode()
    assert "台账核对通过" in page


def test_a_double_submitted_claim_form_redeems_once(
    client, voucher, testing_service, enterprise_user, provider_user, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    login(client, provider_user)
    url = reverse("vouchers:order_action", args=[order.pk, "claim"])
    for _ in range(2):
        assert client.post(url, {"idempotency_key": "form-key-1", "amount": ""}).status_code == 302
    page = client.get(reverse("vouchers:order", args=[order.pk])).content.decode()
    assert "服务机构已申请兑付" in page
    voucher.refresh_from_db()
    assert str(voucher.remaining) == "15000.00"


def test_the_api_requires_an_idempotency_key_for_money(
    client, voucher, testing_service, enterprise_user, provider_user, now
):
    order = delivered_order(
        voucher=voucher,
        service=testing_service,
        enterprise_user=enterprise_user,
        provider_user=provider_user,
        now=now,
    )
    login(client, provider_user)
    url = f"/api/v1/vouchers/orders/{order.pk}/claim"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_required"
    first = client.post(url, {"amount": "1000"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url, {"amount": "1000"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post(url, {"amount": "2000"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_a_provider_corrects_a_returned_service_and_resubmits_it(
    client, testing_service, provider_user, cc_staff, enterprise_user, now
):
    orders.transition_service(
        actor=cc_staff, service_id=testing_service.pk, to_status="returned", reason="请写明检测标准", now=now
    )
    edit = reverse("vouchers:service_edit", args=[testing_service.pk])
    assert edit in login(client, provider_user).get(reverse("vouchers:index")).content.decode()
    assert "请写明检测标准" in client.get(edit).content.decode()
    client.post(
        edit,
        {
            "provider": testing_service.provider_id,
            "category": "testing",
            "name": "材料成分检测（GB/T 223）",
            "price": "9000",
            "unit": "样",
            "description": "按 GB/T 223 系列标准",
        },
    )
    testing_service.refresh_from_db()
    assert (testing_service.status, testing_service.name, testing_service.price) == (
        "submitted",
        "材料成分检测（GB/T 223）",
        Decimal("9000.00"),
    )
    assert AuditEvent.objects.filter(
        action="voucher_service.revise", target_id=str(testing_service.pk)
    ).exists()
    # only a returned service is revised, and only by its provider
    assert login(client, enterprise_user).get(edit).status_code == 404
    with pytest.raises(InvalidTransition):
        orders.revise_service(
            actor=provider_user,
            service_id=testing_service.pk,
            category="testing",
            name="x",
            price="1",
            now=now,
        )


def test_finance_adjusts_a_pool_once_per_form_and_records_a_relation(
    client, pool, cc_staff, certified, provider_org, now
):
    login(client, cc_staff)
    page = client.get(reverse("vouchers:office")).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    adjust = reverse("vouchers:office_pool_adjust", args=[pool.pk])
    for _ in range(2):  # a double submit of the same form
        client.post(adjust, {"idempotency_key": key, "amount": "-1000000", "note": "年中调减"})
    pool.refresh_from_db()
    assert pool.available == Decimal("29000000.00")
    assert list(LedgerEntry.objects.filter(pool=pool, kind="adjust").values_list("amount", flat=True)) == [
        Decimal("-1000000.00")
    ]
    client.post(
        reverse("vouchers:office_relation"),
        {
            "provider_credit_code": provider_org.credit_code,
            "enterprise_credit_code": certified.credit_code,
            "description": "共同控股股东",
        },
    )
    assert orders.relation_between(provider_org, certified) == "共同控股股东"


def test_a_pool_opened_on_the_office_page_takes_its_share_and_validity(client, cc_staff, reference):
    login(client, cc_staff)
    form = client.get(reverse("vouchers:office")).content.decode()
    key = form.split('name="idempotency_key" value="')[-1].split('"')[0]
    client.post(
        reverse("vouchers:office_pool"),
        {
            "idempotency_key": key,
            "jurisdiction": "220100",
            "year": "2031",
            "budget": "30000000",
            "voucher_share": "40%",
            "validity_days": "180",
        },
    )
    pool = Pool.objects.get(year=2031)
    assert (pool.voucher_share, pool.validity_days) == (Decimal("0.400"), 180)
    assert "创新券最高支付比例（%，如 50%）" in form and "如 0.5" not in form


def test_the_pool_share_is_typed_as_a_percentage(client, cc_staff, reference):
    """Like the tables ("50%"): "50" and "50%" both mean half; the old "0.5" is refused, no pool."""
    from zhouqiao.vouchers.forms import PoolForm

    def clean(share):
        form = PoolForm(
            {
                "idempotency_key": "k",
                "jurisdiction": "220100",
                "year": "2032",
                "budget": "1000",
                "voucher_share": share,
            },
            regions=[Region.objects.get(code="220100")],
        )
        return form.cleaned_data.get("voucher_share") if form.is_valid() else form.errors["voucher_share"][0]

    assert (
        clean("50%") == Decimal("0.5")
        and clean("50") == Decimal("0.5")
        and clean("12.5％") == Decimal("0.125")
    )
    assert "如 50%" in clean("0.5") and "如 50%" in clean("150%") and "如 50%" in clean("五成")
    assert clean("") is None


def test_a_provider_registers_a_service_through_the_form(client, provider_org, provider_user, reference):
    login(client, provider_user)
    values = {
        "category": "consulting",
        "name": "技术路线咨询",
        "price": "8000",
        "unit": "项",
        "description": "",
    }
    bad = client.post(reverse("vouchers:service_new"), {**values, "provider": provider_org.pk, "name": " "})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()
    assert not ProviderService.objects.filter(provider=provider_org, category="consulting").exists()
    response = client.post(reverse("vouchers:service_new"), {**values, "provider": provider_org.pk})
    assert response.status_code == 302
    service = ProviderService.objects.get(provider=provider_org, name="技术路线咨询")
    assert (service.status, service.price, service.unit) == ("submitted", Decimal("8000.00"), "项")


def test_an_enterprise_reaches_the_order_form_and_places_an_order(
    client, voucher, testing_service, enterprise_user
):
    login(client, enterprise_user)
    directory = client.get(reverse("vouchers:providers")).content.decode()
    order_url = reverse("vouchers:order_new", args=[testing_service.pk])
    assert order_url in directory
    form = client.get(order_url)
    assert form.status_code == 200
    assert voucher.code in form.content.decode()
    response = client.post(order_url, {"voucher": voucher.pk, "price": "10000", "description": "成分检测"})
    assert response.status_code == 302
    order = ServiceOrder.objects.get(voucher=voucher, service=testing_service)
    assert response.url == reverse("vouchers:order", args=[order.pk])
    assert (order.status, order.price, order.placed_by) == ("placed", Decimal("10000.00"), enterprise_user)


@pytest.mark.parametrize("app", ["vouchers", "facilities"])
def test_no_route_is_shadowed_by_an_earlier_one(app):
    """Every named route resolves to itself (a catch-all above it would take its URLs)."""
    from django.urls import get_resolver, resolve

    patterns = get_resolver().url_patterns
    (module,) = [p for p in patterns if getattr(p, "namespace", None) == app]
    for pattern in module.url_patterns:
        kwargs = {name: "7" if name != "action" else "approve" for name in pattern.pattern.converters}
        url = reverse(f"{app}:{pattern.name}", kwargs=kwargs)
        assert resolve(url).url_name == pattern.name, url


def test_a_voucher_page_is_titled_by_its_holder_and_amount(client, voucher, enterprise_user):
    """Not "创新券 CXQ2026D53CBB4A09": the number stays only as a small reference."""
    page = login(client, enterprise_user).get(reverse("vouchers:voucher", args=[voucher.pk])).content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    heading = page[page.index("<h1") : page.index("</h1>")]
    assert f"{voucher.enterprise.name}的创新券（2万元）" in title and voucher.code not in title
    assert voucher.code not in heading
    assert f'<small class="ref">{voucher.code}</small>' in page
