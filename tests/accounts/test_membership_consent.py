"""Membership by consent (issue 17, finding 1): an admin's "add member" is an invitation the person
accepts; a person's request to join is approved by an admin; a member can leave; all audited, and the
person who must act is told and sees a to-do."""

import json

import pytest
from django.utils import timezone

from zhouqiao.accounts import membership
from zhouqiao.accounts.models import InvitationStatus, MemberRole, Membership, MembershipInvitation
from zhouqiao.core.errors import Conflict, PermissionDenied
from zhouqiao.core.models import AuditEvent
from zhouqiao.notifications.models import Notification
from zhouqiao.notifications.selectors import todos_for


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _titles(user):
    return [row.todo.title for group in todos_for(user, now=timezone.now()) for row in group.items]


def test_adding_a_member_by_api_is_only_an_invitation(client, enterprise, enterprise_user, university_user):
    client.force_login(enterprise_user)
    response = _post(client, f"/api/v1/organisations/{enterprise.pk}/members", {"username": "uni_admin"})
    assert response.status_code == 201
    assert response.json()["status"] == "pending" and response.json()["kind"] == "invitation"
    assert not Membership.objects.filter(user=university_user, organisation=enterprise).exists()
    # the invitee is told and has a to-do; nothing is booked to the inviting organisation yet
    assert Notification.objects.filter(user=university_user, kind="accounts.member_invited").exists()
    assert enterprise.name in _titles(university_user)
    assert AuditEvent.objects.filter(action="organisation.invite_member").exists()


def test_the_invited_person_accepts_and_becomes_a_member(
    client, enterprise, enterprise_user, university_user
):
    invitation = membership.invite_member(
        actor=enterprise_user, organisation_id=enterprise.pk, username="uni_admin", now=timezone.now()
    )
    client.force_login(university_user)
    assert [i["id"] for i in client.get("/api/v1/invitations").json()] == [invitation.pk]
    response = _post(client, f"/api/v1/invitations/{invitation.pk}/accept")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    joined = Membership.objects.get(user=university_user, organisation=enterprise)
    assert joined.role == MemberRole.MEMBER
    assert AuditEvent.objects.filter(action="organisation.member_join", actor=university_user).exists()
    assert Notification.objects.filter(user=enterprise_user, kind="accounts.member_answered").exists()
    assert enterprise.name not in _titles(university_user)


def test_it_rejects_the_inviter_accepting_for_the_invitee(
    client, enterprise, enterprise_user, university_user
):
    invitation = membership.invite_member(
        actor=enterprise_user, organisation_id=enterprise.pk, username="uni_admin", now=timezone.now()
    )
    client.force_login(enterprise_user)
    assert _post(client, f"/api/v1/invitations/{invitation.pk}/accept").status_code == 403
    assert not Membership.objects.filter(user=university_user, organisation=enterprise).exists()


def test_it_hides_an_invitation_from_a_stranger(
    client, enterprise, enterprise_user, university_user, stranger
):
    invitation = membership.invite_member(
        actor=enterprise_user, organisation_id=enterprise.pk, username="uni_admin", now=timezone.now()
    )
    client.force_login(stranger)
    assert _post(client, f"/api/v1/invitations/{invitation.pk}/accept").status_code == 404
    assert MembershipInvitation.objects.get().status == InvitationStatus.PENDING


def test_a_declined_invitation_changes_nothing_and_a_second_one_may_follow(
    enterprise, enterprise_user, university_user
):
    now = timezone.now()
    first = membership.invite_member(
        actor=enterprise_user, organisation_id=enterprise.pk, username="uni_admin", now=now
    )
    with pytest.raises(Conflict):
        membership.invite_member(
            actor=enterprise_user, organisation_id=enterprise.pk, username="uni_admin", now=now
        )
    membership.decline_invitation(actor=university_user, invitation_id=first.pk, now=now)
    assert not Membership.objects.filter(user=university_user, organisation=enterprise).exists()
    with pytest.raises(Conflict):
        membership.accept_invitation(actor=university_user, invitation_id=first.pk, now=now)
    again = membership.invite_member(
        actor=enterprise_user, organisation_id=enterprise.pk, username="uni_admin", now=now
    )
    assert again.pk != first.pk


def test_a_request_to_join_waits_for_an_admin(client, enterprise, enterprise_user, stranger):
    client.force_login(stranger)
    response = _post(client, f"/api/v1/organisations/{enterprise.pk}/join", {"note": "我是技术中心新同事"})
    assert response.status_code == 201 and response.json()["kind"] == "request"
    assert not Membership.objects.filter(user=stranger).exists()
    invitation = MembershipInvitation.objects.get()
    # the requester cannot approve their own request; the admin sees a to-do and approves
    with pytest.raises(PermissionDenied):
        membership.accept_invitation(actor=stranger, invitation_id=invitation.pk, now=timezone.now())
    assert f"{stranger} → {enterprise.name}" in _titles(enterprise_user)
    client.force_login(enterprise_user)
    assert _post(client, f"/api/v1/invitations/{invitation.pk}/accept").status_code == 200
    assert Membership.objects.filter(user=stranger, organisation=enterprise).exists()


def test_a_member_leaves_but_the_last_admin_cannot(client, enterprise, enterprise_user, university_user):
    now = timezone.now()
    invitation = membership.invite_member(
        actor=enterprise_user, organisation_id=enterprise.pk, username="uni_admin", now=now
    )
    membership.accept_invitation(actor=university_user, invitation_id=invitation.pk, now=now)
    client.force_login(university_user)
    assert _post(client, f"/api/v1/organisations/{enterprise.pk}/leave").status_code == 204
    assert not Membership.objects.filter(user=university_user, organisation=enterprise).exists()
    assert AuditEvent.objects.filter(action="organisation.member_leave", actor=university_user).exists()
    client.force_login(enterprise_user)
    response = _post(client, f"/api/v1/organisations/{enterprise.pk}/leave")
    assert response.status_code == 409 and response.json()["code"] == "last_admin"
    assert Membership.objects.filter(user=enterprise_user, organisation=enterprise).exists()


def test_the_members_page_invites_and_the_invitee_accepts_on_my_organisations(
    client, enterprise, enterprise_user, university_user
):
    client.force_login(enterprise_user)
    page = client.get(f"/organisations/{enterprise.pk}/members/")
    assert "发出邀请" in page.content.decode()
    client.post(f"/organisations/{enterprise.pk}/members/", {"username": "uni_admin", "role": "member"})
    invitation = MembershipInvitation.objects.get()
    client.force_login(university_user)
    mine = client.get("/account/organisations/").content.decode()
    assert enterprise.name in mine and "接受邀请" in mine
    client.post(f"/account/invitations/{invitation.pk}/accept/")
    assert Membership.objects.filter(user=university_user, organisation=enterprise).exists()


def test_a_non_admin_member_sees_no_invite_form_and_cannot_invite(
    client, enterprise, enterprise_user, stranger
):
    colleague = Membership.objects.create(
        user=stranger, organisation=enterprise, role=MemberRole.MEMBER, joined_at=timezone.now()
    ).user
    client.force_login(colleague)
    page = client.get(f"/organisations/{enterprise.pk}/members/")
    assert page.status_code == 200 and "发出邀请" not in page.content.decode()
    assert (
        client.post(f"/organisations/{enterprise.pk}/members/", {"username": "ent_admin"}).status_code == 403
    )
    assert not MembershipInvitation.objects.exists()
