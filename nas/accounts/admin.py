"""Accounts in the Django admin: roles change only through the audited service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from nas.accounts.models import User
from nas.accounts.services import user_check_role_change, user_set_roles
from nas.accounts.two_factor import ENROLMENT_DAYS, two_factor_enrolment_open
from nas.audit.models import AuditEvent
from nas.audit.services import audit_log
from nas.common.errors import DomainError
from nas.common.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, is_key

# The fields that carry privileges: set only through `user_set_roles`, never by the form.
PRIVILEGE_FIELDS = ("groups", "user_permissions", "is_staff", "is_superuser")
# The fields that scope what a user sees: every change is audited.
SCOPE_FIELDS = ("office_id", "organisation_id", "organisation_admin")


def _requested(form: forms.ModelForm, user: User) -> dict[str, Any]:
    """Return the privileges FORM asks for, read from the raw data for read-only fields.

    A read-only field is ignored by Django; reading what was posted anyway lets a forged
    request to raise one's own privileges be refused and audited rather than silently dropped.
    """
    data: Any = form.data
    cleaned = form.cleaned_data
    wanted: dict[str, Any] = {}
    if "groups" in cleaned:
        wanted["roles"] = [group.name for group in cleaned["groups"]]
    elif "groups" in data:
        ids = [v for v in data.getlist("groups") if str(v).isdigit() and is_key(v)]
        wanted["roles"] = list(Group.objects.filter(pk__in=ids).values_list("name", flat=True))
    if "user_permissions" in cleaned:
        wanted["permissions"] = [_perm_name(p) for p in cleaned["user_permissions"]]
    elif "user_permissions" in data:
        ids = [v for v in data.getlist("user_permissions") if str(v).isdigit() and is_key(v)]
        found = Permission.objects.filter(pk__in=ids).select_related("content_type")
        wanted["permissions"] = [_perm_name(p) for p in found]
    for flag in ("is_staff", "is_superuser"):
        if flag in cleaned:
            wanted[flag] = cleaned[flag]
        elif flag in data:
            wanted[flag] = forms.CheckboxInput().value_from_datadict(data, MultiValueDict(), flag)
    return wanted


def _perm_name(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "office", "is_active")
    list_filter = ("office", "groups", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Assistance system"),
            {"fields": ("office", "organisation", "organisation_admin")},
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Nobody edits their own privileges; only a superuser grants superuser status."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        if obj.pk == request.user.pk or (obj.is_superuser and not request.user.is_superuser):
            return [*fields, *PRIVILEGE_FIELDS]
        if not request.user.is_superuser:
            return [*fields, "is_superuser", "user_permissions"]
        return fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Only a superuser changes a superuser's account (its password included)."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class
        acting_user = request.user

        class CheckedForm(form_class):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                cleaned = super().clean()
                self.privileges = _requested(self, obj)
                try:
                    user_check_role_change(acting_user=acting_user, user=obj, **self.privileges)
                except DomainError as error:
                    raise forms.ValidationError(str(error.message)) from error
                return cleaned

        return CheckedForm

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", BoundedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before: dict[str, Any] = {}
        if change:
            # The flags are set by the service in save_related, which audits the change.
            stored = User.objects.filter(pk=obj.pk).values_list("is_staff", "is_superuser").get()
            obj.is_staff, obj.is_superuser = stored
            before = User.objects.filter(pk=obj.pk).values(*SCOPE_FIELDS).get()
        super().save_model(request, obj, form, change)
        after = {name: getattr(obj, name) for name in SCOPE_FIELDS}
        changed = {name: [before.get(name), after[name]] for name in SCOPE_FIELDS}
        changed = {name: pair for name, pair in changed.items() if pair[0] != pair[1]}
        if change and changed:
            # What a user may see follows their office and organisation: audited like roles.
            with transaction.atomic():
                audit_log(
                    actor=request.user,
                    kind=AuditEvent.Kind.UPDATE,
                    action="account.scope_change",
                    target=obj,
                    changes=changed,
                )
        if not change:
            # A new account sets up its authenticator app at its first sign-in.
            two_factor_enrolment_open(acting_user=request.user, user=obj)  # type: ignore[arg-type]

    @admin.action(description=_("Let the user set up two-factor sign-in again (lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            try:
                two_factor_enrolment_open(acting_user=request.user, user=user)  # type: ignore[arg-type]
            except DomainError as error:
                self.message_user(request, f"{user}: {error}", level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(user)s can set up two-factor sign-in within %(days)s days.")
                    % {"user": user, "days": ENROLMENT_DAYS},
                )

    actions = ["reset_two_factor"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for name in ("groups", "user_permissions"):
            form.cleaned_data.pop(name, None)
        super().save_related(request, form, formsets, change)
        privileges = getattr(form, "privileges", None)
        if change and privileges:
            roles = privileges.pop("roles", None)
            if roles is None:
                roles = list(form.instance.groups.values_list("name", flat=True))
            user_set_roles(acting_user=request.user, user=form.instance, roles=roles, **privileges)
