from django import forms
from django.utils.translation import gettext_lazy as _

from zhouqiao.notifications.registry import KINDS


class EmailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("同时用电子邮件提醒我"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = sorted(
            ((code, str(label)) for code, label in KINDS.items()), key=lambda c: c[0]
        )
