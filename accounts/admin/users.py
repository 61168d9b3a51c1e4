"""Account management for the 系统管理员: create, roles, deactivate, reset password, unlock."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accounts import lockout, operations
from accounts.audit import record
from accounts.models import User


class AccountForm(forms.ModelForm):
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.order_by("name"), required=False, label="角色",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = ["username", "real_name", "unit", "phone", "email", "groups", "reporting_unit"]

    def clean_groups(self):
        roles = self.cleaned_data["groups"]
        operations.check_separation_of_duties(roles)
        return roles

    def clean(self):
        cleaned = super().clean()
        if "groups" in cleaned:
            operations.check_correspondent(cleaned["groups"], cleaned.get("reporting_unit"))
        return cleaned


class AccountCreationForm(AccountForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountForm
    add_form = AccountCreationForm
    list_display = ["username", "real_name", "unit", "roles", "is_active", "login_failures", "last_login"]
    list_filter = [("groups", admin.RelatedOnlyFieldListFilter), "unit", "is_active", "last_login"]
    search_fields = ["username", "real_name", "unit", "phone"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    actions = ["deactivate_selected", "unlock_selected"]
    fieldsets = [
        (None, {"fields": ["username"]}),
        ("个人信息", {"fields": ["real_name", "unit", "phone", "email"]}),
        ("通讯员", {"fields": ["reporting_unit"]}),
        ("角色与状态", {"fields": ["groups", "is_active", "must_change_password"]}),
        ("时间", {"fields": ["last_login", "date_joined", "password_changed_at"]}),
    ]
    add_fieldsets = [
        (None, {
            "fields": ["username", "real_name", "unit", "phone", "email", "groups", "reporting_unit"],
            "description": "保存后系统生成一次性临时密码，只显示一次；用户首次登录须修改。",
        }),
    ]
    filter_horizontal = []
    change_form_template = "admin/accounts/user/change_form.html"
    add_form_template = None  # Django's says (in English) that a password comes next; ours is generated

    @admin.display(description="角色")
    def roles(self, obj):
        return "、".join(group.name for group in obj.groups.all())

    @admin.display(description="近期登录失败", ordering="recent_login_failures")
    def login_failures(self, obj):
        """Failures within the cool-off time, over all addresses: the cue to look and unlock."""
        return obj.recent_login_failures or "—"

    def get_queryset(self, request):
        queryset = (
            super().get_queryset(request)
            .prefetch_related("groups")
            .annotate(recent_login_failures=lockout.failures_by_username())
        )
        # An administrator cannot take over a superuser account by resetting its password.
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += ["groups", "is_active"]  # nobody grants themselves a role
        return fields

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit log and the issues keep the name

    def get_urls(self):
        urls = [
            path("<id>/reset-password/", self.admin_site.admin_view(self.reset_password_view),
                 name="accounts_user_reset_password"),
            path("<id>/unlock/", self.admin_site.admin_view(self.unlock_view), name="accounts_user_unlock"),
        ]
        # Django's "set any password" page is replaced by the one-time temporary password.
        return urls + [url for url in super().get_urls() if url.name != "accounts_user_password_change"]

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied

    # Saving -----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if "groups" in form.cleaned_data:
            # A correspondent works in the portal only and never enters the admin.
            obj.is_staff = not operations.is_correspondent(form.cleaned_data["groups"])
        if not change:
            obj._temporary_password = operations.set_temporary_password(obj)
            super().save_model(request, obj, form, change)
            return
        was_active = User.objects.get(pk=obj.pk).is_active
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            record("account.deactivate", request=request, obj=obj)
        elif not was_active and obj.is_active:
            record("account.activate", request=request, obj=obj)
        changed = [name for name in form.changed_data if name not in ("groups", "is_active")]
        if changed:
            labels = "、".join(str(form.fields[name].label) for name in changed)
            record("account.change", request=request, obj=obj, detail=f"修改：{labels}")

    def save_related(self, request, form, formsets, change):
        before = operations.role_names(form.instance) if change else []
        super().save_related(request, form, formsets, change)
        user = form.instance
        if change:
            operations.record_roles_change(by=request.user, request=request, user=user, before=before)
        else:
            roles = "、".join(operations.role_names(user)) or "无"
            record("account.create", request=request, obj=user, detail=f"角色：{roles}")

    def response_add(self, request, obj, post_url_continue=None):
        password = getattr(obj, "_temporary_password", None)
        if password is None:
            return super().response_add(request, obj, post_url_continue)
        return self._temporary_password_page(request, obj, password, title="账号已创建")

    def _temporary_password_page(self, request, user, password, *, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "account": user,
            "temporary_password": password,
            "opts": self.opts,
            "change_url": reverse("admin:accounts_user_change", args=[user.pk]),
        }
        response = TemplateResponse(request, "admin/accounts/user/temporary_password.html", context)
        response["Cache-Control"] = "no-store"
        return response

    # Actions and views --------------------------------------------------------

    @admin.action(description="停用所选账号", permissions=["change"])
    def deactivate_selected(self, request, queryset):
        count = 0
        for user in queryset:
            try:
                count += operations.deactivate(user, by=request.user, request=request)
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
        self.message_user(request, f"已停用 {count} 个账号。", messages.SUCCESS)

    @admin.action(description="解除所选账号的登录锁定", permissions=["unlock"])
    def unlock_selected(self, request, queryset):
        for user in queryset:
            operations.unlock(user, by=request.user, request=request)
        self.message_user(request, f"已解除 {queryset.count()} 个账号的登录锁定。", messages.SUCCESS)

    def has_unlock_permission(self, request):
        return request.user.has_perm("accounts.unlock_user")

    def reset_password_view(self, request, id):
        user = get_object_or_404(self.get_queryset(request), pk=id)
        if not request.user.has_perm("accounts.reset_password_user"):
            raise PermissionDenied
        if request.method == "POST":
            password = operations.reset_password(user, by=request.user, request=request)
            return self._temporary_password_page(request, user, password, title="密码已重置")
        context = {
            **self.admin_site.each_context(request),
            "title": "重置密码",
            "account": user,
            "opts": self.opts,
        }
        return render(request, "admin/accounts/user/reset_password.html", context)

    def unlock_view(self, request, id):
        user = get_object_or_404(self.get_queryset(request), pk=id)
        if not request.user.has_perm("accounts.unlock_user"):
            raise PermissionDenied
        if request.method == "POST":
            operations.unlock(user, by=request.user, request=request)
            self.message_user(request, f"已解除 {user} 的登录锁定。", messages.SUCCESS)
            return redirect("admin:accounts_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "解除登录锁定",
            "account": user,
            "opts": self.opts,
        }
        return render(request, "admin/accounts/user/unlock.html", context)
