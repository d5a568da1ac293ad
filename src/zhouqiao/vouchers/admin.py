"""Read-only admin views: every change goes through the services (ledger, locks, audit)."""

from django.contrib import admin

from zhouqiao.vouchers.models import (
    Application,
    Certification,
    LedgerEntry,
    Pool,
    ProviderService,
    Redemption,
    ServiceOrder,
    Voucher,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pool)
class PoolAdmin(ReadOnly):
    list_display = ["name", "jurisdiction", "year", "category", "available"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnly):
    list_display = ["code", "enterprise", "category", "amount", "remaining", "status", "expires_on"]
    list_filter = ["status", "category"]
    search_fields = ["code", "enterprise__name"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["at", "pool", "voucher", "kind", "amount", "note"]
    list_filter = ["kind"]


for model in (Application, Certification, ProviderService, ServiceOrder, Redemption):
    admin.site.register(model, ReadOnly)
