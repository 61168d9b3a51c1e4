from django import template

from bulletins.models import Notification

register = template.Library()


@register.simple_tag
def unread_notification_count(user):
    """The number in the admin header's 通知 link: one COUNT query per admin page."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.for_user(user).unread().count()
