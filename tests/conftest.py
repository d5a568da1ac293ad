"""Personas shared by every test: who is who, and where.

Regions: Changchun 220100 (Chaoyang district 220104, Dehui county-level city 220183),
Jilin City 220200 (Chuanying district 220204), Siping 220300; Liaoning 210000 is "elsewhere".
"""

import io
import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.factories import OrganisationFactory, member_of, staff_in
from zhouqiao.accounts.models import Duty
from zhouqiao.core.models import Region

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_configure(config):
    from django.conf import settings

    os.makedirs(settings.STATIC_ROOT, exist_ok=True)
    # Production hashes with PBKDF2 (slow on purpose); tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every test client comes from one address: generous rate limits (tests/ops sets small ones).
    settings.RATELIMITS = {
        scope: dict.fromkeys(rates, "100000/1m") for scope, rates in settings.RATELIMITS.items()
    }
    _keep_reference_tables_on_flush()


REFERENCE_TABLES = {
    "core_region",
    "core_industry",
    "core_patentclass",
    "core_discipline",
    "core_keyindustry",
    "core_keyindustry_divisions",
}


def _keep_reference_tables_on_flush():
    """Transactional tests end with a flush of every table; the reference tables are read-only
    facts, so keep them instead of reloading 17,000 rows after every such test."""
    from django.db.backends.base.introspection import BaseDatabaseIntrospection

    original = BaseDatabaseIntrospection.django_table_names

    def django_table_names(self, only_existing=False, include_views=True):
        return [t for t in original(self, only_existing, include_views) if t not in REFERENCE_TABLES]

    BaseDatabaseIntrospection.django_table_names = django_table_names


def _ensure_reference_data():
    if not Region.objects.filter(code="220000").exists():
        from zhouqiao.core.reference import load_reference_data

        load_reference_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure_reference_data()


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data (`zhouqiao demo`), loaded once for the module inside a transaction that is
    rolled back after it; each test (with ``db``) runs in a savepoint within it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # services open durable transactions inside, as under TestCase
        with outer:
            call_command("demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the home page keeps what every visitor sees for 30 s)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference(db):
    """Database access with the reference tables (regions, industries, IPC, disciplines) loaded."""
    _ensure_reference_data()


@pytest.fixture(autouse=True)
def _audit_triggers_allow_flush(request):
    """Transactional tests end with a flush (DELETE/TRUNCATE of every table), which the audit
    table's append-only triggers refuse. Drop them after such a test and restore them before the
    next, so every test still runs with the production triggers in place."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    _install_audit_triggers()
    yield
    _drop_audit_triggers()


def _install_audit_triggers():
    from zhouqiao.core.migrations import _audit_triggers as sql  # noqa: PLC0415

    _drop_audit_triggers()
    with connection.schema_editor() as editor:
        sql.install(None, editor)


def _drop_audit_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_change ON core_auditevent")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent")


@pytest.fixture
def enterprise(reference):
    return OrganisationFactory(name="长春测试汽车零部件有限公司", kind="enterprise", region_id="220104")


@pytest.fixture
def enterprise_user(enterprise):
    return member_of(enterprise, username="ent_admin")


@pytest.fixture
def university(reference):
    return OrganisationFactory(name="测试大学", kind="university", region_id="220102")


@pytest.fixture
def university_user(university):
    return member_of(university, username="uni_admin")


@pytest.fixture
def broker(reference):
    org = OrganisationFactory(name="测试技术转移中心", kind="transfer_institution", region_id="220173")
    return member_of(org, username="broker")


@pytest.fixture
def county_org(reference):
    return OrganisationFactory(name="德惠测试农业有限公司", kind="enterprise", region_id="220183")


@pytest.fixture
def jilin_city_org(reference):
    return OrganisationFactory(name="吉林市测试化工有限公司", kind="enterprise", region_id="220204")


@pytest.fixture
def county_staff(reference):
    return staff_in("220183", Duty.REVIEWER, username="county_staff")


@pytest.fixture
def city_staff(reference):
    return staff_in("220100", Duty.REVIEWER, username="city_staff")


@pytest.fixture
def other_city_staff(reference):
    return staff_in("220200", Duty.REVIEWER, username="jilin_city_staff")


@pytest.fixture
def province_staff(reference):
    return staff_in("220000", Duty.REVIEWER, username="province_staff")


@pytest.fixture
def security_admin(reference):
    return staff_in("220000", Duty.SECURITY_ADMIN, username="security_admin")


@pytest.fixture
def audit_admin(reference):
    return staff_in("220000", Duty.AUDIT_ADMIN, username="audit_admin")


@pytest.fixture
def stranger(reference):
    from tests.factories import UserFactory

    return UserFactory(username="stranger")


@pytest.fixture(autouse=True)
def _policy_001_adopted(request):
    """Seed 001 is a draft for comment and grants nothing until the Changchun bureau records its
    adoption (issue 16, ruling 1). The suite registers contracts under it, so every database test
    starts with the demo's adoption recorded; the tests of the draft itself delete it
    (tests/policy/test_documents.py)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from django.utils import timezone

    from zhouqiao.policy.demo import DEMO_ADOPTION
    from zhouqiao.policy.models import ParameterChange

    if Region.objects.filter(code="220100").exists():  # the row only: no audit record, no notification
        ParameterChange.objects.create(
            package=DEMO_ADOPTION["package_id"],
            name="status",
            value="施行",
            previous_value="征求意见稿",
            effective_from=DEMO_ADOPTION["effective_from"],
            reason=DEMO_ADOPTION["reason"],
            adopting_document=DEMO_ADOPTION["number"],
            jurisdiction_id="220100",
            status="approved",
            proposed_at=timezone.now(),
            decided_at=timezone.now(),
        )
