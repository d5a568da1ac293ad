"""No existence oracle (issue 17, item 11): answering an invited-only demand one may not see is
answered exactly as answering a demand that does not exist."""

import pytest
from django.test import Client

from tests.market.conftest import NOW
from zhouqiao.catalog.models import Confidentiality, Demand, DemandInvitation
from zhouqiao.catalog.states import RecordStatus
from zhouqiao.market.models import Negotiation

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_demand(enterprise):
    return Demand.objects.create(
        owner=enterprise,
        region_id=enterprise.region_id,
        title="保密的电驱散热技术需求",
        summary="仅对受邀机构可见。",
        problem="电机温升过高。",
        cooperation_modes=",transfer,",
        confidentiality=Confidentiality.INVITED,
        status=RecordStatus.PUBLISHED,
        created_at=NOW,
        updated_at=NOW,
        published_at=NOW,
    )


def _answer(user, demand_id):
    client = Client()
    client.force_login(user)
    return client.post(
        "/api/v1/market/negotiations", {"demand_id": demand_id}, content_type="application/json"
    )


def test_a_hidden_invited_only_demand_answers_as_a_missing_one(hidden_demand, university_user):
    hidden = _answer(university_user, hidden_demand.pk)
    missing = _answer(university_user, hidden_demand.pk + 1000)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert not Negotiation.objects.exists()


def test_an_invited_organisation_may_answer_it(hidden_demand, university, university_user):
    DemandInvitation.objects.create(demand=hidden_demand, organisation=university, invited_at=NOW)
    assert _answer(university_user, hidden_demand.pk).status_code == 201
