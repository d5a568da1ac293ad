"""Forms only parse; the rules are the services' (their errors come back onto the fields)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.community.services import ConflictInput, ExpertData
from zhouqiao.core.models import RegionLevel
from zhouqiao.web.widgets import CodePickerWidget, RegionField

TEXTAREA = forms.Textarea(attrs={"rows": 4})
_SPLIT = re.compile(r"[，,;；]")


def _lines(text: str) -> list[tuple[str, str]]:
    """ "名称，原因" per line → (名称, 原因); blank lines skipped."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = _SPLIT.split(line, maxsplit=1)
        name = parts[0].strip()
        reason = parts[1].strip() if len(parts) > 1 else ""
        out.append((name, reason))
    return out


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    organisation = forms.TypedChoiceField(label=_("工作单位"), coerce=int)
    title = forms.CharField(
        label=_("职称"), max_length=64, required=False, help_text=_("如 教授、研究员、高级工程师")
    )
    discipline_1 = forms.CharField(
        label=_("学科领域（GB/T 13745）"), max_length=8, required=False, widget=CodePickerWidget("discipline")
    )
    discipline_2 = forms.CharField(
        label=_("第二学科领域"), max_length=8, required=False, widget=CodePickerWidget("discipline")
    )
    discipline_3 = forms.CharField(
        label=_("第三学科领域"), max_length=8, required=False, widget=CodePickerWidget("discipline")
    )
    industry_1 = forms.CharField(
        label=_("行业领域（GB/T 4754）"), max_length=8, required=False, widget=CodePickerWidget("industry")
    )
    industry_2 = forms.CharField(
        label=_("第二行业领域"), max_length=8, required=False, widget=CodePickerWidget("industry")
    )
    keywords = forms.CharField(
        label=_("研究方向关键词"),
        max_length=255,
        required=False,
        help_text=_("多个用顿号分隔，如 碳化硅、功率器件"),
    )
    profile = forms.CharField(label=_("简介与主要成果"), required=False, widget=TEXTAREA)
    region = RegionField(label=_("所在地区"), min_level=RegionLevel.CITY)
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False, help_text=_("仅本人和主管部门项目管理人员可见")
    )
    email = forms.CharField(label=_("联系邮箱"), max_length=254, required=False)
    available = forms.BooleanField(label=_("目前可以参加评审"), required=False, initial=True)
    conflict_organisations = forms.CharField(
        label=_("回避单位"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个机构全称，可在逗号后写原因，如：长春某某科技有限公司，曾任技术顾问"),
    )
    conflict_people = forms.CharField(
        label=_("回避人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个姓名，可在逗号后写原因，如：李某，近亲属"),
    )

    FIELD_OF = {
        "disciplines": "discipline_1",
        "industries": "industry_1",
    }

    def __init__(self, *args, organisations=(), actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        choices = [(o.pk, o.name) for o in organisations]
        self.fields["organisation"].choices = choices
        if len(choices) == 1:
            self.fields["organisation"].initial = choices[0][0]

    @classmethod
    def initial_from(cls, expert) -> dict:
        disciplines = list(expert.disciplines.values_list("code", flat=True))
        industries = list(expert.industries.values_list("code", flat=True))
        conflicts = list(expert.declared_conflicts.select_related("organisation").order_by("pk"))

        def line(name, reason):
            return f"{name}，{reason}" if reason else name

        initial = {
            "name": expert.name,
            "organisation": expert.organisation_id,
            "title": expert.title,
            "keywords": expert.keywords,
            "profile": expert.profile,
            "region": expert.region_id,
            "phone": expert.phone,
            "email": expert.email,
            "available": expert.available,
            "conflict_organisations": "\n".join(
                line(c.organisation.name, c.reason) for c in conflicts if c.organisation_id
            ),
            "conflict_people": "\n".join(
                line(c.person_name, c.reason) for c in conflicts if not c.organisation_id
            ),
        }
        for n, code in enumerate(disciplines[:3], start=1):
            initial[f"discipline_{n}"] = code
        for n, code in enumerate(industries[:2], start=1):
            initial[f"industry_{n}"] = code
        return initial

    def _conflict_rows(self):
        data = self.cleaned_data
        orgs = [
            ConflictInput(organisation=n, reason=r) for n, r in _lines(data.get("conflict_organisations"))
        ]
        people = [ConflictInput(person=n, reason=r) for n, r in _lines(data.get("conflict_people"))]
        return orgs, people

    def to_data(self) -> ExpertData:
        data = self.cleaned_data
        orgs, people = self._conflict_rows()
        return ExpertData(
            name=data.get("name", ""),
            organisation_id=data.get("organisation"),
            region=data.get("region") or "",
            disciplines=[data.get(f"discipline_{n}") or "" for n in (1, 2, 3)],
            industries=[data.get(f"industry_{n}") or "" for n in (1, 2)],
            title=data.get("title", ""),
            keywords=data.get("keywords", ""),
            profile=data.get("profile", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            available=bool(data.get("available")),
            conflicts=[*orgs, *people],
        )

    def clean(self):
        """When the form's own checks fail, the service's checks run too (``actor`` given), so that
        one submission shows every problem beside its field, not one round at a time."""
        data = super().clean()
        if self.actor is not None and self.errors:
            from zhouqiao.community.services import profile_errors

            self.place_errors(detail=profile_errors(self.actor, self.to_data()), only_new=True)
        return data

    def place_errors(self, exc=None, *, detail=None, only_new=False) -> None:
        """Put a service's errors on the fields they concern (a conflict row on its text box);
        ``only_new``: not on a field that already shows an error of the form's own."""
        orgs, _people = self._conflict_rows()
        placed = False
        for key, messages in ((exc.detail or {}) if exc is not None else (detail or {})).items():
            if key.startswith("conflicts."):
                index = int(key.split(".", 1)[1])
                name = "conflict_organisations" if index < len(orgs) else "conflict_people"
            else:
                name = self.FIELD_OF.get(key, key)
            if only_new and name in self.errors:
                continue
            for message in messages:
                if name in self.fields:
                    self.add_error(name, message)
                else:
                    self.add_error(None, message)
                placed = True
        if not placed and exc is not None:
            self.add_error(None, str(exc.message))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    discipline = forms.CharField(
        label=_("学科领域"), required=False, max_length=8, widget=CodePickerWidget("discipline")
    )
    industry = forms.CharField(
        label=_("行业领域"), required=False, max_length=8, widget=CodePickerWidget("industry")
    )
    region = forms.ChoiceField(label=_("所在地区"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部地区")), *regions]


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("意见或原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InviteForm(forms.Form):
    account = forms.CharField(
        label=_("受邀人的平台账户"), max_length=254, help_text=_("填写对方在平台注册的用户名或邮箱")
    )
    note = forms.CharField(
        label=_("邀请说明"), max_length=255, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TalentFilterForm(FilterForm):
    post = forms.ChoiceField(
        label=_("双融岗位"),
        required=False,
        choices=[
            ("", _("不限")),
            ("vice_president", _("可任企业科技副总")),
            ("industry_professor", _("可任高校产业教授")),
        ],
    )
    availability = forms.ChoiceField(label=_("对接意愿"), required=False)
    category = forms.ChoiceField(label=_("人才类别"), required=False)

    def __init__(self, *args, **kwargs):
        from zhouqiao.community.models import TalentAvailability, TalentCategory

        super().__init__(*args, **kwargs)
        self.fields["availability"].choices = [
            ("", _("可对接的（不含暂不对接）")),
            *TalentAvailability.choices,
        ]
        self.fields["category"].choices = [("", _("不限")), *TalentCategory.choices]


class TalentForm(forms.Form):
    category = forms.ChoiceField(label=_("人才类别"))
    vice_president = forms.BooleanField(label=_("愿到企业兼任科技副总"), required=False)
    industry_professor = forms.BooleanField(label=_("愿到高校兼职产业教授"), required=False)
    availability = forms.ChoiceField(label=_("对接意愿"))

    def __init__(self, *args, **kwargs):
        from zhouqiao.community.models import TalentAvailability, TalentCategory

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = TalentCategory.choices
        self.fields["availability"].choices = TalentAvailability.choices
