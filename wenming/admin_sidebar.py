"""{% nav_sidebar %}: Django's admin/nav_sidebar.html, rendered once per app list, language and current page.

The sidebar (some 20 links with their translated labels) is the same on every admin page of a user
but for the “current” marks of the app and model the page belongs to. Its HTML is kept under a key
made of everything admin/app_list.html reads there: the apps' and models' labels and addresses, the
language, and which of those addresses the page's path contains (as the template's
`request.path|urlencode` test). tests/test_admin_site.py compares it with Django's rendering.
"""

from django import template
from django.template.defaultfilters import urlencode
from django.utils.translation import get_language

MAX_SIDEBARS = 1000

register = template.Library()
_sidebars = {}


@register.simple_tag(takes_context=True)
def nav_sidebar(context):
    apps = context.get("available_apps") or []
    path = urlencode(context["request"].path)
    key = (get_language(), tuple(
        (app["app_label"], str(app["name"]), app["app_url"], app["app_url"] in path, tuple(
            (model["object_name"], str(model["name"]), model["admin_url"], model["add_url"],
             bool(model["admin_url"]) and model["admin_url"] in path)
            for model in app["models"]
        )) for app in apps
    ))
    html = _sidebars.get(key)
    if html is None:
        html = context.template.engine.get_template("admin/nav_sidebar.html").render(context)
        if len(_sidebars) >= MAX_SIDEBARS:
            _sidebars.clear()
        _sidebars[key] = html
    return html
