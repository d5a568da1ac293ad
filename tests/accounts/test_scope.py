"""The region-scope matrix: every role × every region, through every door.

Regions: 220104 Changchun Chaoyang, 220183 Dehui (county-level city of Changchun), 220173
Changchun high-tech zone — all in Changchun 220100 —, 220204 Jilin City Chuanying, 210102
Shenyang Heping (Liaoning). Staff: county 220183, city 220100, Jilin City 220200, province 220000.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import OrganisationFactory, member_of
from zhouqiao.accounts import scope, selectors
from zhouqiao.accounts.models import Duty, Organisation

pytestmark = pytest.mark.django_db

REGIONS = ["220104", "220183", "220173", "220204", "210102"]

# viewer → the regions whose records they may see and act on
IN_SCOPE = {
    "county_staff": {"220183"},
    "city_staff": {"220104", "220183", "220173"},
    "other_city_staff": {"220204"},
    "province_staff": {"220104", "220183", "220173", "220204"},
    "stranger": set(),
    "anonymous": set(),
}
MATRIX = [(viewer, region, region in regions) for viewer, regions in IN_SCOPE.items() for region in REGIONS]


def _viewer(request, name):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


@pytest.fixture
def pending(reference):
    """One submitted (unverified) organisation in every region of the matrix."""
    return {code: OrganisationFactory(region_id=code, submitted=True, name=f"待审{code}") for code in REGIONS}


@pytest.fixture
def verified(reference):
    return {code: OrganisationFactory(region_id=code, name=f"已认证{code}") for code in REGIONS}


@pytest.mark.parametrize(("viewer", "region", "expected"), MATRIX)
def test_covers_follows_the_jurisdiction_subtree(request, viewer, region, expected):
    assert scope.covers(_viewer(request, viewer), region) is expected


@pytest.mark.parametrize(("viewer", "region", "expected"), MATRIX)
def test_covers_with_a_duty_only_counts_jurisdictions_holding_that_duty(request, viewer, region, expected):
    user = _viewer(request, viewer)
    assert scope.covers(user, region, Duty.REVIEWER) is expected
    assert scope.covers(user, region, Duty.FINANCE) is False


@pytest.mark.parametrize("viewer", IN_SCOPE)
def test_region_q_selects_exactly_the_records_in_jurisdiction(request, viewer, pending):
    user = _viewer(request, viewer)
    found = set(
        Organisation.objects.filter(scope.region_q(user, "region")).values_list("region_id", flat=True)
    )
    assert found == IN_SCOPE[viewer]


@pytest.mark.parametrize("viewer", IN_SCOPE)
def test_visible_to_shows_every_verified_organisation_and_unverified_ones_only_in_scope(
    request, viewer, pending, verified
):
    user = _viewer(request, viewer)
    visible = set(Organisation.objects.visible_to(user))
    assert set(verified.values()) <= visible
    assert {org for code, org in pending.items() if org in visible} == {pending[c] for c in IN_SCOPE[viewer]}


@pytest.mark.parametrize("viewer", IN_SCOPE)
def test_verification_queue_lists_submitted_organisations_in_scope_only(request, viewer, pending, verified):
    user = _viewer(request, viewer)
    assert set(selectors.verification_queue(user)) == {pending[c] for c in IN_SCOPE[viewer]}


@pytest.mark.parametrize("viewer", ["county_staff", "city_staff", "other_city_staff", "province_staff"])
def test_verification_queue_page_lists_submitted_organisations_in_scope_only(
    client, request, viewer, pending
):
    client.force_login(_viewer(request, viewer))
    page = client.get("/office/verification/").content.decode()
    for code, org in pending.items():
        assert (org.name in page) is (code in IN_SCOPE[viewer]), code


def test_it_rejects_the_verification_queue_page_for_people_who_are_not_staff(client, stranger):
    client.force_login(stranger)
    assert client.get("/office/verification/").status_code == 403


def test_a_reviewer_duty_elsewhere_does_not_widen_the_queue(reference, pending):
    from tests.factories import staff_in

    finance_in_province = staff_in("220000", Duty.FINANCE)
    assert not selectors.verification_queue(finance_in_province).exists()


def test_members_see_their_own_unverified_organisation_and_strangers_do_not(stranger, pending):
    owner = member_of(pending["220204"])
    assert pending["220204"] in Organisation.objects.visible_to(owner)
    assert pending["220104"] not in Organisation.objects.visible_to(owner)
    assert pending["220204"] not in Organisation.objects.visible_to(stranger)


@pytest.mark.parametrize("viewer", IN_SCOPE)
def test_api_list_shows_verified_organisations_and_unverified_ones_in_scope(
    client, request, viewer, pending, verified
):
    user = _viewer(request, viewer)
    if user.is_authenticated:
        client.force_login(user)
    ids = {row["id"] for row in client.get("/api/v1/organisations?limit=200").json()}
    assert {org.pk for org in verified.values()} <= ids
    assert {code for code, org in pending.items() if org.pk in ids} == IN_SCOPE[viewer]


@pytest.mark.parametrize(("viewer", "region", "expected"), MATRIX)
def test_api_detail_of_an_unverified_organisation_is_404_outside_scope(
    client, request, viewer, region, expected, pending
):
    user = _viewer(request, viewer)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(f"/api/v1/organisations/{pending[region].pk}")
    assert response.status_code == (200 if expected else 404)
    if not expected:
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("viewer", IN_SCOPE)
def test_api_detail_of_a_verified_organisation_is_public(client, request, viewer, verified):
    user = _viewer(request, viewer)
    if user.is_authenticated:
        client.force_login(user)
    for org in verified.values():
        assert client.get(f"/api/v1/organisations/{org.pk}").status_code == 200


def test_a_member_reads_their_own_unverified_organisation_through_the_api(client, pending):
    client.force_login(member_of(pending["210102"]))
    assert client.get(f"/api/v1/organisations/{pending['210102'].pk}").json()["status"] == "submitted"


# --- masked phone numbers -------------------------------------------------------------------------

FULL, MASKED = "13912345678", "139****5678"


@pytest.mark.parametrize(
    ("viewer", "shown"),
    [
        ("anonymous", MASKED),
        ("stranger", MASKED),
        ("other_city_staff", MASKED),
        ("county_staff", MASKED),
        ("city_staff", FULL),
        ("province_staff", FULL),
        ("member", FULL),
    ],
)
def test_contact_phone_is_masked_for_outsiders_in_api_and_page(client, request, viewer, shown, verified):
    org = verified["220104"]
    assert org.contact_phone == FULL
    user = member_of(org, username="own_member") if viewer == "member" else _viewer(request, viewer)
    if user.is_authenticated:
        client.force_login(user)
    assert client.get(f"/api/v1/organisations/{org.pk}").json()["contact_phone"] == shown
    page = client.get(f"/organisations/{org.pk}/").content.decode()
    assert shown in page
    if shown == MASKED:
        assert FULL not in page


def test_the_review_note_is_shown_only_to_insiders(client, stranger, reference):
    org = OrganisationFactory(region_id="220104", status_reason="联系人电话待核实")
    client.force_login(stranger)
    assert client.get(f"/api/v1/organisations/{org.pk}").json()["status_reason"] == ""
    client.force_login(member_of(org))
    assert client.get(f"/api/v1/organisations/{org.pk}").json()["status_reason"] == "联系人电话待核实"
