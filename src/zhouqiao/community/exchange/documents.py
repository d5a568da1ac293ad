"""The five seed policy documents (shared/seeds/) as the policy page lists them. Three are encoded
as rules in ``policy/packages``; the other two (000, 004) set targets and institutions but pay no
subsidy the calculator could compute, so they are listed with no rules."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedDocument:
    seed: str
    title: str
    issuer: str
    date: str  # as the document states it
    number: str = ""


SEED_DOCUMENTS = (
    SeedDocument("000", "在长春市建立产学研协同创新机制试点工作实施方案", "吉林省人民政府", "2014-12-29"),
    SeedDocument("001", "长春市进一步加快科技创新发展的若干政策措施", "长春市人民政府（市科技局）", ""),
    SeedDocument(
        "002", "吉林省关于建立健全技术创新市场导向机制加快科技成果产业化的实施意见", "吉林省人民政府", "2014"
    ),
    SeedDocument(
        "003", "吉林市关于深入实施创新驱动发展战略加快“创新吉林”建设的意见", "吉林市人民政府", "2016-05-19"
    ),
    SeedDocument(
        "004", "吉林省技术转移体系建设方案", "吉林省人民政府", "2018-11-30", number="吉政发〔2018〕27号"
    ),
)
