from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import render
from django.urls import reverse_lazy

from .audit import record
from .operations import role_names


class PasswordChangeView(auth_views.PasswordChangeView):
    """The admin's change-password page, plus its audit record."""

    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("admin:password_change_done")

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}

    def form_valid(self, form):
        response = super().form_valid(form)
        record("password_change", request=self.request, obj=self.request.user)
        return response


@staff_member_required
def profile(request):
    context = {
        **admin.site.each_context(request),
        "title": "我的资料",
        "account": request.user,
        "roles": role_names(request.user),
    }
    return render(request, "admin/accounts/profile.html", context)
