"""What two testers found walking the demo (session 7): a province subsidy nobody could finish,
the 核定人 doing the 财务初审, an application without its required files, a future rate change
shown as 已生效, bare 已办理。 messages, contracts listed by number only, one document under two
names and clauses out of article order."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import member_of, staff_in
from tests.policy.helpers import PDF, pdf_upload, register
from zhouqiao.accounts.models import Duty
from zhouqiao.core import uploads
from zhouqiao.core.audit import AuditEvent
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.policy import describe, parameters, services
from zhouqiao.policy.forms import DistributionForm, SchemeForm
from zhouqiao.policy.models import Application, ParameterChange

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def submitted(client, seller_user, seller_org, buyer_org, buyer_user, registrar, now):
    """002#5 (province-paid, 企业承接高校院所科技成果), submitted by the buyer with its proof."""
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    application = contract.applications.get(clause="002#5")
    client.force_login(buyer_user)
    client.post(
        f"/policy/applications/{application.pk}/submit/",
        {"statement": "已在省内投产", "material_0": pdf_upload("投产证明.pdf")},
    )
    application.refresh_from_db()
    assert application.status == "submitted"
    return application


def _grant(client, reviewer, application):
    client.force_login(reviewer)
    return client.post(
        f"/policy/applications/{application.pk}/grant/",
        {"amount": "40000.00", "reason": "认定为重大科技成果，已在省内成功转化"},
    )


def test_the_granter_may_not_do_the_first_check_and_the_audit_says_who_did_what(client, submitted):
    granter = staff_in("220000", Duty.REVIEWER, Duty.FINANCE, display_name="省厅甲")
    first = staff_in("220000", Duty.FINANCE, display_name="省厅乙")
    response = _grant(client, granter, submitted)
    assert any(m.startswith("已核定支持《") and "转财务初审" in m for m in _messages(response))
    entitlement = Application.objects.get(pk=submitted.pk).entitlement
    assert entitlement.granted_by == granter and entitlement.confirmed_by is None

    page = client.get(f"/policy/entitlements/{entitlement.pk}/").content.decode()
    assert "财务初审通过" not in page and "核定人不能办理财务初审" in page
    desk = client.get("/policy/finance/").content.decode()
    assert "核定人不能办理财务初审" in desk and f'id="pick-{entitlement.pk}"' not in desk
    assert "已由受益方确认" not in page and "已评审核定" in page
    with pytest.raises(PermissionDenied) as info:
        services.transition_entitlement(
            actor=granter, entitlement_id=entitlement.pk, to_status="first_approved", now=submitted.created_at
        )
    assert info.value.code == "granter_first_approval"
    codes = set(AuditEvent.objects.filter(target_id=str(entitlement.pk)).values_list("action", flat=True))
    assert "policy.entitlement_granted" in codes and "policy.entitlement_confirmed" not in codes

    # another officer does the 初审, with a message that names the step, the record and what follows
    client.force_login(first)
    response = client.post(f"/policy/entitlements/{entitlement.pk}/approve1/", {"next": "/policy/"})
    assert any(
        m.startswith(f"已财务初审通过《{entitlement.title}》，转财务复审（") for m in _messages(response)
    )
    # the 复审 is someone other than the 初审: the granter may take it
    entitlement.refresh_from_db()
    assert "approve2" not in services.allowed_actions(first, entitlement)
    assert "approve2" in services.allowed_actions(granter, entitlement)


def test_with_nobody_left_for_the_next_check_the_officer_is_told_whom_to_ask(client, submitted):
    staff_in("220000", Duty.SECURITY_ADMIN, display_name="省厅安全管理员")
    reviewer = staff_in("220000", Duty.REVIEWER, display_name="省厅评审员")  # not finance
    only_finance = staff_in("220000", Duty.FINANCE, display_name="省厅唯一财务")
    _grant(client, reviewer, submitted)
    entitlement = Application.objects.get(pk=submitted.pk).entitlement
    client.force_login(only_finance)
    response = client.post(f"/policy/entitlements/{entitlement.pk}/approve1/", {"next": "/policy/"})
    warning = [m for m in _messages(response) if "尚未指定财务复审人员" in m]
    assert warning and "安全管理员" in warning[0] and "省厅安全管理员" in warning[0]
    page = client.get(f"/policy/entitlements/{entitlement.pk}/").content.decode()
    assert "尚未指定财务复审人员" in page and "初审人不能办理财务复审" in page


def test_the_determination_is_asked_for_once(client, submitted):
    granter = staff_in("220000", Duty.FINANCE)
    with pytest.raises(ValidationFailed) as info:
        services.review_application(
            actor=granter, application_id=submitted.pk, grant=True, amount="1000", now=submitted.created_at
        )
    message = str(info.value.message)
    assert message.startswith("请在评审意见中记录认定：卖方为高校") and "评审须认定并记录" not in message


def test_required_materials_are_uploaded_checked_and_readable_only_by_those_who_handle_them(
    client, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    application = contract.applications.get(clause="002#5")
    url = f"/policy/applications/{application.pk}/submit/"
    client.force_login(buyer_user)
    form = client.get(f"/policy/applications/{application.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in form and "成果在省内成功转化的证明" in form

    page = client.post(url, {"statement": "已投产"}).content.decode()
    assert "请上传须附材料：成果在省内成功转化的证明" in page
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = client.post(url, {"statement": "已投产", "material_0": fake}).content.decode()
    assert "证明.pdf须为PDF、JPG或PNG文件" in page
    application.refresh_from_db()
    assert application.status == "invited" and not application.attachments.exists()

    client.post(url, {"statement": "已投产", "material_0": pdf_upload("投产证明.pdf")})
    application.refresh_from_db()
    attachment = application.attachments.get()
    assert application.status == "submitted" and attachment.material.startswith("成果在省内成功转化的证明")
    download = f"/policy/applications/{application.pk}/files/{attachment.pk}/"

    reviewer = staff_in("220000", Duty.FINANCE)
    client.force_login(reviewer)
    page = client.get(f"/policy/applications/{application.pk}/").content.decode()
    assert f'href="{download}"' in page and "投产证明.pdf" in page
    assert b"".join(client.get(download).streaming_content) == PDF
    client.force_login(member_of(buyer_org))  # a colleague of the applicant
    assert client.get(download).status_code == 200
    for outsider in (staff_in("220100", Duty.FINANCE), seller_user):  # the city does not pay 002#5
        client.force_login(outsider)
        assert client.get(download).status_code == 404


def test_too_big_a_file_is_refused_in_chinese():
    with pytest.raises(ValidationFailed) as info:
        services.attachment_kind(b"%PDF-" + b"0" * uploads.MAX_SCAN_BYTES, "大.pdf")
    assert "不超过10MB" in str(info.value.message)


def test_an_approved_change_is_in_effect_only_from_its_date(client):
    editor, other = staff_in("220100", Duty.POLICY_EDITOR), staff_in("220100", Duty.POLICY_EDITOR)
    today = dt.date.today()
    change = ParameterChange.objects.create(
        package="001",
        rule_id="cc_output_unit_reward",
        name="annual_cap",
        value="1500000.00",
        effective_from=dt.date(2027, 1, 1),
        reason="提高上限",
        adopting_document="长科发〔2026〕9号",
        jurisdiction_id="220100",
        status="approved",
        proposed_by=editor,
        decided_by=other,
        proposed_at=dt.datetime(2026, 12, 8, tzinfo=dt.UTC),
    )
    assert change.status_on(dt.date(2026, 12, 8)) == "已批准，2027年1月1日起生效"
    assert change.status_on(dt.date(2027, 1, 1)) == "已生效"
    if today < dt.date(2027, 1, 1):
        client.force_login(editor)
        page = client.get("/policy/parameters/").content.decode()
        assert "已批准，2027年1月1日起生效" in page


def test_the_distribution_form_names_contracts_and_speaks_in_percent(
    seller_user, seller_org, buyer_org, registrar, now
):
    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    form = DistributionForm(contracts=type(contract).objects.filter(pk=contract.pk))
    label = dict(form.fields["contract"].choices)[contract.pk]
    assert label == f"{contract.registration_number} · {contract.title} · 80万元"
    assert "70%" in str(SchemeForm().fields["inventors_ratio"].label)
    assert "0.70" not in str(SchemeForm().fields["inventors_ratio"].label)


def test_one_name_for_changchun_s_document_and_clauses_in_article_order(client):
    assert describe.cite("001#15").text == "《长春市进一步加快科技创新发展的若干政策措施》第十五条"
    package = describe.package("001")
    assert package.title == package.short_title and "征求意见稿" not in package.title
    editor = staff_in("220100", Duty.POLICY_EDITOR)
    client.force_login(editor)
    page = client.get("/policy/parameters/new/").content.decode()
    order = [page.index(f"第{n}条") for n in ("四", "九", "十二", "十四", "二十四")]
    assert order == sorted(order)
    # the unit hint matches the current value's wording: 150万元 is accepted as written
    assert parameters.clean_value("annual_cap", "150万元") == "1500000.00"
    assert "150万元" in page


def test_the_api_takes_the_materials_too(
    client, seller_user, seller_org, buyer_org, buyer_user, registrar, now
):
    import base64

    contract = register(seller_user, seller_org, buyer_org, registrar, now)
    application = contract.applications.get(clause="002#5")
    client.force_login(buyer_user)
    url = f"/api/v1/policy/applications/{application.pk}/submit"
    refused = client.post(url, {"statement": "已投产"}, content_type="application/json")
    assert refused.status_code == 422 and "请上传须附材料" in refused.json()["message"]
    files = [{"name": "证明.pdf", "content_base64": base64.b64encode(PDF).decode()}]
    done = client.post(url, {"statement": "已投产", "attachments": files}, content_type="application/json")
    assert done.status_code == 200 and application.attachments.count() == 1
