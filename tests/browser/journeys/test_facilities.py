"""Booking a shared instrument as the people doing it: the enterprise (一汽) finds the electron
microscope under 资源整合, picks a day with the date picker and an hour from the list, and books;
the institute that owns it (长春光机所) approves the request from its to-do list; the enterprise is
told in its inbox and sees the booking confirmed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

INSTRUMENT = "场发射扫描电子显微镜"


def _main(journey):
    return journey.page.locator("main")


def _header(journey):
    return journey.page.locator("header")


def test_an_instrument_is_booked_with_the_date_picker_and_approved(journey):
    page = journey.page
    today = timezone.localdate()
    day = today + timedelta(days=7 - today.weekday() + 2)  # Wednesday next week (the demo keeps Tuesday)

    journey.log_in("enterprise")
    journey.link("资源整合", within=page.locator("nav.functions"), exact=True)
    journey.link(INSTRUMENT, within=_main(journey), exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text(INSTRUMENT)
    day_input = page.locator("#id_day")
    expect(day_input).to_have_attribute("type", "date")
    expect(day_input).to_have_attribute("min", today.isoformat())
    assert_accessible(page)  # the instrument page: calendar, prices and the booking form
    day_input.fill(day.isoformat())
    page.select_option("#id_hour", label="10:00")
    page.fill("#id_hours", "2")
    page.fill("#id_purpose", "白车身铝合金焊点断口形貌分析（旅程测试）")
    journey.button("提交预约", within=_main(journey), exact=True)
    journey.see("预约已提交")
    expect(page.get_by_role("heading", level=1)).to_contain_text("待确认")
    journey.see(f"{day.isoformat()} 10:00–12:00")
    expect(page.get_by_role("button", name="同意预约")).to_have_count(0)  # the owner's, not the booker's
    assert_accessible(page)  # the booking page
    journey.log_out()

    when = f"{day.isoformat()} 10:00–12:00"
    journey.log_in("institute")
    journey.link("待办", within=_header(journey))
    journey.link(f"确认预约：中国第一汽车集团有限公司预约{INSTRUMENT}，{when}", within=_main(journey))
    journey.button("同意预约", within=_main(journey), exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("已确认")
    journey.log_out()

    journey.log_in("enterprise")
    journey.link("消息", within=_header(journey))
    journey.button(f"预约已确认：中国第一汽车集团有限公司预约{INSTRUMENT}，{when}", within=_main(journey))
    expect(page.get_by_role("heading", level=1)).to_contain_text("已确认")

    journey.within_budget(16)
