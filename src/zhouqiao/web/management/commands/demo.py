from django.core.management.base import BaseCommand

from zhouqiao.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_ACCOUNTS, DEMO_TOTP_SECRET, create_demo_accounts
from zhouqiao.catalog.demo import create_demo_data as create_demo_catalog
from zhouqiao.community.demo import create_demo_data as create_demo_community
from zhouqiao.community.events.demo import create_demo_data as create_demo_events
from zhouqiao.community.exchange.demo import create_demo_data as create_demo_exchange
from zhouqiao.community.institutions.demo import create_demo_data as create_demo_institutions
from zhouqiao.contracts.demo import create_demo_data as create_demo_contracts
from zhouqiao.core import clock
from zhouqiao.core.reference import load_reference_data
from zhouqiao.facilities.demo import create_demo_data as create_demo_facilities
from zhouqiao.insights.demo import create_demo_data as create_demo_insights
from zhouqiao.insights.enterprises.demo import create_demo_data as create_demo_enterprises
from zhouqiao.insights.innovation_index.demo import create_demo_data as create_demo_innovation_index
from zhouqiao.insights.reports.demo import create_demo_data as create_demo_annual_reports
from zhouqiao.insights.targets.demo import create_demo_data as create_demo_targets
from zhouqiao.market.demo import create_demo_data as create_demo_market
from zhouqiao.policy.demo import create_demo_data as create_demo_policy
from zhouqiao.programs.challenges.demo import create_demo_data as create_demo_challenges
from zhouqiao.programs.demo import create_demo_data as create_demo_calls
from zhouqiao.programs.patent_pool.demo import create_demo_data as create_demo_patent_pool
from zhouqiao.programs.projects.demo import create_demo_data as create_demo_projects
from zhouqiao.search.demo import create_demo_data as create_demo_search
from zhouqiao.vouchers.demo import create_demo_data as create_demo_vouchers

# Each domain that has demo data contributes one ``create_demo_data(*, now) -> dict[str, int]``,
# run in this order (later ones build on earlier ones). Each must be safe to re-run.
DEMO_STEPS = [
    create_demo_accounts,
    create_demo_policy,  # the bureau's adoption of seed 001 (a draft) before any registration
    create_demo_catalog,
    create_demo_contracts,
    create_demo_market,
    create_demo_vouchers,
    create_demo_facilities,
    create_demo_community,  # experts (reviewers of calls and challenges)
    create_demo_challenges,
    create_demo_calls,
    create_demo_projects,
    create_demo_patent_pool,
    create_demo_insights,  # five years of registered contracts across the regions
    create_demo_institutions,  # brokers and filed transfer institutions (deal histories from the above)
    create_demo_events,
    create_demo_exchange,
    create_demo_targets,
    create_demo_innovation_index,
    create_demo_enterprises,
    create_demo_annual_reports,
    create_demo_search,  # last: demo patents, then indexes what the steps above published
]


class Command(BaseCommand):
    help = "Load reference data and the Jilin demo data (sample organisations, one account per role). Safe to re-run."

    def handle(self, *args, **options):
        for name, count in load_reference_data().items():
            self.stdout.write(f"reference {name}: {count}")
        now = clock.now()
        for step in DEMO_STEPS:
            for name, count in step(now=now).items():
                self.stdout.write(f"demo {name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Every demo account's password: {DEMO_PASSWORD}"))
        self.stdout.write(
            f"The administrators ({', '.join(DEMO_TOTP_ACCOUNTS)}) also enter a TOTP code: "
            f"secret {DEMO_TOTP_SECRET} in an authenticator app (see README)."
        )
