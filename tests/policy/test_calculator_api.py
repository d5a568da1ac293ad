import json
import subprocess
import sys

import pytest

CASE = {
    "date": "2024-06-01",
    "contract_type": "技术转让",
    "contract_amount": "800000.00",
    "technology_amount": "800000.00",
    "seller": {"type": "university", "region": "220102"},
    "buyer": {"type": "enterprise", "region": "220104"},
    "broker": {"region": "220102"},
    "transfer_institution": {"registered": True, "region": "220102"},
    "consumed": {},
}


@pytest.mark.django_db
def test_the_endpoint_answers_the_documented_shape(client):
    response = client.post("/api/v1/policy/calculate", data=json.dumps(CASE), content_type="application/json")
    assert response.status_code == 200
    rows = response.json()
    assert {r["clause"] for r in rows} == {"001#9", "001#15", "001#16", "001#18", "001#19", "002#5", "002#15"}
    # the schema keeps its six fields; issue 16 adds kind, document_status, draft and note
    assert {"rule", "clause", "beneficiary", "amount", "automatic", "trace"} <= set(rows[0])
    assert set(rows[0]) - {"rule", "clause", "beneficiary", "amount", "automatic", "trace"} <= {
        "kind",
        "document_status",
        "draft",
        "note",
        "minimum",
    }


@pytest.mark.django_db
def test_the_endpoint_rejects_bad_input_in_chinese(client):
    response = client.post(
        "/api/v1/policy/calculate",
        data=json.dumps({**CASE, "contract_type": "买卖"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed" and "contract_type" in response.json()["detail"]


def test_the_calculator_page_shows_results(client, reference):
    form = {
        "date": "2024-06-01",
        "contract_type": "技术转让",
        "contract_amount": "800000.00",
        "technology_amount": "800000.00",
        "seller_type": "university",
        "seller_region": "220102",
        "buyer_type": "enterprise",
        "buyer_region": "220104",
    }
    response = client.post("/policy/calculator/", form)
    html = response.content.decode()
    assert "《长春市进一步加快科技创新发展的若干政策措施》第十五条" in html and "2.4万元" in html
    assert "卖方（成果输出单位）" in html and "seller.type" not in html


def test_the_command_prints_the_same_json(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "zhouqiao", "policy-calc", "--input", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = json.loads(out)
    assert [r["amount"] for r in rows if r["clause"] == "002#15"] == ["560000.00"]


def test_the_calculator_picks_regions_instead_of_typing_codes(client, reference):
    html = client.get("/policy/calculator/").content.decode()
    assert '<select name="seller_region"' in html and '<optgroup label="长春市">' in html
    assert '<option value="220104" selected>朝阳区</option>' in html
    assert 'name="seller_region" type="text"' not in html and "地区代码" not in html
    form = {
        "date": "2024-06-01",
        "contract_type": "技术转让",
        "contract_amount": "800000.00",
        "technology_amount": "800000.00",
        "seller_type": "university",
        "seller_region": "999999",
        "buyer_type": "enterprise",
        "buyer_region": "220104",
    }
    response = client.post("/policy/calculator/", form)
    assert response.status_code == 200 and "所选地区不存在" in response.content.decode()
    response = client.post("/policy/calculator/", {**form, "seller_region": "110108"})  # a Beijing university
    html = response.content.decode()
    assert (
        "《长春市进一步加快科技创新发展的若干政策措施》第十六条" in html
    )  # the buyer's 001#16 still applies
    assert 'data-rule="cc_output_unit_reward"' not in html  # the seller is not in Changchun
