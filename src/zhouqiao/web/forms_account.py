"""Forms of the account pages: tokens, the second factor, invitations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.accounts.models import MemberRole, TokenScope
from zhouqiao.accounts.services import DEFAULT_TOKEN_DAYS, TOKEN_LIFETIMES


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=64)
    scope = forms.ChoiceField(
        label=_("权限"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=_("只读令牌只能查询；读写令牌还能提交和修改数据。"),
    )
    days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(d, _("%(n)d天") % {"n": d}) for d in TOKEN_LIFETIMES],
        initial=DEFAULT_TOKEN_DAYS,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("动态口令"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text=_("验证器应用当前显示的6位数字。"),
    )


class RemoveFactorForm(forms.Form):
    password = forms.CharField(label=_("登录密码"), widget=forms.PasswordInput)


class InviteForm(forms.Form):
    username = forms.CharField(label=_("被邀请人的用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    note = forms.CharField(label=_("附言"), max_length=200, required=False)


class JoinForm(forms.Form):
    note = forms.CharField(label=_("申请说明"), max_length=200, required=False)
