"""Journey through 互动交流 on the demo portal: an enterprise asks a public question on an
achievement, the university that owns it finds it in its to-do list (待办) and answers, and the
enterprise reads the answer from its messages (消息)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

# A published achievement of 吉林大学 in the demo catalog (only it has this title).
ACHIEVEMENT = "生物制剂新型佐剂疫苗递送技术"
QUESTION = "该佐剂是否已完成动物实验？许可后能否提供工艺培训？"
ANSWER = "已完成小鼠和猪的免疫实验，许可实施时课题组派员提供两周工艺培训。"


def test_a_question_is_asked_notified_and_answered(journey):
    page = journey.page
    journey.log_in("enterprise")

    # The achievement's page carries its questions (served by the exchange app) and a form.
    page.fill("#site-q", "疫苗递送")
    journey.button("搜索", within=page.locator("header"), exact=True)
    journey.link(ACHIEVEMENT, within=page.locator("main"), exact=True)
    questions = page.locator("#questions")
    expect(questions.get_by_role("button", name="提交问题")).to_be_visible()
    questions.locator("textarea").fill(QUESTION)
    journey.button("提交问题", within=questions, exact=True)
    journey.see("问题已提交")
    journey.see(QUESTION)
    assert_accessible(page)
    journey.log_out()

    # The owner's member finds it waiting in the to-do list and answers.
    journey.log_in("university")
    journey.link("待办", within=page.locator("header"))
    journey.see("待回答的咨询")
    journey.link(f"回答咨询：{ACHIEVEMENT}", within=page.locator("main"))
    journey.see(QUESTION)
    page.fill("#id_answer", ANSWER)
    assert_accessible(page)
    journey.button("发布回答", within=page.locator("main"), exact=True)
    journey.see("回答已发布")
    journey.log_out()

    # The asker is told and reads the answer.
    journey.log_in("enterprise")
    journey.link("消息", within=page.locator("header"))
    journey.button(re.compile("咨询已回答"), within=page.locator("main"))
    expect(page.locator("main")).to_contain_text(ANSWER)
    expect(page.locator("main")).to_contain_text("吉林大学")
    assert_accessible(page)
    journey.within_budget(16)
