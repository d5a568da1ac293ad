"""Who may open each page and each API operation: the permission table (issue 17).

tests/security/test_access_matrix.py walks the URLconf and the OpenAPI document and asks every page
(GET) and every API read as each demo account (README) and as an anonymous visitor, then compares
each answer with the row here. A URL name or API operation without a row fails that test, which
lists exactly the missing keys; a row whose URL or operation is gone fails it too.

A row is ``key: Rule(who, anonymous, refused)``:

- ``key``: the URL name (``"catalog:achievement_list"``) or the API operation
  (``"GET /api/v1/catalog/achievements"``);
- ``who``: the people who get the page (2xx, or a redirect that is not the login page): ``ANYONE``,
  ``SIGNED_IN``, ``MEMBER`` (belongs to an organisation that is not a bureau), ``VERIFIED_MEMBER``,
  ``STAFF`` (a business duty: reviewer, registrar, finance, statistics), ``GOVERNMENT`` (anybody
  holding a duty), ``duty(...)`` (one of these duties), ``any_of(...)``, ``NOBODY``, or — for a page
  about one record of the demo, whose readers are the parties to it — ``people(...)`` naming them;
- ``anonymous``: what an anonymous visitor who may not open it gets — ``LOGIN`` (redirect to the
  login page), 401, 403, 404 or 405;
- ``refused``: what a signed-in person who may not open it gets — 403, 404 or 405 (``not_found``
  names those who get 404 where the others get 403).

Pages with an argument are asked about record 1 of the demo (``<int:…>`` → 1, other arguments
``x``). Form targets (``POST_ONLY``) answer 405 to a GET from anybody signed in; writes are tested
by each app and by the OpenAPI fuzz (tests/security/test_fuzz_api.py), so API writes are listed
as ``WRITE`` and only their presence here is checked.
"""

from collections.abc import Callable
from dataclasses import dataclass

from zhouqiao.accounts import scope
from zhouqiao.accounts.models import Duty, Membership
from zhouqiao.accounts.states import VerificationStatus

Who = Callable[[object], bool]

LOGIN = "login"


def ANYONE(user) -> bool:
    return True


def NOBODY(user) -> bool:
    return False


def SIGNED_IN(user) -> bool:
    return user.is_authenticated


def _memberships(user):
    return Membership.objects.filter(user=user).exclude(organisation__kind="government")


def MEMBER(user) -> bool:
    return user.is_authenticated and _memberships(user).exists()


def VERIFIED_MEMBER(user) -> bool:
    return (
        user.is_authenticated
        and _memberships(user).filter(organisation__status=VerificationStatus.VERIFIED).exists()
    )


def STAFF(user) -> bool:
    return user.is_authenticated and scope.is_business_staff(user)


def GOVERNMENT(user) -> bool:
    return user.is_authenticated and scope.is_government_staff(user)


def duty(*duties: str) -> Who:
    def holds(user) -> bool:
        return user.is_authenticated and any(scope.has_duty(user, d) for d in duties)

    holds.__name__ = "duty(" + ", ".join(duties) + ")"
    return holds


def any_of(*whos: Who) -> Who:
    def either(user) -> bool:
        return any(w(user) for w in whos)

    either.__name__ = "any_of(" + ", ".join(w.__name__ for w in whos) + ")"
    return either


def people(*usernames: str) -> Who:
    def named(user) -> bool:
        return user.is_authenticated and user.username in usernames

    named.__name__ = "people(" + ", ".join(usernames) + ")"
    return named


@dataclass(frozen=True)
class Rule:
    who: Who
    anonymous: str | int = LOGIN
    refused: str | int = 403
    not_found: Who = NOBODY  # signed-in people refused with 404 instead (the record is out of their sight)
    health_check: bool = False  # /healthz: 503 (a check failed, e.g. the queue's lag) is an answer too


POST_ONLY = Rule(NOBODY, LOGIN, 405)  # a form target: GET is refused (405) once signed in
WRITE = Rule(NOBODY, 0, 0)  # an API write: listed, tested by the fuzz and the apps' tests

# The pages (URL names), in the URLconf's order.
PAGES: dict[str, Rule] = {
    "healthz": Rule(ANYONE, health_check=True),
    "set_language": Rule(ANYONE),
    "catalog:demand_invite": POST_ONLY,
    "catalog:achievement_list": Rule(ANYONE),
    "catalog:achievement_create": Rule(SIGNED_IN, LOGIN, 403),
    "catalog:achievement_export": Rule(ANYONE),
    "catalog:achievement_template": Rule(ANYONE),
    "catalog:achievement_detail": Rule(ANYONE),
    "catalog:achievement_edit": Rule(people("expert", "university"), LOGIN, 404),
    "catalog:achievement_attach": POST_ONLY,
    "catalog:achievement_transition": POST_ONLY,
    "catalog:demand_list": Rule(ANYONE),
    "catalog:demand_create": Rule(SIGNED_IN, LOGIN, 403),
    "catalog:demand_export": Rule(ANYONE),
    "catalog:demand_template": Rule(ANYONE),
    "catalog:demand_detail": Rule(ANYONE),
    "catalog:demand_edit": Rule(people("enterprise"), LOGIN, 404),
    "catalog:demand_attach": POST_ONLY,
    "catalog:demand_transition": POST_ONLY,
    "catalog:attachment": Rule(NOBODY, 404, 404),
    "catalog:attachment_delete": POST_ONLY,
    "catalog:mine": Rule(SIGNED_IN, LOGIN, 403),
    "catalog:review_queue": Rule(duty(Duty.REVIEWER), LOGIN, 403),
    "catalog:package_list": Rule(ANYONE),
    "catalog:package_create": Rule(duty(Duty.REVIEWER), LOGIN, 403),
    "catalog:package_detail": Rule(ANYONE),
    "catalog:package_edit": Rule(
        people("city_staff", "province_staff"),
        LOGIN,
        403,
        not_found=people("county_staff", "jilin_city_staff"),
    ),
    "catalog:package_transition": POST_ONLY,
    "catalog:import": Rule(SIGNED_IN, LOGIN, 403),
    "catalog:import_job": Rule(NOBODY, LOGIN, 404),
    "search:search": Rule(ANYONE),
    "search:matches": Rule(NOBODY, 404, 404),
    "search:novelty": Rule(SIGNED_IN, LOGIN, 403),
    "search:novelty_pdf": POST_ONLY,
    "search:novelty_record": Rule(NOBODY, LOGIN, 404),
    "search:novelty_record_pdf": Rule(NOBODY, LOGIN, 404),
    "search:patent_import": Rule(duty(Duty.FINANCE, Duty.SYSTEM_ADMIN), LOGIN, 403),
    "search:save_search": POST_ONLY,
    "search:delete_saved_search": POST_ONLY,
    "search:subscriptions": Rule(SIGNED_IN, LOGIN, 403),
    "search:subscribe_demand": POST_ONLY,
    "search:synonyms": Rule(people("province_staff", "system_admin"), LOGIN, 403),
    "search:synonym_add": POST_ONLY,
    "search:synonym_edit": POST_ONLY,
    "search:synonym_delete": POST_ONLY,
    "market:index": Rule(ANYONE),
    "market:listing_detail": Rule(ANYONE),
    "market:listing_create": Rule(people("expert", "university"), LOGIN, 404),
    "market:listing_action": POST_ONLY,
    "market:auction_detail": Rule(ANYONE),
    "market:auction_live": Rule(ANYONE),
    "market:auction_record": Rule(ANYONE),
    "market:auction_bid": POST_ONLY,
    "market:auction_register": POST_ONLY,
    "market:auction_deposit": POST_ONLY,
    "market:negotiation_list": Rule(SIGNED_IN, LOGIN, 403),
    "market:negotiation_open": Rule(SIGNED_IN, LOGIN, 403),
    "market:demand_answer": Rule(SIGNED_IN, LOGIN, 403),
    "market:negotiation_detail": Rule(NOBODY, LOGIN, 404),
    "market:negotiation_action": POST_ONLY,
    "market:deal_detail": Rule(
        people("city_staff", "enterprise_jl", "institute", "province_finance", "province_staff"), LOGIN, 404
    ),
    "market:deal_contract": POST_ONLY,
    "market:oversight": Rule(STAFF, LOGIN, 403),
    "contracts:list": Rule(SIGNED_IN, LOGIN, 403),
    "contracts:new": Rule(SIGNED_IN, LOGIN, 403),
    "contracts:batch_register": POST_ONLY,
    "contracts:statistics": Rule(STAFF, LOGIN, 403),
    "contracts:statistics_export": Rule(STAFF, LOGIN, 403),
    "contracts:detail": Rule(
        people(
            "broker", "city_staff", "enterprise", "expert", "province_finance", "province_staff", "university"
        ),
        LOGIN,
        404,
    ),
    "contracts:edit": Rule(
        people(
            "broker", "city_staff", "enterprise", "expert", "province_finance", "province_staff", "university"
        ),
        LOGIN,
        404,
    ),
    "contracts:attachment_upload": POST_ONLY,
    "contracts:attachment": Rule(
        people(
            "broker", "city_staff", "enterprise", "expert", "province_finance", "province_staff", "university"
        ),
        LOGIN,
        404,
    ),
    "contracts:certificate_page": Rule(
        people(
            "broker", "city_staff", "enterprise", "expert", "province_finance", "province_staff", "university"
        ),
        LOGIN,
        404,
    ),
    "contracts:certificate": Rule(
        people(
            "broker", "city_staff", "enterprise", "expert", "province_finance", "province_staff", "university"
        ),
        LOGIN,
        404,
    ),
    "contracts:verify_lookup": Rule(ANYONE),
    "contracts:verify": Rule(NOBODY, 404, 404),
    "contracts:transition": POST_ONLY,
    "policy:rules": Rule(ANYONE),
    "policy:calculator": Rule(ANYONE),
    "policy:rule_history": Rule(NOBODY, 404, 404),
    "policy:changes": Rule(duty(Duty.POLICY_EDITOR), LOGIN, 404),
    "policy:change_new": Rule(duty(Duty.POLICY_EDITOR), LOGIN, 404),
    "policy:change_detail": Rule(duty(Duty.POLICY_EDITOR), LOGIN, 404),
    "policy:change_decide": POST_ONLY,
    "policy:entitlements": Rule(SIGNED_IN, LOGIN, 403),
    "policy:entitlement_detail": Rule(
        people("city_staff", "expert", "province_finance", "province_staff", "university"), LOGIN, 404
    ),
    "policy:finance": Rule(duty(Duty.FINANCE), LOGIN, 404),
    "policy:finance_batch": POST_ONLY,
    "policy:entitlement_transition": POST_ONLY,
    "policy:applications": Rule(SIGNED_IN, LOGIN, 403),
    "policy:application_new": Rule(SIGNED_IN, LOGIN, 403),
    "policy:application_detail": Rule(people("enterprise", "province_finance", "province_staff"), LOGIN, 404),
    "policy:application_submit": POST_ONLY,
    "policy:application_review": POST_ONLY,
    "policy:application_attach": POST_ONLY,
    # the applicant's organisation and the paying jurisdiction's reviewers and finance staff only
    "policy:application_attachment": Rule(NOBODY, LOGIN, 404),
    "policy:distribution": Rule(SIGNED_IN, LOGIN, 403),
    "policy:distribution_new": Rule(people("institute", "university"), LOGIN, 404),
    "policy:distribution_detail": Rule(NOBODY, LOGIN, 404),
    "policy:distribution_sheet": Rule(NOBODY, LOGIN, 404),
    "vouchers:index": Rule(ANYONE),
    "vouchers:apply": Rule(SIGNED_IN, LOGIN, 403),
    "vouchers:application": Rule(
        people("city_staff", "enterprise", "province_finance", "province_staff"), LOGIN, 404
    ),
    "vouchers:application_action": POST_ONLY,
    "vouchers:voucher": Rule(
        people("city_staff", "enterprise", "province_finance", "province_staff"), LOGIN, 404
    ),
    "vouchers:voucher_revoke": POST_ONLY,
    "vouchers:providers": Rule(ANYONE),
    "vouchers:service_new": Rule(SIGNED_IN, LOGIN, 403),
    "vouchers:service_edit": Rule(people("provider"), LOGIN, 404),
    "vouchers:order_new": Rule(SIGNED_IN, LOGIN, 403),
    "vouchers:service_action": POST_ONLY,
    "vouchers:order": Rule(
        people("city_staff", "enterprise", "provider", "province_finance", "province_staff"), LOGIN, 404
    ),
    "vouchers:order_action": POST_ONLY,
    "vouchers:office": Rule(STAFF, LOGIN, 403),
    "vouchers:office_certification": POST_ONLY,
    "vouchers:office_pool": POST_ONLY,
    "vouchers:ledger_export": Rule(people("city_staff", "province_finance", "province_staff"), LOGIN, 404),
    "vouchers:office_pool_adjust": POST_ONLY,
    "vouchers:office_relation": POST_ONLY,
    "vouchers:office_certification_import": POST_ONLY,
    "vouchers:certification_template": Rule(SIGNED_IN, LOGIN, 403),
    "facilities:index": Rule(ANYONE),
    "facilities:instrument_new": Rule(SIGNED_IN, LOGIN, 403),
    "facilities:instrument": Rule(ANYONE),
    "facilities:instrument_maintenance": POST_ONLY,
    "facilities:bookings": Rule(SIGNED_IN, LOGIN, 403),
    "facilities:booking": Rule(
        people("city_staff", "enterprise", "institute", "province_finance", "province_staff"), LOGIN, 404
    ),
    "facilities:booking_action": POST_ONLY,
    "facilities:evaluation": Rule(STAFF, LOGIN, 403),
    "facilities:evaluation_export": Rule(STAFF, LOGIN, 403),
    "institutions:institution_list": Rule(ANYONE),
    "institutions:broker_list": Rule(ANYONE),
    "events:event_list": Rule(ANYONE),
    "community:expert_list": Rule(ANYONE),
    "community:expert_detail": Rule(ANYONE),
    "community:decide": POST_ONLY,
    "community:apply": Rule(SIGNED_IN, LOGIN, 403),
    "community:my_expert": Rule(SIGNED_IN, LOGIN, 403),
    "community:review_queue": Rule(duty(Duty.PROGRAM_OFFICER), LOGIN, 404),
    "community:invite": Rule(duty(Duty.PROGRAM_OFFICER), LOGIN, 404),
    "community:invitation": Rule(NOBODY, LOGIN, 404),
    "community:demand_experts": Rule(ANYONE),
    "exchange:question_list": Rule(ANYONE),
    "exchange:notice_list": Rule(ANYONE),
    "innovation_index:ranking": Rule(ANYONE),
    "targets:target_list": Rule(ANYONE),
    "annual_reports:report_list": Rule(ANYONE),
    "enterprise_profiles:reserve": Rule(STAFF, LOGIN, 403),
    "insights:dashboard": Rule(ANYONE),
    "insights:export": Rule(NOBODY, 404, 404),
    "challenges:board": Rule(ANYONE),
    "challenges:new": Rule(
        people("enterprise", "enterprise_county", "enterprise_jl", "program_officer"), LOGIN, 403
    ),
    "challenges:detail": Rule(ANYONE),
    "challenges:edit": Rule(NOBODY, LOGIN, 403),
    "challenges:submit": POST_ONLY,
    "challenges:review": POST_ONLY,
    "challenges:close": POST_ONLY,
    "challenges:panel_add": POST_ONLY,
    "challenges:unawarded": POST_ONLY,
    "challenges:attachment_upload": POST_ONLY,
    "challenges:attachment": Rule(NOBODY, 404, 404),
    "challenges:propose": Rule(NOBODY, LOGIN, 403),
    "challenges:acceptance": Rule(NOBODY, LOGIN, 403),
    "challenges:acceptance_apply": POST_ONLY,
    "challenges:proposal": Rule(people("enterprise", "expert", "institute", "program_officer"), 404, 404),
    "challenges:score": POST_ONLY,
    "challenges:recuse": POST_ONLY,
    "challenges:select": POST_ONLY,
    "challenges:milestone_report": POST_ONLY,
    "challenges:milestone_decide": POST_ONLY,
    "projects:project_list": Rule(ANYONE),
    "projects:manage_list": Rule(SIGNED_IN, LOGIN, 403),
    "projects:project_detail": Rule(
        people("enterprise_jl", "program_officer", "province_finance", "province_staff"), LOGIN, 404
    ),
    "projects:public_report": Rule(ANYONE),
    "projects:project_action": POST_ONLY,
    "projects:milestone_action": POST_ONLY,
    "patent_pool:index": Rule(ANYONE),
    "patent_pool:pooled": Rule(ANYONE),
    "patent_pool:schedule_fee": POST_ONLY,
    "patent_pool:pay_fee": POST_ONLY,
    "patent_pool:prepare_record": POST_ONLY,
    "patent_pool:list_on_market": POST_ONLY,
    "patent_pool:record_proceeds": POST_ONLY,
    "patent_pool:mine": Rule(SIGNED_IN, LOGIN, 403),
    "patent_pool:declare": Rule(SIGNED_IN, LOGIN, 403),
    "patent_pool:offer": Rule(people("university"), LOGIN, 403),  # the owner's administrator
    "patent_pool:implement": Rule(people("expert", "university"), LOGIN, 403),
    "patent_pool:withdraw": POST_ONLY,
    "patent_pool:staff": Rule(duty(Duty.PROGRAM_OFFICER), LOGIN, 403),
    "patent_pool:case": Rule(duty(Duty.PROGRAM_OFFICER), LOGIN, 403),
    "patent_pool:acquire": POST_ONLY,
    "patent_pool:refuse": POST_ONLY,
    "programs:call_list": Rule(ANYONE),
    "programs:call_create": Rule(duty(Duty.PROGRAM_OFFICER), LOGIN, 404),
    "programs:call_detail": Rule(ANYONE),
    "programs:call_publish": POST_ONLY,
    "programs:call_start_review": POST_ONLY,
    "programs:call_assign": POST_ONLY,
    "programs:assignment_progress": Rule(duty(Duty.PROGRAM_OFFICER), LOGIN, 404),
    "programs:call_approve": POST_ONLY,
    "programs:call_notice": POST_ONLY,
    "programs:call_establish": POST_ONLY,
    "programs:application_create": Rule(SIGNED_IN, LOGIN, 403),
    "programs:application_edit": Rule(NOBODY, LOGIN, 404),
    "programs:application_detail": Rule(people("enterprise", "program_officer"), 404, 404),
    "programs:application_submit": POST_ONLY,
    "programs:application_check": POST_ONLY,
    "programs:attachment_upload": POST_ONLY,
    "programs:objection_create": POST_ONLY,
    "programs:attachment_download": Rule(NOBODY, 404, 404),
    "programs:assignment_swap": POST_ONLY,
    "programs:assignment_recuse": POST_ONLY,
    "programs:objection_answer": POST_ONLY,
    "programs:my_reviews": Rule(SIGNED_IN, LOGIN, 403),
    "programs:my_reviews_export": Rule(SIGNED_IN, LOGIN, 403),
    "programs:review": Rule(NOBODY, LOGIN, 404),
    "notifications:inbox": Rule(SIGNED_IN, LOGIN, 403),
    "notifications:mark_all_read": POST_ONLY,
    "notifications:open": POST_ONLY,
    "notifications:todo": Rule(SIGNED_IN, LOGIN, 403),
    "notifications:preferences": Rule(SIGNED_IN, LOGIN, 403),
    "web:home": Rule(ANYONE),
    "web:function": Rule(NOBODY, 404, 404),
    "web:login": Rule(ANYONE),
    "web:login_verify": Rule(NOBODY, LOGIN, "login"),
    "web:logout": Rule(NOBODY, 405, 405),
    "web:register": Rule(ANYONE),
    "web:privacy_notice": Rule(ANYONE),
    "web:my_data": Rule(SIGNED_IN, LOGIN, 403),
    "web:privacy_export": Rule(SIGNED_IN, LOGIN, 403),
    "web:privacy_erase": POST_ONLY,
    "web:workspace": Rule(SIGNED_IN, LOGIN, 403),
    "web:password_change": Rule(SIGNED_IN, LOGIN, 403),
    "web:tokens": Rule(SIGNED_IN, LOGIN, 403),
    "web:token_revoke": POST_ONLY,
    "web:two_factor": Rule(SIGNED_IN, LOGIN, 403),
    "web:sessions": Rule(SIGNED_IN, LOGIN, 403),
    "web:session_end": POST_ONLY,
    "web:my_organisations": Rule(SIGNED_IN, LOGIN, 403),
    "web:organisation_leave": POST_ONLY,
    "web:invitation_action": POST_ONLY,
    "web:organisations": Rule(ANYONE),
    "web:organisation_detail": Rule(ANYONE),
    # the organisation's admins (record 1 is 一汽, verified: its page says changes go through the bureau)
    "web:organisation_edit": Rule(people("enterprise"), LOGIN, 404),
    "web:organisation_upload": POST_ONLY,
    # the licence scan (document 1 is the startup's, in the demo): its members and the reviewers
    # whose jurisdiction covers Jilin City
    "web:organisation_document": Rule(people("jilin_city_staff", "province_staff", "startup"), LOGIN, 404),
    "web:organisation_document_remove": POST_ONLY,
    "web:organisation_members": Rule(
        people("city_staff", "enterprise", "province_finance", "province_staff"), LOGIN, 403
    ),
    "web:organisation_join": POST_ONLY,
    "web:organisation_transition": POST_ONLY,
    "web:back_office": Rule(GOVERNMENT, LOGIN, 403),
    "web:verification_queue": Rule(duty(Duty.REVIEWER), LOGIN, 403),
    "web:staff_grants": Rule(duty(Duty.SECURITY_ADMIN), LOGIN, 403),
    "web:staff_revoke": POST_ONLY,
    "web:person_suggestions": Rule(duty(Duty.SECURITY_ADMIN), LOGIN, 403),
    "web:audit_log": Rule(duty(Duty.AUDIT_ADMIN), LOGIN, 403),
    "web:audit_export": Rule(duty(Duty.AUDIT_ADMIN), LOGIN, 403),
    "web:open_data": Rule(ANYONE),
    "web:region_options": Rule(ANYONE),
    "web:code_suggestions": Rule(NOBODY, 404, 404),
    "web:password_reset": Rule(ANYONE),
    "web:password_reset_done": Rule(ANYONE),
    "web:password_reset_confirm": Rule(ANYONE),
    "web:password_reset_complete": Rule(ANYONE),
    # Issues 19 and 20 (community, insights): rows as the pages answered at 11:55 UTC on 2026-12-07.
    "institutions:broker_detail": Rule(ANYONE),
    "institutions:broker_edit": Rule(people("broker"), LOGIN, 404),
    "institutions:add_training": POST_ONLY,
    "institutions:rate": POST_ONLY,
    "institutions:decide_certificate": POST_ONLY,
    # the certificate scan: the broker's institution and its reviewers, when one is uploaded (the
    # demo broker has none, so everybody signed in gets 404)
    "institutions:certificate_scan": Rule(NOBODY, LOGIN, 404),
    "institutions:my_broker": Rule(people("broker"), LOGIN, 404),  # redirects to the broker's own page
    "institutions:filing_queue": Rule(duty(Duty.REVIEWER), LOGIN, 404),
    "institutions:filing_detail": Rule(people("city_staff", "province_staff"), LOGIN, 404),
    "institutions:decide_filing": POST_ONLY,
    "institutions:ranking": Rule(duty(Duty.REVIEWER, Duty.STATISTICS), LOGIN, 404),
    "institutions:compute_ranking": POST_ONLY,
    "institutions:export_ranking": Rule(duty(Duty.REVIEWER, Duty.STATISTICS), LOGIN, 404),
    "institutions:institution_detail": Rule(NOBODY, 404, 404),
    "institutions:filing_form": Rule(NOBODY, LOGIN, 404),
    "institutions:broker_create": Rule(NOBODY, LOGIN, 404),
    "institutions:report": Rule(NOBODY, LOGIN, 404),
    "institutions:open_report": POST_ONLY,
    "institutions:assess": Rule(NOBODY, LOGIN, 404),
    "events:event_new": Rule(
        people(
            "broker", "city_staff", "county_staff", "jilin_city_staff", "province_finance", "province_staff"
        ),
        LOGIN,
        403,
    ),
    "events:event_detail": Rule(ANYONE),
    "events:event_cancel": POST_ONLY,
    "events:register": POST_ONLY,
    "events:registrations": Rule(people("city_staff", "province_finance", "province_staff"), LOGIN, 403),
    "events:roadshow_add": POST_ONLY,
    "events:meetings": Rule(
        people(
            "city_staff",
            "enterprise",
            "enterprise_county",
            "enterprise_jl",
            "institute",
            "province_staff",
            "university",
        ),
        LOGIN,
        403,
    ),
    "events:meetings_action": POST_ONLY,
    "events:my_schedule": Rule(
        people("enterprise", "enterprise_county", "enterprise_jl", "expert", "institute", "university"),
        LOGIN,
        403,
    ),
    "events:my_schedule_pdf": Rule(
        people("enterprise", "enterprise_county", "enterprise_jl", "expert", "institute", "university"),
        LOGIN,
        403,
    ),
    "events:registration_action": POST_ONLY,
    "events:checkin_lookup": Rule(SIGNED_IN, LOGIN, 403),
    "events:checkin": Rule(NOBODY, LOGIN, 404),
    "events:meeting_action": POST_ONLY,
    "community:talent": Rule(ANYONE),
    "community:talent_stats": Rule(any_of(STAFF, duty(Duty.PROGRAM_OFFICER)), LOGIN, 404),
    "community:talent_edit": POST_ONLY,
    "exchange:question_detail": Rule(ANYONE),
    "exchange:answer": POST_ONLY,
    "exchange:hide": POST_ONLY,
    "exchange:thread": Rule(NOBODY, 404, 404),
    "exchange:ask": POST_ONLY,
    "exchange:notice_new": Rule(STAFF, LOGIN, 404),
    "exchange:notice_detail": Rule(ANYONE),
    "exchange:notice_withdraw": POST_ONLY,
    "exchange:notice_attachment": Rule(NOBODY, 404, 404),
    "exchange:conversation_list": Rule(SIGNED_IN, LOGIN, 403),
    "exchange:conversation": Rule(NOBODY, LOGIN, 404),
    "exchange:talk_new": Rule(NOBODY, LOGIN, 404),
    "innovation_index:methodology": Rule(ANYONE),
    "innovation_index:inputs_download": Rule(NOBODY, 404, 404),
    "innovation_index:manage": Rule(duty(Duty.STATISTICS), LOGIN, 403),
    "innovation_index:open_year": POST_ONLY,
    "innovation_index:import_inputs": POST_ONLY,
    "innovation_index:template_download": Rule(NOBODY, LOGIN, 403, not_found=duty(Duty.STATISTICS)),
    "innovation_index:set_method": POST_ONLY,
    "innovation_index:publish": POST_ONLY,
    "innovation_index:edit_input": Rule(NOBODY, LOGIN, 403, not_found=duty(Duty.STATISTICS)),
    "targets:target_detail": Rule(NOBODY, 404, 404),
    "annual_reports:generate": POST_ONLY,
    "annual_reports:report_detail": Rule(NOBODY, 404, 404),
    "annual_reports:unpublish": POST_ONLY,
    "annual_reports:version_progress": Rule(NOBODY, 404, 404),
    "annual_reports:publish": POST_ONLY,
    "annual_reports:download": Rule(NOBODY, 404, 404),
    "enterprise_profiles:reserve_export": Rule(STAFF, LOGIN, 403),
    "enterprise_profiles:criterion_set": POST_ONLY,
    "enterprise_profiles:criterion_delete": POST_ONLY,
    "enterprise_profiles:entry_add": POST_ONLY,
    "enterprise_profiles:entry_remove": POST_ONLY,
    "enterprise_profiles:profile": Rule(
        people("city_staff", "province_finance", "province_staff"), LOGIN, 404
    ),
    "enterprise_profiles:certification_record": POST_ONLY,
    "web:open_data_download": Rule(NOBODY, 404, 404),
}

# The API operations (method and OpenAPI path).
API: dict[str, Rule] = {
    "GET /api/v1/regions": Rule(ANYONE),
    "GET /api/v1/regions/{code}": Rule(NOBODY, 404, 404),
    "GET /api/v1/industries": Rule(ANYONE),
    "GET /api/v1/patent-classes": Rule(ANYONE),
    "GET /api/v1/disciplines": Rule(ANYONE),
    "GET /api/v1/key-industries": Rule(ANYONE),
    "GET /api/v1/readiness-levels": Rule(ANYONE),
    "GET /api/v1/me": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/organisations": Rule(ANYONE),
    "GET /api/v1/organisations/{org_id}": Rule(ANYONE),
    "GET /api/v1/organisations/{org_id}/members": Rule(
        people("city_staff", "enterprise", "province_finance", "province_staff"), 401, 403
    ),
    "GET /api/v1/invitations": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/organisations/{org_id}/invitations": Rule(people("enterprise"), 401, 403),
    "GET /api/v1/verification-queue": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/audit": Rule(duty(Duty.AUDIT_ADMIN), 401, 403),
    "GET /api/v1/catalog/achievements": Rule(ANYONE),
    "GET /api/v1/catalog/achievements/{pk}": Rule(ANYONE),
    "GET /api/v1/catalog/demands": Rule(ANYONE),
    "GET /api/v1/catalog/demands/{pk}": Rule(ANYONE),
    "GET /api/v1/catalog/achievements/{pk}/history": Rule(
        people("city_staff", "expert", "province_staff", "university"), 401, 403
    ),
    "GET /api/v1/catalog/demands/{pk}/history": Rule(
        people("city_staff", "enterprise", "province_staff"), 401, 403
    ),
    "GET /api/v1/catalog/review-queue": Rule(duty(Duty.REVIEWER), 401, 403),
    "GET /api/v1/catalog/packages": Rule(ANYONE),
    "GET /api/v1/catalog/packages/{pk}": Rule(ANYONE),
    "GET /api/v1/catalog/import-jobs/{pk}": Rule(NOBODY, 401, 404),
    "GET /api/v1/search": Rule(ANYONE),
    "GET /api/v1/search/matches/{kind}/{pk}": Rule(ANYONE),
    "GET /api/v1/search/novelty/{kind}/{pk}": Rule(NOBODY, 401, 404),
    "GET /api/v1/search/saved": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/market/auctions": Rule(ANYONE),
    "GET /api/v1/market/auctions/{auction_id}": Rule(ANYONE),
    "GET /api/v1/market/auctions/{auction_id}/bids": Rule(ANYONE),
    "GET /api/v1/market/auctions/{auction_id}/verify": Rule(ANYONE),
    "GET /api/v1/market/listings": Rule(ANYONE),
    "GET /api/v1/market/listings/{listing_id}": Rule(ANYONE),
    "GET /api/v1/market/negotiations": Rule(ANYONE),
    "GET /api/v1/market/negotiations/{negotiation_id}": Rule(NOBODY, 404, 404),
    "GET /api/v1/market/deals": Rule(ANYONE),
    "GET /api/v1/market/deals/{deal_id}": Rule(
        people("city_staff", "enterprise_jl", "institute", "province_finance", "province_staff"), 404, 404
    ),
    "GET /api/v1/contracts": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/contracts/statistics": Rule(STAFF, 403, 403),
    "GET /api/v1/contracts/{contract_id}": Rule(
        people(
            "broker", "city_staff", "enterprise", "expert", "province_finance", "province_staff", "university"
        ),
        401,
        404,
    ),
    "GET /api/v1/policy/rules": Rule(ANYONE),
    "GET /api/v1/policy/entitlements": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/policy/event-rules": Rule(ANYONE),
    "GET /api/v1/policy/applications": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/policy/applications/{application_id}": Rule(
        people("enterprise", "province_finance", "province_staff"), 401, 404
    ),
    "GET /api/v1/policy/distributions": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/policy/distributions/{distribution_id}": Rule(NOBODY, 401, 404),
    "GET /api/v1/vouchers/pools": Rule(ANYONE),
    "GET /api/v1/vouchers/reconcile": Rule(
        people("city_staff", "province_finance", "province_staff"), 401, 403
    ),
    "GET /api/v1/vouchers/certifications": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/vouchers/applications": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/vouchers/vouchers": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/vouchers/vouchers/{voucher_id}": Rule(
        people("city_staff", "enterprise", "province_finance", "province_staff"), 401, 404
    ),
    "GET /api/v1/vouchers/services": Rule(ANYONE),
    "GET /api/v1/vouchers/orders": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/facilities/instruments": Rule(ANYONE),
    "GET /api/v1/facilities/instruments/{instrument_id}": Rule(ANYONE),
    "GET /api/v1/facilities/instruments/{instrument_id}/calendar": Rule(ANYONE),
    "GET /api/v1/facilities/bookings": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/facilities/evaluation": Rule(NOBODY, 422, 422),
    "GET /api/v1/facilities/evaluation.xlsx": Rule(NOBODY, 422, 422),
    "GET /api/v1/community/experts": Rule(ANYONE),
    "GET /api/v1/community/experts/{expert_id}": Rule(ANYONE),
    "GET /api/v1/programs/challenges": Rule(ANYONE),
    "GET /api/v1/programs/challenges/{challenge_id}": Rule(ANYONE),
    "GET /api/v1/programs/projects/": Rule(ANYONE),
    "GET /api/v1/programs/patent-pool/patents": Rule(ANYONE),
    "GET /api/v1/programs/calls": Rule(ANYONE),
    "GET /api/v1/programs/calls/{pk}": Rule(ANYONE),
    "GET /api/v1/programs/applications/{pk}": Rule(people("enterprise", "program_officer"), 404, 404),
    "GET /api/v1/programs/reviews": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/community/institutions/institutions": Rule(ANYONE),
    "GET /api/v1/community/institutions/ranking": Rule(duty(Duty.REVIEWER, Duty.STATISTICS), 404, 404),
    "GET /api/v1/community/institutions/brokers": Rule(ANYONE),
    "GET /api/v1/community/institutions/brokers/{broker_id}": Rule(ANYONE),
    "GET /api/v1/community/events/events": Rule(ANYONE),
    "GET /api/v1/community/events/events/{event_id}": Rule(ANYONE),
    "GET /api/v1/community/events/events/{event_id}/my-schedule": Rule(SIGNED_IN, 401, 403),
    "GET /api/v1/exchange/notices": Rule(ANYONE),
    "GET /api/v1/exchange/notices/{notice_id}": Rule(ANYONE),
    "GET /api/v1/exchange/questions": Rule(ANYONE),
    "GET /api/v1/insights/index/years": Rule(ANYONE),
    "GET /api/v1/insights/index/ranking": Rule(ANYONE),
    "GET /api/v1/insights/targets/": Rule(ANYONE),
    "GET /api/v1/insights/reports/": Rule(ANYONE),
    "GET /api/v1/insights/enterprises/reserve": Rule(STAFF, 403, 403),
    "GET /api/v1/insights/enterprises/{pk}": Rule(
        people("city_staff", "province_finance", "province_staff"), 403, 403
    ),
    "GET /api/v1/insights/indicators": Rule(ANYONE),
    "GET /api/v1/insights/series": Rule(ANYONE),
    "GET /api/v1/insights/regions": Rule(ANYONE),
    "GET /api/v1/insights/flows": Rule(ANYONE),
    "GET /api/v1/insights/quarters": Rule(ANYONE),
    "GET /api/v1/insights/tables/{key}": Rule(NOBODY, 404, 404),
    "GET /api/v1/open-data/achievements": Rule(ANYONE),
    "GET /api/v1/open-data/demands": Rule(ANYONE),
    "GET /api/v1/open-data/deals": Rule(ANYONE),
    "GET /api/v1/open-data/projects": Rule(ANYONE),
    "GET /api/v1/open-data/statistics": Rule(ANYONE),
    # Writes: listed so that none is forgotten; who may write is tested by each app and the fuzz.
    "POST /api/v1/organisations": WRITE,
    "POST /api/v1/organisations/{org_id}/verify": WRITE,
    "POST /api/v1/organisations/{org_id}/return": WRITE,
    "POST /api/v1/organisations/{org_id}/resubmit": WRITE,
    "POST /api/v1/organisations/{org_id}/documents": WRITE,  # its admins, while 待审核/已退回
    "POST /api/v1/organisations/{org_id}/members": WRITE,
    "POST /api/v1/organisations/{org_id}/join": WRITE,
    "POST /api/v1/organisations/{org_id}/leave": WRITE,
    "POST /api/v1/invitations/{invitation_id}/{action}": WRITE,
    "POST /api/v1/staff/assignments": WRITE,
    "POST /api/v1/tokens": WRITE,
    "POST /api/v1/catalog/achievements": WRITE,
    "PUT /api/v1/catalog/achievements/{pk}": WRITE,
    "POST /api/v1/catalog/demands": WRITE,
    "PUT /api/v1/catalog/demands/{pk}": WRITE,
    "POST /api/v1/catalog/demands/{pk}/invitations": WRITE,
    "POST /api/v1/catalog/achievements/{pk}/submit": WRITE,
    "POST /api/v1/catalog/achievements/{pk}/publish": WRITE,
    "POST /api/v1/catalog/achievements/{pk}/return": WRITE,
    "POST /api/v1/catalog/achievements/{pk}/close": WRITE,
    "POST /api/v1/catalog/demands/{pk}/submit": WRITE,
    "POST /api/v1/catalog/demands/{pk}/publish": WRITE,
    "POST /api/v1/catalog/demands/{pk}/return": WRITE,
    "POST /api/v1/catalog/demands/{pk}/close": WRITE,
    "POST /api/v1/search/novelty": WRITE,
    "POST /api/v1/search/saved": WRITE,
    "DELETE /api/v1/search/saved/{pk}": WRITE,
    "POST /api/v1/market/auctions": WRITE,
    "POST /api/v1/market/auctions/{auction_id}/bids": WRITE,
    "POST /api/v1/market/auctions/{auction_id}/registrations": WRITE,
    "POST /api/v1/market/registrations/{registration_id}/deposit": WRITE,
    "POST /api/v1/market/listings": WRITE,
    "POST /api/v1/market/listings/{listing_id}/intents": WRITE,
    "POST /api/v1/market/listings/{listing_id}/withdraw": WRITE,
    "POST /api/v1/market/negotiations": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/messages": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/offers": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/accept": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/broker": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/broker/accept": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/broker/decline": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/broker/withdraw": WRITE,
    "POST /api/v1/market/negotiations/{negotiation_id}/close": WRITE,
    "POST /api/v1/market/deals/{deal_id}/contract": WRITE,
    "POST /api/v1/contracts": WRITE,
    "PUT /api/v1/contracts/{contract_id}": WRITE,
    "POST /api/v1/contracts/{contract_id}/attachment": WRITE,
    "POST /api/v1/contracts/{contract_id}/transitions": WRITE,
    "POST /api/v1/policy/calculate": WRITE,
    "POST /api/v1/policy/entitlements/{entitlement_id}/transitions": WRITE,
    "POST /api/v1/policy/applications": WRITE,
    "POST /api/v1/policy/applications/{application_id}/submit": WRITE,
    "POST /api/v1/policy/applications/{application_id}/review": WRITE,
    "PUT /api/v1/policy/distribution-scheme": WRITE,
    "POST /api/v1/policy/distributions": WRITE,
    "POST /api/v1/vouchers/pools": WRITE,
    "POST /api/v1/vouchers/pools/{pool_id}/adjust": WRITE,
    "POST /api/v1/vouchers/certifications": WRITE,
    "POST /api/v1/vouchers/certifications/import": WRITE,
    "POST /api/v1/vouchers/applications": WRITE,
    "POST /api/v1/vouchers/applications/{application_id}/approve": WRITE,
    "POST /api/v1/vouchers/applications/{application_id}/{move}": WRITE,
    "POST /api/v1/vouchers/vouchers": WRITE,
    "POST /api/v1/vouchers/vouchers/{voucher_id}/revoke": WRITE,
    "POST /api/v1/vouchers/services": WRITE,
    "POST /api/v1/vouchers/services/{service_id}/{move}": WRITE,
    "POST /api/v1/vouchers/relations": WRITE,
    "POST /api/v1/vouchers/orders": WRITE,
    "POST /api/v1/vouchers/orders/{order_id}/claim": WRITE,
    "POST /api/v1/vouchers/orders/{order_id}/settle": WRITE,
    "POST /api/v1/vouchers/orders/{order_id}/{move}": WRITE,
    "POST /api/v1/facilities/instruments": WRITE,
    "POST /api/v1/facilities/instruments/{instrument_id}/prices": WRITE,
    "POST /api/v1/facilities/instruments/{instrument_id}/maintenance": WRITE,
    "POST /api/v1/facilities/bookings": WRITE,
    "POST /api/v1/facilities/bookings/{booking_id}/usage": WRITE,
    "POST /api/v1/facilities/bookings/{booking_id}/rating": WRITE,
    "POST /api/v1/facilities/bookings/{booking_id}/{move}": WRITE,
    "POST /api/v1/programs/patent-pool/tracked/{patent_id}/offer": WRITE,
    "POST /api/v1/programs/patent-pool/cases/{case_id}/acquire": WRITE,
    "POST /api/v1/programs/patent-pool/cases/{case_id}/refuse": WRITE,
    "POST /api/v1/programs/assignments/{pk}/swap": WRITE,
    "POST /api/v1/community/events/events/{event_id}/registrations": WRITE,
    "POST /api/v1/exchange/questions": WRITE,
    "POST /api/v1/exchange/questions/{question_id}/answer": WRITE,
}

TABLE: dict[str, Rule] = PAGES | API
