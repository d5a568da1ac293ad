"""Who sees which record and which fields (catalog.access), through the selectors and the one
field function that pages, API and exports share."""

import pytest

from tests.catalog.conftest import NOW
from tests.factories import OrganisationFactory, UserFactory, member_of
from zhouqiao.catalog import access, selectors, services
from zhouqiao.catalog.access import DEMAND_DETAIL_FIELDS
from zhouqiao.catalog.states import RecordStatus

pytestmark = pytest.mark.django_db
SECRET = "副车架焊后变形超差"


@pytest.fixture
def verified_buyer(reference):
    return member_of(OrganisationFactory(name="验证企业", region_id="220204"), username="verified_buyer")


@pytest.fixture
def unverified_person(reference):
    return member_of(OrganisationFactory(name="待认证企业", submitted=True), username="unverified")


def test_a_draft_is_seen_only_by_its_owner(make_achievement, university_user, city_staff, stranger):
    a = make_achievement()
    assert access.achievement_fields(university_user, a)["title"] == a.title
    for user in (city_staff, stranger, None):
        assert access.achievement_fields(user, a) is None
        assert (
            not selectors.achievements_for(user, selectors.Filters(status="draft")).filter(pk=a.pk).exists()
        )


def test_a_submitted_record_is_seen_by_the_regional_reviewer_but_not_elsewhere(
    make_achievement, city_staff, other_city_staff, stranger
):
    a = make_achievement(RecordStatus.SUBMITTED)
    assert access.achievement_fields(city_staff, a) is not None
    assert access.achievement_fields(other_city_staff, a) is None
    assert access.achievement_fields(stranger, a) is None
    assert list(selectors.review_queue(city_staff, "achievement")) == [a]
    assert list(selectors.review_queue(other_city_staff, "achievement")) == []


def test_a_published_achievement_is_public_with_its_contact_masked(
    make_achievement, city_staff, stranger, verified_buyer
):
    a = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    public = access.achievement_fields(None, a)
    assert public["contact_phone"] == "138****1234"
    assert public["contact_email"] == "l***@example.cn"
    assert access.achievement_fields(stranger, a)["contact_phone"] == "138****1234"
    assert access.achievement_fields(verified_buyer, a)["contact_phone"] == "13804311234"
    assert list(selectors.achievements_for(None)) == [a]


def test_a_closed_achievement_leaves_the_public_list(make_achievement, city_staff, university_user):
    a = make_achievement(RecordStatus.CLOSED, reviewer=city_staff)
    assert access.achievement_fields(None, a) is None
    assert access.achievement_fields(university_user, a) is not None


@pytest.mark.parametrize("user_name", ["anonymous", "stranger", "unverified"])
def test_a_summary_demand_hides_its_details_from_the_unverified(
    make_demand, city_staff, stranger, unverified_person, user_name
):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="summary")
    user = {"anonymous": None, "stranger": stranger, "unverified": unverified_person}[user_name]
    data = access.demand_fields(user, d)
    assert data["access"] == "summary"
    assert data["summary"]
    for name in DEMAND_DETAIL_FIELDS:
        assert name not in data
    assert SECRET not in repr(data)
    assert d.pk in [x.pk for x in selectors.demands_for(user)]


def test_a_summary_demand_shows_everything_to_a_verified_organisation(
    make_demand, city_staff, verified_buyer
):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="summary")
    data = access.demand_fields(verified_buyer, d)
    assert data["access"] == "full"
    assert SECRET in data["problem"]


def test_an_invited_demand_is_hidden_from_everyone_but_the_invitees(
    make_demand, city_staff, verified_buyer, enterprise_user, stranger, other_city_staff
):
    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited")
    for user in (None, stranger, verified_buyer, other_city_staff):
        assert access.demand_fields(user, d) is None
        assert not selectors.demands_for(user).filter(pk=d.pk).exists()
    invitee_org = verified_buyer.memberships.get().organisation
    services.invite(actor=enterprise_user, demand_id=d.pk, organisation_id=invitee_org.pk, now=NOW)
    access.viewer_of(verified_buyer)  # cached organisations do not change with an invitation
    assert access.demand_fields(verified_buyer, d)["problem"].startswith(SECRET)
    assert list(selectors.demands_for(verified_buyer)) == [d]
    assert access.demand_fields(city_staff, d)["access"] == "full"


def test_only_the_owner_invites_and_only_verified_organisations(
    make_demand, city_staff, stranger, enterprise_user
):
    from zhouqiao.core.errors import PermissionDenied, ValidationFailed

    d = make_demand(RecordStatus.PUBLISHED, reviewer=city_staff, confidentiality="invited")
    pending = OrganisationFactory(submitted=True)
    with pytest.raises(ValidationFailed):
        services.invite(actor=enterprise_user, demand_id=d.pk, organisation_id=pending.pk, now=NOW)
    with pytest.raises(PermissionDenied):
        services.invite(actor=stranger, demand_id=d.pk, organisation_id=OrganisationFactory().pk, now=NOW)


def test_list_filters_narrow_the_public_achievements(make_achievement, city_staff):
    cheap = make_achievement(
        RecordStatus.PUBLISHED,
        reviewer=city_staff,
        readiness="8",
        price_kind="fixed",
        price_min="100000",
        price_max="",
        transfer_modes=["transfer"],
        key_industries=["health"],
    )
    dear = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)

    def found(**params):
        return {a.pk for a in selectors.achievements_for(None, selectors.Filters.parse(params))}

    assert found(trl_min="7") == {cheap.pk}
    assert found(mode="licence") == {dear.pk}
    assert found(industry="health") == {cheap.pk}
    assert found(price_max="200000") == {cheap.pk}
    assert found(region="220100") == {cheap.pk, dear.pk}
    assert found(region="220200") == set()
    assert found(q="银烧结") == {cheap.pk, dear.pk}
    assert found(trl_min="x", price_max="abc", mode="bogus") == {cheap.pk, dear.pk}


def test_a_person_with_no_organisation_cannot_create_records(reference):
    from tests.catalog.conftest import achievement_data
    from zhouqiao.core.errors import PermissionDenied

    user = UserFactory()
    org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.create_achievement(actor=user, owner_id=org.pk, data=achievement_data(), now=NOW)


@pytest.mark.parametrize("user_name", ["anonymous", "owner", "reviewer", "other_reviewer"])
def test_a_list_row_is_the_records_fields_for_the_rows_it_lists(
    make_achievement, university_user, city_staff, other_city_staff, user_name
):
    """The list page reads rows as values (``achievement_rows``/``achievement_row``): the same records
    as ``achievements_for`` and, for each, the same values as the record's full fields."""
    published = make_achievement(RecordStatus.PUBLISHED, reviewer=city_staff)
    submitted = make_achievement(RecordStatus.SUBMITTED)
    make_achievement()  # a draft
    user = {
        "anonymous": None,
        "owner": university_user,
        "reviewer": city_staff,
        "other_reviewer": other_city_staff,
    }[user_name]
    for status in ("", "submitted", "draft"):
        filters = selectors.Filters(status=status, mine=user_name == "owner")
        records = list(selectors.achievements_for(user, filters).order_by("pk"))
        rows = [
            access.achievement_row(user, r) for r in selectors.achievement_rows(user, filters).order_by("pk")
        ]
        assert [r["id"] for r in rows] == [r.pk for r in records]
        for row, record in zip(rows, records, strict=True):
            full = access.achievement_fields(user, record, files=False)
            assert row == {name: full[name] for name in row}
    assert published.pk in {row["id"] for row in selectors.achievement_rows(user)}
    submitted_rows = selectors.achievement_rows(user, selectors.Filters(status="submitted"))
    assert (submitted.pk in {row["id"] for row in submitted_rows}) == (user_name in ("owner", "reviewer"))
