"""Demo data for the policy engine: the Changchun bureau's adoption of seed 001.

Seed 001 is a 征求意见稿 (draft for comment, its line 4) and grants nothing until the bureau
records its adoption (issue 16, ruling 1). The demo records one, from 2023-01-01, so that the
demo's registrations earn their Changchun entitlements; the record says it is demo data, and the
document number is not a real one."""

import datetime as dt

from zhouqiao.policy import services

DEMO_ADOPTION = {
    "package_id": "001",
    "effective_from": dt.date(2023, 1, 1),
    "number": "演示：长春市科技局采纳记录（非真实文号）",
    "reason": "演示数据：假定市科技局自2023年1月1日起施行本政策措施（征求意见稿未署日期），以便演示登记兑现流程。",
}


def create_demo_data(*, now) -> dict[str, int]:
    services.record_adoption(now=now, **DEMO_ADOPTION)
    return {"policy adoptions": 1}
