"""An organisation's business goes to its administrators (and the record's own author), not to
every member: an expert who merely belongs to a university is not its business office."""

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, member_of
from zhouqiao.accounts.models import MemberRole, Membership
from zhouqiao.notifications import recipients

pytestmark = pytest.mark.django_db


def test_business_goes_to_the_administrators_and_the_author_not_every_member(reference):
    university, other = OrganisationFactory(region_id="220104"), OrganisationFactory(region_id="220104")
    admin = member_of(university)
    expert = member_of(university, role=MemberRole.MEMBER)
    author = member_of(university, role=MemberRole.MEMBER)
    admin_elsewhere = member_of(other)
    university_member_too = member_of(other)
    Membership.objects.create(
        user=university_member_too, organisation=university, role=MemberRole.MEMBER, joined_at=timezone.now()
    )
    assert set(recipients.org_handlers(university)) == {admin}
    assert set(recipients.org_handlers(university, author.pk)) == {admin, author}
    # the author counts only as a member of the organisation; the admin of another one does not
    assert set(recipients.org_handlers(university, admin_elsewhere)) == {admin}
    assert expert not in recipients.org_handlers(university, author)
    assert recipients.handled_organisation_ids(expert) == []
    assert recipients.handled_organisation_ids(admin) == [university.pk]
    assert recipients.handled_organisation_ids(university_member_too) == [other.pk]
