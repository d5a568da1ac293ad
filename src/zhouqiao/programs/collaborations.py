"""Joint applications as collaborations for the conflict rules (``community.conflicts``): the lead
and each partner of a submitted application worked together from the day it was submitted."""

from django.utils.translation import gettext_lazy as _

from zhouqiao.community.conflicts import collaboration_source


@collaboration_source(label=_("联合申报项目"))
def joint_applications(organisation_ids, since):
    from django.db.models import Q

    from zhouqiao.programs.models import Partner
    from zhouqiao.programs.states import ApplicationStatus

    return (
        Partner.objects.filter(
            Q(organisation_id__in=organisation_ids) | Q(application__lead_id__in=organisation_ids),
            application__submitted_at__gte=since,
        )
        .exclude(application__status=ApplicationStatus.DRAFT)
        .values_list("application__lead_id", "organisation_id")
    )
