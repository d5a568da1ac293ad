"""忘记密码: Django's reset flow by e-mail, in Chinese, audited, silent about which addresses are
registered, and no way around the login lockout (a reset does not lift an axes lock)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail

from tests.factories import PASSWORD
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 11, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NEW = "Changbai@2027"


def _request(client, email):
    return client.post("/account/password/reset/", {"email": email})


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/password/reset/\S+/\S+/)", message.body).group(1)


def _set(client, link, password, again=None):
    page = client.get(link)  # Django moves the token into the session and redirects
    assert page.status_code == 302
    return client.post(page.url, {"new_password1": password, "new_password2": again or password})


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_the_login_page_links_to_the_reset_page(client, reference):
    login = client.get("/login/").content.decode()
    assert '<a class="forgot" href="/account/password/reset/">忘记密码？</a>' in login
    page = client.get("/account/password/reset/").content.decode()
    assert "找回密码" in page and "注册时填写的电子邮箱" in page and 'class="masthead"' in page


def test_a_registered_address_gets_a_chinese_mail_with_a_link(client, enterprise_user):
    response = _request(client, "ENT_ADMIN@example.cn")  # the address in another case
    assert response.status_code == 302 and response.url == "/account/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == ["ent_admin@example.cn"]
    assert message.subject == "舟桥技术转移平台：重设密码"
    assert "您的用户名：ent_admin" in message.body and "72小时内有效" in message.body
    assert _link(message)
    [event] = AuditEvent.objects.filter(action="auth.password_reset_mail")
    assert (event.target_id, event.actor_name) == (str(enterprise_user.pk), "ent_admin")


def _main(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_the_answer_does_not_tell_whether_an_address_is_registered(client, enterprise_user):
    known = _main(client.get(_request(client, "ent_admin@example.cn").url).content.decode())
    unknown_response = _request(client, "nobody@example.cn")
    assert unknown_response.url == "/account/password/reset/sent/"
    unknown = _main(client.get(unknown_response.url).content.decode())
    assert known == unknown and "如果该邮箱已在本平台注册" in unknown
    assert len(mail.outbox) == 1
    assert _actions().count("auth.password_reset_mail") == 1  # nothing recorded for the stranger


def test_a_bad_address_is_refused_in_chinese(client, reference):
    response = _request(client, "not-an-address")
    page = response.content.decode()
    assert response.status_code == 200 and "请输入正确的电子邮箱地址" in page and "Email" not in page
    assert not mail.outbox


def test_the_link_sets_a_new_password_once_and_the_change_is_audited(client, enterprise_user):
    with time_machine.travel(START, tick=False):
        _request(client, "ent_admin@example.cn")
        link = _link(mail.outbox[0])
        done = _set(client, link, NEW)
        assert done.status_code == 302 and done.url == "/account/password/reset/done/"
        assert "密码已重设" in client.get(done.url).content.decode()
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password(NEW) and enterprise_user.password_changed_at == START
    [event] = AuditEvent.objects.filter(action="auth.password_reset")
    assert (event.actor_id, event.target_id, event.success) == (
        enterprise_user.pk,
        str(enterprise_user.pk),
        True,
    )
    # the link is spent
    again = client.get(link, follow=True).content.decode()
    assert "链接无效" in again
    assert _login(client, "ent_admin", PASSWORD).status_code == 200
    assert _login(client, "ent_admin", NEW).status_code == 302


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("abc12345", None, "至少3类"),
        ("Ab1!", None, "至少需要8个字符"),
        (NEW, "Other@Pass1", "不一致"),
        (PASSWORD, None, "新密码不能与原密码相同"),  # else a reset would renew an expired password
    ],
)
def test_a_bad_new_password_is_refused_in_chinese_and_nothing_changes(
    client, enterprise_user, password, again, message
):
    _request(client, "ent_admin@example.cn")
    response = _set(client, _link(mail.outbox[0]), password, again)
    assert response.status_code == 200 and message in response.content.decode()
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password(PASSWORD)
    assert "auth.password_reset" not in _actions()


def test_a_reset_does_not_lift_the_lockout(client, enterprise_user):
    """Decision: the lock stands until its 30 minutes are over (see zhouqiao.accounts.recovery)."""
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            _login(client, "ent_admin", "Wrong@Pass1")
        assert "auth.lockout" in _actions()
        _request(client, "ent_admin@example.cn")
        done = _set(client, _link(mail.outbox[0]), NEW)
        warning = client.get(done.url).content.decode()
        assert "仍在锁定中" in warning

        assert _login(client, "ent_admin", NEW).status_code == 429
        assert SESSION_KEY not in client.session

        clock.shift(timedelta(minutes=31))
        assert _login(client, "ent_admin", NEW).status_code == 302
        assert SESSION_KEY in client.session


def test_an_unlocked_account_is_not_told_it_is_locked(client, enterprise_user):
    _request(client, "ent_admin@example.cn")
    done = _set(client, _link(mail.outbox[0]), NEW)
    assert "锁定" not in client.get(done.url).content.decode()


def test_a_reset_restarts_the_age_of_an_expired_password(client, enterprise_user):
    with time_machine.travel(START, tick=False):
        enterprise_user.password_changed_at = START - timedelta(days=120)
        enterprise_user.save()
        _request(client, "ent_admin@example.cn")
        _set(client, _link(mail.outbox[0]), NEW)
        assert _login(client, "ent_admin", NEW).url == "/workspace/"
        assert client.get("/workspace/").status_code == 200  # not sent to change it again
