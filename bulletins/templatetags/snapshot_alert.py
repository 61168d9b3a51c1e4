"""The blocking alert of the snapshot verification on the admin index (bulletins/snapshots.py)."""

from django import template

from bulletins.snapshots import may_see_alert, open_alert

register = template.Library()


@register.simple_tag
def snapshot_alert(user):
    """The failed check to show to a signer or an auditor, until a later verification passes."""
    if not may_see_alert(user):
        return None
    return open_alert()
