from django.contrib import admin

from zhouqiao.facilities.models import Booking, Instrument, InstrumentPhoto


class PhotoInline(admin.TabularInline):
    model = InstrumentPhoto
    extra = 1


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    """Photos are uploaded here; everything else goes through the services and pages."""

    list_display = ["name", "owner", "category", "value", "is_listed"]
    list_filter = ["category", "is_listed"]
    search_fields = ["name", "owner__name"]
    inlines = [PhotoInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Instrument._meta.fields]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["instrument", "organisation", "starts_at", "ends_at", "status"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
