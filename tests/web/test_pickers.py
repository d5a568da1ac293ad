"""Pickers instead of typed codes: the region cascade (GB/T 2260), the searchable industry /
discipline / IPC inputs and date inputs. Each works without JavaScript."""

import re
from datetime import date

import pytest

from tests.catalog.conftest import achievement_data, demand_data
from tests.web.test_register_page import GOOD_CODE, _form
from zhouqiao.accounts.models import Organisation, User
from zhouqiao.catalog.models import Achievement, Demand
from zhouqiao.web.forms import AuditFilterForm, GrantForm
from zhouqiao.web.widgets import VOCABULARIES, RegionField

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', html)


# --- region picker -------------------------------------------------------------------------------


def test_the_register_page_offers_regions_grouped_by_city_with_a_label(client, reference):
    page = client.get("/register/").content.decode()
    assert '<label for="id_org_region">所在地区' in page
    picker = page[page.index('name="org_region"') : page.index("</select>", page.index('name="org_region"'))]
    assert '<optgroup label="长春市">' in picker and '<option value="220183">德惠市</option>' in picker
    assert '<option value="220100">长春市（全市）</option>' in picker  # registration takes a city too
    assert 'value="220000"' not in picker  # but not the province
    assert "行政区划代码" not in page  # nobody is asked to type a code


def test_registration_stores_the_code_chosen_in_the_picker(client, reference):
    response = client.post("/register/", _form(org_region="220183"))
    assert response.status_code == 302
    assert Organisation.objects.get(credit_code=GOOD_CODE).region_id == "220183"


@pytest.mark.parametrize("code", ["229999", "22018", "<b>", "2201830"])
def test_an_unknown_region_code_is_refused_in_chinese_and_nothing_is_written(client, reference, code):
    response = client.post("/register/", _form(org_region=code))
    assert response.status_code == 200
    assert "所选地区不存在，请从列表中选择。" in response.content.decode()
    assert not User.objects.filter(username="dehui_farmer").exists()


def test_a_region_outside_the_home_province_stays_selected_when_the_form_comes_back(client, reference):
    # 北京市东城区 is not in the no-JS list (吉林省); sent back with another error it keeps its option
    page = client.post("/register/", _form(org_region="110101", password_again="x")).content.decode()
    assert '<option value="110101" selected>北京市东城区</option>' in page
    assert 'data-chain="110000,110100,110101"' in page


def test_the_region_field_wants_the_level_it_names(reference):
    county = RegionField(min_level="county")
    assert county.clean("220183") == "220183"
    assert county.clean("441900") == "441900"  # 东莞市 has no counties: a city is as deep as it goes
    with pytest.raises(Exception, match="请选择到县（区）一级"):
        county.clean("220100")
    assert RegionField(min_level="province").clean("220000") == "220000"
    assert RegionField(min_level="city", required=False).clean("") == ""


def test_the_grant_form_takes_a_jurisdiction_from_the_picker(reference):
    from tests.factories import UserFactory

    UserFactory(username="x")
    assert GrantForm({"person": "x", "jurisdiction": "220100", "duty": "reviewer"}).is_valid()
    form = GrantForm({"person": "x", "jurisdiction": "999999", "duty": "reviewer"})
    assert not form.is_valid() and "所选地区不存在" in str(form.errors["jurisdiction"])


def test_the_region_options_feed_the_cascade(client, reference):
    provinces = client.get("/regions/options/?parent=").content.decode()
    assert '<option value="220000">吉林省</option>' in provinces and len(_options(provinces)) == 31
    cities = client.get("/regions/options/?parent=110000").content.decode()
    assert '<option value="110100">北京市（市辖区）</option>' in cities  # not a bare 市辖区
    counties = client.get("/regions/options/?parent=220100").content.decode()
    assert '<option value="220104">朝阳区</option>' in counties
    assert client.get("/regions/options/").content.decode().count("<option") == 9  # 吉林省's cities


# --- searchable code pickers ---------------------------------------------------------------------


def test_typing_a_chinese_word_suggests_codes_with_names(client, reference):
    html = client.get("/pickers/industry/", {"q": "汽车"}).content.decode()
    options = _options(html)
    assert "36 汽车制造业" in options and "361 汽车整车制造" in options
    assert len(options) == 20  # bounded


def test_a_code_prefix_suggests_the_codes_below_it(client, reference):
    assert _options(client.get("/pickers/industry/", {"q": "367"}).content.decode()) == [
        "367 汽车零部件及配件制造",
        "3670 汽车零部件及配件制造",
    ]
    ipc = _options(client.get("/pickers/ipc/", {"q": "B60L15"}).content.decode())
    assert ipc and ipc[0].startswith("B60L 15/00 ")
    discipline = _options(client.get("/pickers/discipline/", {"q": "机械工程"}).content.decode())
    assert any(o.startswith("460 机械工程") for o in discipline)


def test_the_suggestion_endpoint_is_bounded(client, reference):
    assert client.get("/pickers/industry/", {"q": "汽" * 51}).status_code == 400
    assert client.get("/pickers/industry/", {"q": "汽" * 50}).status_code == 200
    assert client.get("/pickers/nothing/", {"q": "a"}).status_code == 404
    assert _options(client.get("/pickers/industry/", {"q": ""}).content.decode()) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("3670", "3670"),
        ("3670 汽车零部件及配件制造", "3670"),  # what choosing a suggestion puts in the input
        ("汽车整车制造", "361"),  # a name typed without JavaScript
        ("汽车用发动机制造", "3620"),  # a group and its only class share the name: the class
        ("不存在的行业", None),
    ],
)
def test_the_industry_input_resolves_a_code_or_a_name(reference, text, code):
    assert VOCABULARIES["industry"].resolve(text) == code


def test_an_achievement_form_stores_the_codes_and_shows_their_names(client, university_user, university):
    client.force_login(university_user)
    form = client.get("/catalog/achievements/new/").content.decode()
    assert 'list="id_industry_suggestions"' in form and '<option value="36 汽车制造业">' in form
    data = achievement_data(
        owner=university.pk,
        industry="3670 汽车零部件及配件制造",
        patent_class="B60L 15/00 车辆的电力牵引",
        discipline="机械工程",
    )
    data.update(
        {"ip-TOTAL_FORMS": "0", "ip-INITIAL_FORMS": "0", "ip-MIN_NUM_FORMS": "0", "ip-MAX_NUM_FORMS": "30"}
    )
    response = client.post("/catalog/achievements/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    a = Achievement.objects.get()
    assert (a.industry_id, a.patent_class_id, a.discipline_id) == ("3670", "B60L 15/00", "460")
    edit = client.get(f"/catalog/achievements/{a.pk}/edit/").content.decode()
    assert 'value="3670 汽车零部件及配件制造"' in edit and 'value="460 机械工程"' in edit


def test_an_unknown_industry_is_refused_in_chinese(client, university_user, university):
    client.force_login(university_user)
    data = achievement_data(owner=university.pk, industry="9999")
    data.update(
        {"ip-TOTAL_FORMS": "0", "ip-INITIAL_FORMS": "0", "ip-MIN_NUM_FORMS": "0", "ip-MAX_NUM_FORMS": "30"}
    )
    response = client.post("/catalog/achievements/new/", data)
    assert response.status_code == 200
    assert "行业代码“9999”不存在" in response.content.decode()
    assert not Achievement.objects.exists()


# --- dates ---------------------------------------------------------------------------------------


def test_a_date_input_shows_its_date_to_the_browsers_picker_in_chinese_pages(
    client, enterprise_user, enterprise
):
    # zh-hans formats dates as 2026/12/31, which <input type="date"> would show as empty
    client.force_login(enterprise_user)
    response = client.post("/catalog/demands/new/", {**demand_data(), "owner": enterprise.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    d = Demand.objects.get()
    assert d.deadline == date(2026, 12, 31)
    edit = client.get(f"/catalog/demands/{d.pk}/edit/").content.decode()
    assert re.search(r'<input type="date" name="deadline" value="2026-12-31"', edit)
    html = str(AuditFilterForm(initial={"since": date(2026, 5, 11)})["since"])
    assert 'type="date"' in html and 'value="2026-05-11"' in html
