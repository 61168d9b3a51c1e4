"""站内通知: the signed-in user's notifications, opening one (marks it read) and marking read."""

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bulletins.models import Notification

PER_PAGE = 50


def notification_list_view(request):
    notifications = Notification.objects.for_user(request.user).select_related("issue")
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": "我的通知",
        "page": page,
        "unread": Notification.objects.for_user(request.user).unread().count(),
    }
    return TemplateResponse(request, "admin/notifications.html", context)


def notification_open_view(request, pk):
    """Mark the notification read and go to its issue (or back to the list if it has none)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    Notification.objects.filter(pk=notification.pk).mark_read()
    if notification.issue_id:
        return redirect("admin:bulletins_issue_change", notification.issue_id)
    return redirect("bulletins_admin:notifications")


@require_POST
def notification_mark_read_view(request):
    """标为已读: the ticked notifications, or all of them with `all`."""
    mine = Notification.objects.for_user(request.user)
    if not request.POST.get("all"):
        mine = mine.filter(pk__in=[pk for pk in request.POST.getlist("pk") if pk.isdigit()])
    count = mine.mark_read(timezone.now())
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect(reverse("bulletins_admin:notifications"))
