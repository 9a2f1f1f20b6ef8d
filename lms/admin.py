from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, ProgrammeManagerScope, User


class ProgrammeManagerScopeInline(admin.StackedInline):
    model = ProgrammeManagerScope
    can_delete = True
    filter_horizontal = ["organisations"]
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff grant roles here: groups (trainer, programme manager, content editor) or superuser."""

    ordering = ["email"]
    list_display = ["email", "full_name", "country", "organisation", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "groups", "sex", "country"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["consent_at", "consent_policy_version", "date_joined", "last_login"]
    inlines = [ProgrammeManagerScopeInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "full_name",
                    "sex",
                    "year_of_birth",
                    "country",
                    "organisation",
                    "preferred_language",
                ]
            },
        ),
        (_("Roles"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (
            _("Consent and dates"),
            {"fields": ["consent_at", "consent_policy_version", "date_joined", "last_login"]},
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "country", "created_by", "created_at"]
    list_filter = ["type", "country"]
    search_fields = ["name"]
    actions = ["merge_into_oldest"]

    @admin.action(description=_("Merge the selected organisations into the oldest one"))
    def merge_into_oldest(self, request, queryset):
        from .services import organisation_merge

        selected = list(queryset.order_by("created_at", "pk"))
        if len(selected) < 2:
            self.message_user(request, _("Select at least two organisations to merge."),
                              level=messages.WARNING)
            return
        keep = organisation_merge(keep=selected[0], duplicates=selected[1:])
        self.message_user(request, _("Merged into %(name)s.") % {"name": keep})
