from datetime import date
from decimal import Decimal

import pytest

from tests.enterprise_profiles.conftest import NOW, TODAY
from tests.factories import staff_in
from zhouqiao.accounts.models import Duty, Organisation
from zhouqiao.core.errors import PermissionDenied, ValidationFailed
from zhouqiao.core.models import AuditEvent
from zhouqiao.insights.enterprises import profiles, services
from zhouqiao.insights.enterprises.models import Certification

pytestmark = pytest.mark.django_db


def test_it_computes_the_profile_figures_from_the_records(firms, records):
    values = profiles.figures(Organisation.objects.filter(pk=firms["dehui"].pk), as_of=TODAY)[
        firms["dehui"].pk
    ]
    assert values["sold_amount"] == Decimal("500000")  # 300,000 + 200,000; 2022 and unregistered left out
    assert values["sold_count"] == 2
    assert values["bought_amount"] == Decimal("80000")
    assert values["bought_count"] == 1
    assert values["high_tech"] == 1
    assert values["tech_sme"] == 0  # expired 2025-12-31
    assert values["certifications"] == 1
    assert values["voucher_amount"] == Decimal("20000")
    assert values["subsidy_amount"] == Decimal("40000")  # paid + approved; computed is not granted yet
    assert values["transformed"] == 0
    assert values["instrument_hours"] == 0


def test_the_window_moves_with_the_date(firms, records):
    values = profiles.figures(Organisation.objects.filter(pk=firms["dehui"].pk), as_of=date(2024, 12, 31))
    # 2022–2024: the 2022 million and the 2024 200,000
    assert values[firms["dehui"].pk]["sold_amount"] == Decimal("1200000")


def test_a_little_giant_certificate_is_recorded_here_and_audited(firms, reviewer_county):
    services.record_certification(
        actor=reviewer_county,
        organisation_id=firms["dehui"].pk,
        kind="little_giant",
        number="XJR-2026-001",
        valid_from=date(2026, 1, 1),
        valid_until=date(2028, 12, 31),
        now=NOW,
    )
    assert Certification.objects.filter(number="XJR-2026-001").exists()
    assert AuditEvent.objects.filter(action="enterprise_profile.certification").exists()
    values = profiles.figures(Organisation.objects.filter(pk=firms["dehui"].pk), as_of=TODAY)[
        firms["dehui"].pk
    ]
    assert values["little_giant"] == 1


def test_a_high_tech_certificate_goes_to_the_vouchers_register(firms, reviewer_county):
    from zhouqiao.vouchers.models import Certification as VoucherCertification

    services.record_certification(
        actor=reviewer_county,
        organisation_id=firms["dehui2"].pk,
        kind="high_tech",
        number="GR2026229999",
        valid_from=date(2026, 1, 1),
        valid_until=date(2028, 12, 31),
        now=NOW,
    )
    assert VoucherCertification.objects.filter(number="GR2026229999", organisation=firms["dehui2"]).exists()
    assert not Certification.objects.exists()


def test_it_refuses_a_certificate_outside_the_reviewers_region_and_bad_dates(firms, reviewer_county):
    with pytest.raises(PermissionDenied):
        services.record_certification(
            actor=reviewer_county,
            organisation_id=firms["jilin"].pk,
            kind="little_giant",
            number="XJR-1",
            valid_from=date(2026, 1, 1),
            valid_until=date(2027, 1, 1),
            now=NOW,
        )
    with pytest.raises(ValidationFailed):
        services.record_certification(
            actor=reviewer_county,
            organisation_id=firms["dehui"].pk,
            kind="little_giant",
            number="XJR-2",
            valid_from=date(2027, 1, 1),
            valid_until=date(2026, 1, 1),
            now=NOW,
        )
    stat = staff_in("220183", Duty.STATISTICS)
    with pytest.raises(PermissionDenied):
        services.record_certification(
            actor=stat,
            organisation_id=firms["dehui"].pk,
            kind="little_giant",
            number="XJR-3",
            valid_from=date(2026, 1, 1),
            valid_until=date(2027, 1, 1),
            now=NOW,
        )
    assert not Certification.objects.exists()
