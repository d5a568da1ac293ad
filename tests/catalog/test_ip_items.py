"""Editing an achievement's IP items through the page: existing rows are edited in place, a new
row is added, a row marked for deletion is removed — and saving unchanged adds nothing."""

from datetime import date
from html.parser import HTMLParser

import pytest

from tests.catalog.conftest import NOW, achievement_data
from zhouqiao.catalog import services
from zhouqiao.catalog.models import IntellectualProperty

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """What a browser would submit for the page's own POST form (no ``action``), as rendered."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = self._done = False
        self._select = self._textarea = None
        self._first_option = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if (
            tag == "form"
            and (a.get("method") or "").lower() == "post"
            and not a.get("action")
            and not self._done
        ):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._add(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._add(self._select, value)
                self._select = "!" + self._select  # chosen
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.lstrip("\n") if not self.data[self._textarea][-1] else data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._select.startswith("!"):
                self._add(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True


def rendered_form(client, url) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = FormValues()
    parser.feed(response.content.decode())
    return parser.data


def ip_rows(achievement):
    return [(i.kind, i.number, i.status, i.filed_on) for i in achievement.ip_items.order_by("pk")]


@pytest.fixture
def achievement_with_two_patents(university, university_user):
    return services.create_achievement(
        actor=university_user,
        owner_id=university.pk,
        data=achievement_data(),
        ip_items=[
            {"kind": "invention_patent", "number": "ZL202310000001.1", "status": "granted"},
            {"kind": "utility_model", "number": "ZL202320000002.2", "status": "filed"},
        ],
        now=NOW,
    )


def test_saving_the_edit_page_unchanged_keeps_the_ip_items_as_they_are(
    client, university_user, achievement_with_two_patents
):
    a = achievement_with_two_patents
    client.force_login(university_user)
    url = f"/catalog/achievements/{a.pk}/edit/"
    before = ip_rows(a)
    ids = sorted(a.ip_items.values_list("pk", flat=True))
    for _round in range(2):
        response = client.post(url, rendered_form(client, url))
        assert response.status_code == 302, response.content.decode()[:2000]
    assert ip_rows(a) == before
    assert sorted(a.ip_items.values_list("pk", flat=True)) == ids  # edited in place, not re-created


def test_the_edit_page_edits_adds_and_deletes_ip_items(client, university_user, achievement_with_two_patents):
    a = achievement_with_two_patents
    first, second = a.ip_items.order_by("pk")
    client.force_login(university_user)
    url = f"/catalog/achievements/{a.pk}/edit/"
    data = rendered_form(client, url)
    rows = {data[f"ip-{n}-id"][0]: n for n in range(2)}
    edit, delete = rows[str(first.pk)], rows[str(second.pk)]
    data[f"ip-{edit}-number"] = ["ZL202310000001.9"]
    data[f"ip-{edit}-filed_on"] = ["2023-01-05"]
    data[f"ip-{delete}-DELETE"] = ["on"]
    new = int(data["ip-TOTAL_FORMS"][0]) - 1  # the one blank row the page offers
    assert data[f"ip-{new}-number"] == [""]
    data[f"ip-{new}-kind"] = ["software_copyright"]
    data[f"ip-{new}-number"] = ["2024SR0123456"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ip_rows(a) == [
        ("invention_patent", "ZL202310000001.9", "granted", date(2023, 1, 5)),
        ("software_copyright", "2024SR0123456", "granted", None),
    ]
    assert a.ip_items.order_by("pk").first().pk == first.pk
    assert not IntellectualProperty.objects.filter(pk=second.pk).exists()


def test_it_rejects_an_ip_item_of_another_achievement(
    client, university_user, achievement_with_two_patents, make_achievement
):
    other = make_achievement(title="另一项成果")
    services.update_achievement(
        actor=university_user,
        achievement_id=other.pk,
        data=achievement_data(title="另一项成果"),
        ip_items=[{"kind": "design", "number": "ZL202330000003.3", "status": "granted"}],
        now=NOW,
    )
    foreign = other.ip_items.get()
    client.force_login(university_user)
    a = achievement_with_two_patents
    url = f"/catalog/achievements/{a.pk}/edit/"
    data = rendered_form(client, url)
    data["ip-0-id"] = [str(foreign.pk)]
    data["ip-0-number"] = ["ZL209999999999.9"]
    response = client.post(url, data)
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.number == "ZL202330000003.3" and foreign.achievement_id == other.pk
