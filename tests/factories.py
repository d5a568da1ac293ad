import itertools

import factory
from django.utils import timezone

from zhouqiao.accounts.credit_code import make
from zhouqiao.accounts.models import Duty, MemberRole, Membership, Organisation, StaffAssignment, User
from zhouqiao.accounts.states import VerificationStatus

PASSWORD = "Test@Pass2026"
_serial = itertools.count(1)


def credit_code_in(region: str, prefix: str = "91") -> str:
    """A valid unified social credit code, unique per call."""
    body = str(next(_serial)).zfill(9)
    return make(prefix + region + body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    phone = "13812341234"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password_changed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试机构{n}有限公司")
    kind = "enterprise"
    region_id = "220104"
    credit_code = factory.LazyAttribute(lambda o: credit_code_in(o.region_id))
    status = VerificationStatus.VERIFIED
    contact_phone = "13912345678"
    created_at = factory.LazyFunction(timezone.now)

    class Params:
        submitted = factory.Trait(status=VerificationStatus.SUBMITTED)
        returned = factory.Trait(status=VerificationStatus.RETURNED, status_reason="材料不全")


def member_of(organisation, *, role=MemberRole.ADMIN, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role, joined_at=timezone.now())
    return user


def staff_in(region: str, *duties: str, **user_kwargs) -> User:
    user = UserFactory(**user_kwargs)
    for duty in duties or (Duty.REVIEWER,):
        StaffAssignment.objects.create(
            user=user, jurisdiction_id=region, duty=duty, granted_at=timezone.now()
        )
    return user


def file_institution(organisation, *, on=None) -> "object":
    """An approved 市级备案 of a transfer institution with the bureau of its city, filed on ``on``
    (default 2020-01-01): what 《长春市…》第九条 asks before a contract earns the turnover subsidy."""
    import datetime as dt

    from zhouqiao.community.institutions.models import InstitutionFiling

    return InstitutionFiling.objects.create(
        organisation=organisation,
        bureau_region_id=organisation.region_id[:4] + "00",
        status="approved",
        staff_count=10,
        part_time_experts=2,
        fields="先进制造",
        services=["transfer"],
        number=f"{organisation.region_id[:4]}-F-{organisation.pk}",
        filed_on=on or dt.date(2020, 1, 1),
        submitted_by=UserFactory(),
        submitted_at=timezone.now(),
    )
