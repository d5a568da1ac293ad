"""A reviewer of a blind call never learns the applicant: not from the review page, the
application page, the API, the to-do list, the export or an attachment's file name. The same
reviewer in an open call does see the applicant (so the test can fail)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory
from tests.programs.conftest import make_expert, to_review
from zhouqiao.programs import services
from zhouqiao.programs.models import Call, ReviewAssignment

pytestmark = pytest.mark.django_db

LEAD = "长春测试汽车电子有限公司"
PARTNER = "吉林测试光电研究院"
PERSON = "欧阳明远"
FILE = "长春测试汽车电子有限公司-可行性报告.pdf"


@pytest.fixture
def reviewed(call, officer, applicant, applicant_org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    partner = OrganisationFactory(name=PARTNER, kind="institute", region_id="220102")
    app = services.save_application(
        actor=applicant, now=timezone.now(), call_id=call.pk, lead_id=applicant_org.pk,
        data=__import__("tests.programs.conftest", fromlist=["x"]).application_input(
            partners=[(partner.pk, "光学设计")], team=[(PERSON, "研究员", "负责人")]
        ),
    )  # fmt: skip
    services.add_attachment(
        actor=applicant, now=timezone.now(), application_id=app.pk,
        upload=SimpleUploadedFile(FILE, b"%PDF-1.4 test", content_type="application/pdf"),
    )  # fmt: skip
    services.submit_application(actor=applicant, now=timezone.now(), application_id=app.pk)
    services.formal_check(actor=officer, now=timezone.now(), application_id=app.pk, accept=True)
    to_review(call, officer)
    expert = make_expert("盲审专家", user=True)
    assignment = ReviewAssignment.objects.create(
        call=call, application=app, expert=expert, assigned_at=timezone.now()
    )
    return app, expert, assignment


def _everything_the_reviewer_sees(client, app, assignment) -> str:
    seen = []
    for url in (
        reverse("programs:review", args=[assignment.pk]),
        reverse("programs:application_detail", args=[app.pk]),
        reverse("programs:my_reviews"),
        reverse("programs:my_reviews_export"),
        "/todo/",
        "/api/v1/programs/reviews",
        f"/api/v1/programs/applications/{app.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        seen.append(response.content.decode())
    attachment = app.attachments.get()
    response = client.get(reverse("programs:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    seen.append(response["Content-Disposition"])
    return "\n".join(seen)


def test_a_blind_reviewer_never_sees_the_applicant(client, reviewed, applicant):
    app, expert, assignment = reviewed
    client.force_login(expert.user)
    seen = _everything_the_reviewer_sees(client, app, assignment)
    assert app.code in seen and app.title in seen  # the reviewer does see the work
    from urllib.parse import quote

    for secret in (LEAD, PARTNER, PERSON, FILE, quote(FILE), applicant.display_name, applicant.username):
        assert secret not in seen, secret
    assert "附件1.pdf" in seen or quote("附件1.pdf") in seen


def test_the_same_reviewer_in_an_open_call_sees_the_applicant(client, reviewed):
    app, expert, assignment = reviewed
    Call.objects.filter(pk=app.call_id).update(blind=False)
    client.force_login(expert.user)
    seen = _everything_the_reviewer_sees(client, app, assignment)
    assert LEAD in seen and PERSON in seen


def test_the_review_form_scores_and_the_officer_sees_the_aggregate(client, reviewed, officer):
    app, expert, assignment = reviewed
    client.force_login(expert.user)
    url = reverse("programs:review", args=[assignment.pk])
    bad = client.post(url, {"score_0": "12", "score_1": "8", "score_2": "8", "comment": "创新性突出"})
    assert bad.status_code == 200 and "须在0到10分之间" in bad.content.decode()
    assert ReviewAssignment.objects.get(pk=assignment.pk).total is None
    good = client.post(url, {"score_0": "9", "score_1": "8", "score_2": "7.5", "comment": "创新性突出"})
    assert good.status_code == 302
    client.logout()
    client.force_login(officer)
    page = client.get(reverse("programs:application_detail", args=[app.pk])).content.decode()
    assert "评审得分：82.75" in page and "盲审专家" in page


def test_the_review_page_and_todo_name_the_project_by_its_title(client, reviewed):
    from zhouqiao.programs.todos import reviews_to_write

    app, expert, assignment = reviewed
    client.force_login(expert.user)
    page = client.get(reverse("programs:review", args=[assignment.pk])).content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert app.title in title and app.code not in title
    [todo] = reviews_to_write(expert.user)
    assert todo.title == app.title and app.code in todo.detail


def test_strangers_and_other_experts_cannot_open_an_application(client, reviewed):
    app, _expert, _assignment = reviewed
    other = make_expert("无关专家", user=True)
    client.force_login(other.user)
    assert client.get(reverse("programs:application_detail", args=[app.pk])).status_code == 404
    assert client.get(f"/api/v1/programs/applications/{app.pk}").status_code == 404
    attachment = app.attachments.get()
    assert client.get(reverse("programs:attachment_download", args=[attachment.pk])).status_code == 404


__all__ = ["io"]
