"""The 工作台 on the admin index (bulletins/workbench.py)."""

from django import template

from bulletins.workbench import workbench

register = template.Library()


@register.simple_tag
def work_queue(user):
    return workbench(user)
