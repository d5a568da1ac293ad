import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts import recovery
from zhouqiao.accounts.models import EXCLUSIVE_DUTIES, Duty, OrganisationKind
from zhouqiao.core import clock
from zhouqiao.web.widgets import DateInput, RegionField


class RegistrationForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)
    with_organisation = forms.BooleanField(label=_("同时注册机构"), required=False, initial=True)
    org_name = forms.CharField(label=_("机构名称"), max_length=128, required=False)
    org_kind = forms.ChoiceField(
        label=_("机构类型"),
        required=False,
        choices=[("", "—")] + [c for c in OrganisationKind.choices if c[0] != OrganisationKind.GOVERNMENT],
    )
    org_credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    org_region = RegionField(label=_("所在地区"), min_level="city", required=False)
    org_contact_phone = forms.CharField(label=_("机构联系电话"), max_length=20, required=False)
    org_document = forms.FileField(
        label=_("营业执照（或事业单位法人证书）副本扫描件"),
        required=False,
        help_text=_(
            "注册机构时须上传：PDF、JPG或PNG，不超过10MB（只注册个人账号、之后加入已有机构的无需上传）"
        ),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    # Consent to the privacy notice (《个人信息保护法》第十四条), unticked until the person ticks it.
    privacy_consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息保护政策》"),
        error_messages={"required": _("注册须阅读并同意个人信息保护政策。")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("两次输入的密码不一致。"))
        return data

    def organisation_data(self) -> dict | None:
        d = self.cleaned_data
        if not d.get("with_organisation"):
            return None
        return {
            "name": d.get("org_name", ""),
            "kind": d.get("org_kind", ""),
            "credit_code": d.get("org_credit_code", ""),
            "region": d.get("org_region", ""),
            "contact_phone": d.get("org_contact_phone", ""),
            "contact_name": d.get("display_name", ""),
        }


class OrganisationEditForm(forms.Form):
    """An organisation's registration data, as its admin corrects it before verification."""

    name = forms.CharField(label=_("机构名称"), max_length=128)
    kind = forms.ChoiceField(
        label=_("机构类型"),
        choices=[("", "—")] + [c for c in OrganisationKind.choices if c[0] != OrganisationKind.GOVERNMENT],
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    region = RegionField(label=_("所在地区"), min_level="city")
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=64, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    contact_email = forms.CharField(label=_("联系邮箱"), max_length=254, required=False)
    website = forms.URLField(label=_("网址"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def for_organisation(cls, org, data=None):
        initial = {name: getattr(org, name) for name in cls.base_fields if name != "region"}
        initial["region"] = org.region_id
        return cls(data, initial=initial)


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("营业执照（或事业单位法人证书）副本扫描件"),
        help_text=_("PDF、JPG或PNG，不超过10MB"),
        error_messages={"required": _("请选择要上传的扫描件。")},
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput)
    new_password_again = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("两次输入的密码不一致。"))
        return data


class PersonPickerWidget(forms.TextInput):
    """A text input for a person: type a name, pick from the suggestions ("张三（zhangsan）",
    with their organisation); the list follows what is typed (``web:person_suggestions``, the
    code pickers' script)."""

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"].update(
            {
                "list": f"{widget['attrs'].get('id') or name}_suggestions",
                "autocomplete": "off",
                "placeholder": str(_("输入姓名，从列表中选择")),
                "data-suggest-url": reverse("web:person_suggestions"),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        from django.templatetags.static import static
        from django.utils.html import format_html

        html = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id') or name}_suggestions"
        return format_html(
            '{}<datalist id="{}"></datalist><script src="{}" defer></script>',
            html,
            list_id,
            static("zhouqiao/pickers.js"),
        )


PICKED = re.compile(r"^(?P<name>.*)（(?P<username>[^（）]+)）$")


class GrantForm(forms.Form):
    person = forms.CharField(label=_("人员"), max_length=200, widget=PersonPickerWidget())
    jurisdiction = RegionField(label=_("管辖区域"), min_level="province")
    # the three administrators' duties are not granted here (三员分立: services.grant_duty refuses them)
    duty = forms.ChoiceField(
        label=_("职责"),
        choices=[("", "—"), *((v, label) for v, label in Duty.choices if v not in EXCLUSIVE_DUTIES)],
    )

    def clean_person(self) -> str:
        """The login name of the person meant: picked from the list ("张三（zhangsan）"), or typed as a
        name that only one person has, or as the login name itself."""
        from zhouqiao.accounts.models import User

        text = self.cleaned_data["person"].strip()
        picked = PICKED.match(text)
        if picked and User.objects.filter(username=picked["username"]).exists():
            return picked["username"]
        if User.objects.filter(username=text).exists():
            return text
        named = list(
            User.objects.filter(display_name=text, is_active=True).values_list("username", flat=True)[:2]
        )
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                _("有不止一位人员名为“%(name)s”，请从建议列表中选择（括号内为其用户名）。"),
                params={"name": text},
            )
        raise forms.ValidationError(
            _("找不到人员“%(name)s”，请输入姓名并从建议列表中选择。"), params={"name": text}
        )


class GrantFilterForm(forms.Form):
    person = forms.CharField(label=_("人员"), max_length=64, required=False)
    region = forms.ChoiceField(label=_("管辖区域"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        from zhouqiao.accounts.selectors import jurisdiction_name

        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部区域"))] + [
            (r.code, jurisdiction_name(r)) for r in regions
        ]


def _audit_action_choices():
    from zhouqiao.core.audit_labels import action_label, known_codes

    return [("", _("全部动作"))] + [(code, action_label(code)) for code in sorted(known_codes())]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("动作"), required=False, choices=_audit_action_choices)
    actor = forms.CharField(
        label=_("操作人"), required=False, widget=forms.TextInput(attrs={"placeholder": _("姓名或用户名")})
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=64)


class ResetRequestForm(PasswordResetForm):
    """Django's reset request; each link mailed is audited. The page says the same whether or not
    the address is registered."""

    email = forms.EmailField(
        label=_("注册时填写的电子邮箱"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请输入正确的电子邮箱地址。")},
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
        recovery.record_reset_mail(user=context["user"], now=clock.now())


class NewPasswordForm(SetPasswordForm):
    """Django's new-password form with the site's labels; the write is ``recovery.reset_password``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password1"].help_text = ""
