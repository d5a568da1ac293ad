"""Demo data: 专精特新“小巨人” certificates for two sample enterprises (高新技术企业 and
科技型中小企业 come from the vouchers demo), the province's written reserve criteria and its
reviewed reserve list. Idempotent (certificates by number, criteria by figure, entries by
organisation)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhouqiao.accounts.models import Organisation, User
from zhouqiao.insights.enterprises.models import Certification, ReserveCriterion, ReserveEntry
from zhouqiao.insights.enterprises.states import CertificationKind, EntryStatus, Figure

LITTLE_GIANTS = [
    ("中车长春轨道客车股份有限公司", "XJR2023220001"),
    ("吉林化纤集团有限责任公司", "XJR2024220017"),
]
CRITERIA = [  # the province's written criteria
    (Figure.CERTIFICATIONS, Decimal("1"), "持有高新技术企业、科技型中小企业或“小巨人”中至少一项有效认定"),
]
RESERVE = [
    ("中国第一汽车集团有限公司", "高新技术企业，近三年技术合同成交额居全省前列，拟分拆新能源业务上市。"),
    ("中车长春轨道客车股份有限公司", "高新技术企业、专精特新“小巨人”，轨道交通装备研发能力突出。"),
]


def create_demo_data(*, now) -> dict[str, int]:
    staff = User.objects.filter(username="province_staff").first()
    if staff is None:
        return {}
    today = timezone.localdate(now)
    names = dict(
        Organisation.objects.filter(name__in=[n for n, _ in LITTLE_GIANTS + RESERVE]).values_list(
            "name", "pk"
        )
    )
    with transaction.atomic():
        for name, number in LITTLE_GIANTS:
            if name in names:
                Certification.objects.get_or_create(
                    kind=CertificationKind.LITTLE_GIANT,
                    number=number,
                    defaults={
                        "organisation_id": names[name],
                        "valid_from": today - timedelta(days=300),
                        "valid_until": today + timedelta(days=800),
                        "recorded_by": staff,
                        "recorded_at": now,
                    },
                )
        for figure, minimum, note in CRITERIA:
            ReserveCriterion.objects.get_or_create(
                jurisdiction_id="220000",
                figure=figure,
                defaults={"minimum": minimum, "note": note, "updated_by": staff, "updated_at": now},
            )
        for name, reason in RESERVE:
            if (
                name in names
                and not ReserveEntry.objects.filter(
                    jurisdiction_id="220000", organisation_id=names[name], status=EntryStatus.LISTED
                ).exists()
            ):
                ReserveEntry.objects.create(
                    jurisdiction_id="220000",
                    organisation_id=names[name],
                    added_reason=reason,
                    added_by=staff,
                    added_at=now,
                )
    return {
        "little_giant_certificates": Certification.objects.count(),
        "reserve_entries": ReserveEntry.objects.filter(status=EntryStatus.LISTED).count(),
    }
