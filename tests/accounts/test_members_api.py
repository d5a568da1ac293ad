from tests.factories import OrganisationFactory, member_of


def test_members_see_their_colleagues_with_masked_phones(client, enterprise, enterprise_user):
    colleague = member_of(enterprise, role="member", username="colleague", phone="13912345678")
    client.force_login(enterprise_user)
    response = client.get(f"/api/v1/organisations/{enterprise.pk}/members")
    assert response.status_code == 200
    rows = {r["username"]: r for r in response.json()}
    assert rows["colleague"]["phone"] == "139****5678"
    assert rows["ent_admin"]["phone"] == enterprise_user.phone  # one's own number in full
    assert rows["colleague"]["role"] == "member" and colleague.pk


def test_staff_of_the_region_see_the_members(client, enterprise, enterprise_user, city_staff):
    client.force_login(city_staff)
    assert [r["username"] for r in client.get(f"/api/v1/organisations/{enterprise.pk}/members").json()] == [
        "ent_admin"
    ]


def test_it_rejects_outsiders(client, enterprise, enterprise_user, stranger, other_city_staff):
    for outsider in (stranger, other_city_staff):
        client.force_login(outsider)
        response = client.get(f"/api/v1/organisations/{enterprise.pk}/members")
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


def test_it_hides_an_unverified_organisation_outside_the_scope(client, stranger, reference):
    org = OrganisationFactory(submitted=True, region_id="220204")
    client.force_login(stranger)
    assert client.get(f"/api/v1/organisations/{org.pk}/members").status_code == 404
