from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.community.events.states import EventKind, Outcome
from zhouqiao.core import clock
from zhouqiao.core.forms import ShowsEveryError

DATETIME = {"type": "datetime-local"}
FORMAT = "%Y-%m-%dT%H:%M"


def _dt(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs=DATETIME, format=FORMAT),
    )


class EventForm(ShowsEveryError, forms.Form):
    publisher = forms.ChoiceField(label=_("发布单位"))
    title = forms.CharField(label=_("活动名称"), max_length=200)
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    agenda = forms.CharField(label=_("活动议程"), widget=forms.Textarea(attrs={"rows": 5}))
    place = forms.CharField(label=_("活动地点"), max_length=200)
    starts_at = _dt(_("开始时间"))
    ends_at = _dt(_("结束时间"))
    registration_deadline = _dt(_("报名截止时间"))
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100_000)
    audience = forms.CharField(label=_("面向对象"), max_length=200)
    meeting_start = _dt(_("一对一洽谈开始时间（对接会，可选）"), required=False)
    slot_count = forms.IntegerField(
        label=_("洽谈场次（对接会，可选）"), min_value=0, max_value=48, required=False
    )
    slot_minutes = forms.IntegerField(
        label=_("每场洽谈时长（分钟）"), min_value=5, max_value=240, initial=20, required=False
    )
    tables = forms.IntegerField(
        label=_("洽谈桌数（对接会，可选）"), min_value=0, max_value=500, required=False
    )

    def __init__(self, *args, publishers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].choices = list(publishers)

    def service_errors(self, data):
        """The service's own checks (times in order, deadline ahead, one-to-one slots inside the
        event) on what parsed."""
        from zhouqiao.community.events.services import event_errors

        return event_errors(data, clock.now())[1]


class RegisterForm(forms.Form):
    organisation_id = forms.TypedChoiceField(
        label=_("报名单位"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("报名说明（可选）"), max_length=500, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_id"].choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) <= 1:
            self.fields["organisation_id"].widget = forms.HiddenInput()
            if organisations:
                self.fields["organisation_id"].initial = organisations[0].pk


class RoadshowForm(forms.Form):
    achievement = forms.TypedChoiceField(label=_("路演成果"), coerce=int)
    starts_at = _dt(_("路演时间"))
    minutes = forms.IntegerField(label=_("路演时长（分钟）"), min_value=5, max_value=240, initial=15)
    speaker = forms.CharField(label=_("路演人（可选）"), max_length=64, required=False)

    def __init__(self, *args, achievements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievement"].choices = [(a.pk, f"{a.title}（{a.owner}）") for a in achievements]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("洽谈结果"), choices=Outcome.choices)
    note = forms.CharField(label=_("结果说明（可选）"), max_length=500, required=False)
