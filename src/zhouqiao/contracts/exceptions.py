from django.utils.translation import gettext_lazy as _

NOT_ALLOWED = _("您无权办理此合同登记事项。")
