"""Organisation verification: every edge of VERIFICATION_TRANSITIONS with its actor, and everything else refused."""

import itertools

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts import services
from zhouqiao.accounts.models import (
    Duty,
    MemberRole,
    Membership,
    Organisation,
    OrganisationDocument,
    StaffAssignment,
)
from zhouqiao.accounts.states import REASON_REQUIRED, VERIFICATION_TRANSITIONS, Actor, VerificationStatus
from zhouqiao.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent

pytestmark = pytest.mark.django_db

EDGES = [
    (status, target, who)
    for status, moves in VERIFICATION_TRANSITIONS.items()
    for target, who in moves.items()
]
NON_EDGES = [
    (status, target)
    for status, target in itertools.product(VerificationStatus.values, repeat=2)
    if target not in VERIFICATION_TRANSITIONS.get(status, {})
]


def _org(status):
    org = OrganisationFactory(
        region_id="220183",
        status=status,
        status_reason="材料不全" if status == VerificationStatus.RETURNED else "",
    )
    # its licence scan (a resubmission needs one; the file itself is not read here)
    OrganisationDocument.objects.create(
        organisation=org,
        file="organisations/licence.pdf",
        original_name="营业执照.pdf",
        uploaded_at=timezone.now(),
    )
    return org


def _move(actor, org, target, reason="营业执照照片不清晰"):
    return services.transition_organisation(
        actor=actor, organisation_id=org.pk, to_status=target, reason=reason, now=timezone.now()
    )


def _right_actor(who, org):
    if who == Actor.REVIEWER:
        return staff_in("220100", Duty.REVIEWER)  # city reviewer: the county lies in Changchun
    return member_of(org, role=MemberRole.ADMIN)


def _unchanged(org):
    fresh = Organisation.objects.get(pk=org.pk)
    return fresh.status == org.status and fresh.status_reason == org.status_reason


def test_the_table_has_the_four_documented_edges():
    assert sorted((s, t) for s, t, _ in EDGES) == [
        ("returned", "submitted"),
        ("submitted", "returned"),
        ("submitted", "verified"),
        ("verified", "returned"),
    ]


@pytest.mark.parametrize(("status", "target", "who"), EDGES)
def test_every_edge_moves_with_the_right_actor_and_is_audited(reference, status, target, who):
    org = _org(status)
    actor = _right_actor(who, org)
    reason = "营业执照照片不清晰" if target in REASON_REQUIRED else ""
    _move(actor, org, target, reason=reason)

    org.refresh_from_db()
    assert org.status == target
    assert org.status_reason == reason
    assert (org.verified_at is not None) is (target == VerificationStatus.VERIFIED)
    event = AuditEvent.objects.get(action=f"organisation.{target}", target_id=str(org.pk))
    assert event.actor_id == actor.pk
    assert event.before["status"] == status
    assert event.after == {"status": target, "status_reason": reason}
    assert event.region_code == "220183"


@pytest.mark.parametrize(("status", "target"), NON_EDGES)
def test_it_rejects_every_move_the_table_does_not_have(reference, status, target):
    org = _org(status)
    # Someone who is both its admin and its reviewer: only the table can say no.
    actor = member_of(org, role=MemberRole.ADMIN)
    StaffAssignment.objects.create(
        user=actor, jurisdiction_id="220183", duty=Duty.REVIEWER, granted_at=timezone.now()
    )
    with pytest.raises(InvalidTransition) as caught:
        _move(actor, org, target)
    assert caught.value.status == 409
    assert "不能执行此操作" in str(caught.value.message)
    assert _unchanged(org)
    assert not AuditEvent.objects.filter(target_type="accounts.organisation", target_id=str(org.pk)).exists()


def _wrong_actors(org):
    other = OrganisationFactory(region_id="220183")
    return {
        "admin_of_another_organisation": member_of(other, role=MemberRole.ADMIN),
        "reviewer_of_another_region": staff_in("220200", Duty.REVIEWER),
        "province_staff_without_reviewer_duty": staff_in("220000", Duty.FINANCE, Duty.REGISTRAR),
        "plain_member": member_of(org, role=MemberRole.MEMBER),
    }


@pytest.mark.parametrize(("status", "target", "who"), EDGES)
def test_it_rejects_every_edge_taken_by_the_wrong_actor(reference, status, target, who):
    org = _org(status)
    wrong = _wrong_actors(org)
    if who == Actor.ORG_ADMIN:
        wrong["reviewer_in_scope"] = staff_in("220183", Duty.REVIEWER)
    else:
        wrong["admin_of_this_organisation"] = member_of(org, role=MemberRole.ADMIN)
    for label, actor in wrong.items():
        with pytest.raises(PermissionDenied):
            _move(actor, org, target)
        assert _unchanged(org), label
    assert not AuditEvent.objects.filter(target_type="accounts.organisation", target_id=str(org.pk)).exists()


@pytest.mark.parametrize("status", [s for s, t, _ in EDGES if t in REASON_REQUIRED])
@pytest.mark.parametrize("reason", ["", "   "])
def test_it_rejects_a_return_without_a_reason(county_staff, status, reason):
    org = _org(status)
    with pytest.raises(ValidationFailed) as caught:
        _move(county_staff, org, VerificationStatus.RETURNED, reason=reason)
    assert "必须填写理由" in str(caught.value.message)
    assert caught.value.detail == {"reason": [str(caught.value.message)]}
    assert _unchanged(org)
    assert not AuditEvent.objects.filter(target_id=str(org.pk), action__startswith="organisation.").exists()


def test_a_full_round_trip_through_the_wrappers(county_staff):
    org = _org(VerificationStatus.SUBMITTED)
    admin = member_of(org)
    now = timezone.now()
    services.return_organisation(actor=county_staff, organisation_id=org.pk, reason="请补充营业执照", now=now)
    services.resubmit_organisation(actor=admin, organisation_id=org.pk, now=now)
    services.verify_organisation(actor=county_staff, organisation_id=org.pk, now=now)
    org.refresh_from_db()
    assert org.is_verified and org.status_reason == ""
    actions = list(
        AuditEvent.objects.filter(target_id=str(org.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["organisation.returned", "organisation.submitted", "organisation.verified"]


def test_a_resubmission_waits_on_the_nearest_bureau_alone(county_staff, city_staff):
    """A 德惠 organisation's verification is the county reviewer's to-do and message; the city
    supervises (it may still decide) without it in its list."""
    from zhouqiao.accounts import todos
    from zhouqiao.notifications.models import Notification

    org = _org(VerificationStatus.RETURNED)
    services.resubmit_organisation(actor=member_of(org), organisation_id=org.pk, now=timezone.now())
    told = set(Notification.objects.filter(kind=todos.SUBMITTED).values_list("user__username", flat=True))
    assert told == {"county_staff"}
    assert [t.title for t in todos.organisations_to_verify(county_staff)] == [org.name]
    assert todos.organisations_to_verify(city_staff) == []


# --- the same through the portal ---------------------------------------------------------------


def test_a_reviewer_verifies_from_the_organisation_page(client, county_staff):
    org = _org(VerificationStatus.SUBMITTED)
    client.force_login(county_staff)
    page = client.get(f"/organisations/{org.pk}/").content.decode()
    assert "通过认证" in page
    response = client.post(f"/organisations/{org.pk}/verify/", follow=True)
    assert f"已通过认证：{org.name}。" in response.content.decode()
    org.refresh_from_db()
    assert org.is_verified


def test_it_rejects_a_return_without_a_reason_on_the_page(client, county_staff):
    org = _org(VerificationStatus.SUBMITTED)
    client.force_login(county_staff)
    response = client.post(f"/organisations/{org.pk}/return/", {"reason": ""}, follow=True)
    assert "退回时必须填写理由" in response.content.decode()
    assert _unchanged(org)


def test_it_rejects_a_verification_by_staff_of_another_city_on_the_page(client, other_city_staff):
    org = _org(VerificationStatus.SUBMITTED)
    client.force_login(other_city_staff)
    # Not in their scope, so they cannot even see it.
    assert client.post(f"/organisations/{org.pk}/verify/").status_code == 404
    assert _unchanged(org)


def test_it_rejects_a_self_verification_by_the_organisations_admin_on_the_page(client):
    org = _org(VerificationStatus.SUBMITTED)
    client.force_login(member_of(org))
    response = client.post(f"/organisations/{org.pk}/verify/", follow=True)
    assert "您无权执行此操作" in response.content.decode()
    assert _unchanged(org)
    assert Membership.objects.filter(organisation=org).count() == 1
