"""An event as the people running and attending it: 一汽 registers for the upcoming matchmaking
fair; the Changchun bureau approves the registration from its to-do list and checks 一汽 in by
opening the URL its QR code carries (the phone check-in page); 一汽 sees its QR code and the
check-in; then, at the past fair, it prints its one-to-one schedule (PDF), records the outcome of
its meeting with 吉林大学 and turns the meeting into an online negotiation on the achievement."""

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from zhouqiao.community.events.demo import PAST, UPCOMING

pytestmark = pytest.mark.browser
FAW = "中国第一汽车集团有限公司"


def test_registration_approval_checkin_schedule_outcome_negotiation(journey):
    page = journey.page
    main = page.locator("main")
    functions = page.locator("nav.functions")

    journey.log_in("enterprise")
    journey.link("互动交流", within=functions, exact=True)
    assert_accessible(page)  # the event list
    journey.link(UPCOMING, within=main, exact=True)
    journey.button("我要报名", within=main, exact=True)
    journey.see("报名已提交，请等待主办方审核")
    journey.see("您的报名状态：待审核")
    assert_accessible(page)  # the event page
    journey.log_out()

    journey.log_in("city_staff")
    journey.link("待办", within=page.locator("header"))
    journey.link(f"审核“{UPCOMING}”的报名：{FAW}", within=main)
    row = main.locator("tr", has_text=FAW)
    journey.button("通过", within=row)
    journey.see("已审核")
    assert_accessible(page)  # registrations and check-in
    journey.link("签到", within=main.locator("tr", has_text=FAW))
    journey.button("确认签到", within=main, exact=True)
    journey.see("签到成功")
    expect(main.get_by_role("button", name="确认签到")).to_have_count(0)  # once only
    assert_accessible(page)  # the phone check-in page
    journey.log_out()

    journey.log_in("enterprise")
    journey.link("互动交流", within=functions, exact=True)
    journey.link(UPCOMING, within=main, exact=True)
    expect(main.locator(".qr svg")).to_be_visible()
    journey.see("您的报名状态：已通过")
    journey.see("已于")  # checked in, with the time

    journey.link("互动交流", within=functions, exact=True)
    journey.link(PAST, within=main, exact=True)
    journey.link("我的洽谈日程", within=main)
    assert_accessible(page)  # the personal schedule
    with page.expect_download() as download:
        journey.link("下载日程（PDF）", within=main, exact=True)
    assert download.value.suggested_filename.endswith(".pdf")
    meeting = main.locator("tr", has_text="吉林大学")
    meeting.get_by_label("与吉林大学的洽谈结果").select_option(label="达成初步合作意向")
    meeting.get_by_label("说明").fill("约定下月赴吉林大学实验室考察")
    journey.button("登记结果", within=meeting, exact=True)
    journey.see("洽谈结果已登记")
    journey.button("转入在线洽谈", within=main.locator("tr", has_text="吉林大学"), exact=True)
    journey.see("已转入在线洽谈")
    journey.see("源自")

    journey.within_budget(24)
