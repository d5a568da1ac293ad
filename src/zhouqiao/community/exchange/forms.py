"""Forms only parse; the rules are the services' (their errors come back onto the fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.community.exchange.models import NoticeKind
from zhouqiao.community.exchange.rules import POSTS
from zhouqiao.core.contact import validate_no_contact_details


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AskForm(forms.Form):
    body = forms.CharField(
        label=_("我的问题"),
        required=False,  # the service says "请填写问题内容" in Chinese
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        help_text=_("问题与回答公开显示，请勿填写联系方式等个人信息。"),
        validators=[validate_no_contact_details],
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("回答"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("回答公开显示，请勿填写电话、邮箱等联系方式。"),
        validators=[validate_no_contact_details],
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("隐藏原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=NoticeKind.choices)
    title = forms.CharField(label=_("标题"), required=False, max_length=300)
    number = forms.CharField(
        label=_("文号"), required=False, max_length=100, help_text=_("如 长科发〔2026〕12号，没有可不填")
    )
    region = forms.ChoiceField(label=_("涉及地区"), required=False)
    publish_at = forms.DateTimeField(
        label=_("发布时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("不填即立即发布；填写将来的时间即为定时发布，到时才公开显示"),
    )
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    attachments = MultipleFileField(
        label=_("附件（PDF、Office 文档或图片，每个 10 MB 以内，最多 5 个）"), required=False
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("请选择")), *regions]

    def place_errors(self, exc) -> None:
        placed = False
        for key, messages in (exc.detail or {}).items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
                placed = True
        if not placed:
            self.add_error(None, str(exc.message))


class NoticeFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), required=False)
    region = forms.ChoiceField(label=_("地区"), required=False)
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, regions=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类别")), *NoticeKind.choices]
        self.fields["region"].choices = [("", _("全部地区")), *regions]
        self.fields["year"].choices = [("", _("全部年份")), *[(y, str(y)) for y in years]]


class MessageForm(forms.Form):
    body = forms.CharField(label=_("留言"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TalkForm(MessageForm):
    organisation = forms.TypedChoiceField(label=_("以哪个机构的名义"), coerce=int)
    post = forms.ChoiceField(label=_("洽谈岗位"), choices=[(k, v) for k, v in POSTS.items()])

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        self.order_fields(["organisation", "post", "body"])
