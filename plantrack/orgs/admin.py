"""Admin for the agency registry. Organisation changes are recorded and undone through their services
(plantrack.orgs.services), so their rows are read-only here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyAlias, AgencyGroup, GroupMembership, OrgChange, Succession


class AgencyAliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1
    fields = ("name",)


class MembershipOfAgencyInline(admin.TabularInline):
    model = GroupMembership
    fk_name = "agency"
    extra = 0
    fields = ("group", "valid_from", "valid_to")
    autocomplete_fields = ("group",)
    verbose_name = _("thuộc nhóm")
    verbose_name_plural = _("thuộc nhóm")


class MembershipOfGroupInline(admin.TabularInline):
    model = GroupMembership
    fk_name = "group"
    extra = 0
    fields = ("agency", "valid_from", "valid_to")
    autocomplete_fields = ("agency",)


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "abbreviations", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter), "agency_groups")
    search_fields = ("name", "short_name", "abbreviations", "aliases__name", "search_text")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("search_text", "created_at", "updated_at")
    inlines = [AgencyAliasInline, MembershipOfAgencyInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "abbreviations", "kind", "parent")}),
        (_("Hiệu lực"), {"fields": ("valid_from", "valid_to")}),
        (_("Khác"), {"fields": ("email", "note", "search_text", "created_at", "updated_at")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Aliases edited inline change the folded names used by search.
        form.instance.save(update_fields=["search_text", "updated_at"])


@admin.register(AgencyGroup)
class AgencyGroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "member_count")
    search_fields = ("name", "code", "description")
    prepopulated_fields = {"code": ("name",)}
    inlines = [MembershipOfGroupInline]

    @admin.display(description=_("số thành viên"))
    def member_count(self, obj):
        return obj.memberships.count()


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ("group", "agency", "valid_from", "valid_to")
    list_filter = ("group",)
    search_fields = ("agency__name", "group__name")
    list_select_related = ("group", "agency")
    autocomplete_fields = ("group", "agency")


class ReadOnlyAdminMixin:
    """Rows written only by services: visible and searchable, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SuccessionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Succession
    extra = 0
    fields = ("predecessor", "kind", "successor", "successor_group", "effective_date")
    readonly_fields = fields


@admin.register(OrgChange)
class OrgChangeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "effective_date", "legal_basis", "date_is_uncertain", "undone_at")
    list_filter = ("kind", "date_is_uncertain", ("undone_at", admin.EmptyFieldListFilter))
    search_fields = ("legal_basis", "note", "successions__predecessor__name", "successions__successor__name")
    date_hierarchy = "effective_date"
    inlines = [SuccessionInline]


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("predecessor", "kind", "successor", "successor_group", "effective_date", "legal_basis")
    list_filter = ("kind", "effective_date")
    search_fields = ("predecessor__name", "successor__name", "successor_group__name", "legal_basis")
    list_select_related = ("predecessor", "successor", "successor_group")


@admin.register(AgencyAlias)
class AgencyAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "agency")
    search_fields = ("name", "folded", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    readonly_fields = ("folded",)
