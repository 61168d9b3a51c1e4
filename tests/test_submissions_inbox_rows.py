"""The inbox's rows and unit filter are built the cheap way (submissions/admin/changelist.py, filters.py)
and must read exactly as Django's own admin would show them."""

import pytest
from django.contrib.admin.templatetags.admin_list import results
from django.template.loader import get_template
from django.utils import translation

from accounts.roles import EDITOR
from submissions import workflow
from submissions.admin.filters import SentUnitFilter

from .factories import make_correspondent, make_issue, make_staff, make_submission, make_unit, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff(EDITOR)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def django_rows(cl):
    return ["".join(str(cell) for cell in row) for row in results(cl)]


def our_rows(cl):
    return ["".join(str(cell) for cell in row) for row in cl.result_rows()]


@pytest.mark.parametrize("query", ["", "?state__exact=submitted", "?q=交通&o=-4", "?unit__id__exact={unit}"])
def test_the_rows_read_as_djangos_own(editor_client, editor, query):
    correspondent = make_correspondent(make_unit(name="市文明办<测试>", short_names=""))
    make_submission(correspondent, state="submitted", title="文明交通<劝导>&宣传")
    make_submission(correspondent, state="not_adopted", title="交通  ", section_wanted=section())
    adopted = make_submission(correspondent, state="submitted", title="交通志愿服务")
    workflow.adopt([adopted], by=editor, issue=make_issue(), section=section())
    response = editor_client.get("/admin/submissions/submission/" + query.format(unit=correspondent.reporting_unit_id))
    cl = response.context["cl"]
    assert cl.result_list and our_rows(cl) == django_rows(cl)
    content = response.content.decode()
    assert all(f"<tr>{row}</tr>" in content for row in our_rows(cl))


def test_the_unit_filter_lists_only_units_that_sent_something(editor_client):
    sender = make_correspondent(make_unit(name="已报送的单位", short_names=""))
    drafter = make_correspondent(make_unit(name="只有草稿的单位", short_names=""))
    make_unit(name="没有通讯员的单位", short_names="")
    make_submission(sender, state="submitted")
    make_submission(drafter)
    content = editor_client.get("/admin/submissions/submission/").content.decode()
    assert "已报送的单位" in content
    assert "只有草稿的单位" not in content and "没有通讯员的单位" not in content


@pytest.mark.parametrize("query", ["", "?unit__id__exact={unit}", "?q=志愿+%26+<b>&state__exact=submitted",
                                   "?_facets=True", "?q=~pk~"])
def test_the_unit_filter_reads_as_djangos_own(editor_client, query):
    unit = make_unit(name="市文明办<测试>&", short_names="")
    make_submission(make_correspondent(unit), state="submitted", title="志愿 & <b>")
    make_submission(make_correspondent(make_unit(name="交通局", short_names="")), state="submitted")
    response = editor_client.get("/admin/submissions/submission/" + query.format(unit=unit.pk))
    cl = response.context["cl"]
    spec = next(spec for spec in cl.filter_specs if isinstance(spec, SentUnitFilter))

    def rendered(template_name):
        return get_template(template_name).render({"title": spec.title, "choices": list(spec.choices(cl)),
                                                   "spec": spec})

    django_own = rendered("admin/filter.html")
    assert rendered(spec.template) == django_own and "市文明办&lt;测试&gt;&amp;" in django_own
    # Built in one string except where Django's loop is kept (facet counts, a query holding the placeholder).
    assert (spec.choices_html is None) == ("_facets" in query or "~pk~" in query)
    assert django_own in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_times_read_as_djangos_own_in_either_language(editor_client, language):
    make_submission(make_correspondent(), state="submitted")
    with translation.override(language):
        cl = editor_client.get("/admin/submissions/submission/").context["cl"]
        assert our_rows(cl) == django_rows(cl)
