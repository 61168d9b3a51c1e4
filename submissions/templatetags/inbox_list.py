"""{% inbox_result_list cl %}: Django's {% result_list cl %} with the rows of submissions.admin.changelist."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_hidden_fields, result_headers
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


def inbox_result_list(cl):
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": cl.result_rows(),
    }


@register.tag(name="inbox_result_list")
def inbox_result_list_tag(parser, token):
    return InclusionAdminNode(parser, token, func=inbox_result_list, template_name="change_list_results.html",
                              takes_context=False)
