"""Restoring a revision brings back every relation, after a confirmation page that lists the changes."""

import pytest
import reversion
from django.urls import reverse

from bulletins import workflow
from bulletins.models import Entry, EntryPerson, Issue
from bulletins.revisions import save_revision, versions_of

from .factories import link_person, make_entry, make_issue, make_person, make_staff, make_unit, section

pytestmark = pytest.mark.django_db

IMAGE = '<p>市残联开展助残志愿服务。</p><p><img src="/media/images/2023/04/abc.jpg" alt="志愿者"></p>'


def snapshot(issue, user, comment):
    with reversion.create_revision(manage_manually=True):
        save_revision(issue, user=user, comment=comment)
    return versions_of(issue).first()


def relations(issue):
    """Everything the public page shows of an issue's entries, in reading order."""
    return [
        (entry.section.name, entry.order, entry.body, entry.date_text,
         [(link.person.name, link.title_as_written, link.order) for link in entry.entry_people.all()],
         sorted(unit.name for unit in entry.units.all()))
        for entry in Entry.objects.filter(issue=issue).order_by("section__order", "order", "id")
    ]


@pytest.fixture
def editor():
    return make_staff("编辑")


@pytest.fixture
def rich_issue():
    issue = make_issue()
    tao, gao = make_person("陶斌", "市委常委、宣传部部长"), make_person("高鹏凌", "市委副书记、市长")
    disabled, tax = make_unit(), make_unit("国家税务总局巴中市税务局", "市税务局")
    first = make_entry(issue, body="<p>近日，市委常委、宣传部部长陶斌督导创文。</p>", order=1, date_text="近日")
    link_person(first, tao, "市委常委、宣传部部长")
    link = link_person(first, gao, "市长")
    link.order = 1
    link.save()
    second = make_entry(issue, section_name="单位行动", body=IMAGE, order=1)
    second.units.add(disabled, tax)
    return issue


def mess_up(issue):
    """What a later edit might do: drop links, reorder, delete one entry, add another."""
    first, second = Entry.objects.filter(issue=issue).order_by("section__order")
    EntryPerson.objects.filter(entry=first).delete()
    second.units.clear()
    second.body = "<p>改写后的文字。</p>"
    second.order = 5
    second.save()
    first.delete()
    make_entry(issue, section_name="一线经验", body="<p>新加的条目。</p>")
    issue.version += 1
    issue.save()


def test_restore_round_trips_every_relation(rich_issue, editor):
    before = relations(rich_issue)
    assert before[0][4] == [("陶斌", "市委常委、宣传部部长", 0), ("高鹏凌", "市长", 1)]
    old = snapshot(rich_issue, editor, "新建")
    mess_up(rich_issue)
    snapshot(rich_issue, editor, "修改")
    assert relations(rich_issue) != before

    workflow.restore(old, by=editor)

    assert relations(rich_issue) == before
    assert Issue.objects.get(pk=rich_issue.pk).status == Issue.Status.DRAFT


def test_restore_twice_in_a_row_still_keeps_every_relation(rich_issue, editor):
    before = relations(rich_issue)
    old = snapshot(rich_issue, editor, "新建")
    mess_up(rich_issue)
    newer = snapshot(rich_issue, editor, "修改")
    workflow.restore(old, by=editor)
    workflow.restore(newer, by=editor)
    workflow.restore(old, by=editor)
    assert relations(rich_issue) == before


def restore_url(issue, version):
    return reverse("admin:bulletins_issue_restore", args=[issue.pk, version.pk])


def test_restore_page_lists_what_will_change_and_writes_nothing(client, rich_issue, editor):
    client.force_login(editor)
    old = snapshot(rich_issue, editor, "新建")
    mess_up(rich_issue)
    snapshot(rich_issue, editor, "修改")
    current = relations(rich_issue)

    response = client.get(restore_url(rich_issue, old))

    html = response.content.decode()
    assert response.status_code == 200
    assert "确认恢复" in html
    assert "新加的条目" in html and "删除" in html  # the entry added since will go
    assert "陶斌" in html and "市委常委、宣传部部长" in html  # the links that come back
    assert "市残疾人联合会" in html
    assert relations(rich_issue) == current


def test_confirmed_restore_brings_the_relations_back(client, rich_issue, editor):
    client.force_login(editor)
    before = relations(rich_issue)
    old = snapshot(rich_issue, editor, "新建")
    mess_up(rich_issue)
    snapshot(rich_issue, editor, "修改")
    issue = Issue.objects.get(pk=rich_issue.pk)
    response = client.post(restore_url(issue, old), {"version": issue.version})
    assert response.status_code == 302
    assert relations(issue) == before


def test_restoring_the_revision_of_an_import_keeps_the_linked_people_and_units(editor):
    from bulletins.importer import parse_text
    from bulletins.importer.writer import import_issue

    make_person("陶斌", "市委常委、宣传部部长")
    make_unit()
    text = ("2023年文明城市创建(第13期)\n时间: 2023-04-13 10:30:00\n【领导活动】\n"
            "●近日，市委常委、宣传部部长陶斌督导创文。\n【单位行动】\n●4月10日，市残联开展助残志愿服务。")
    with reversion.create_revision():  # as the import page does: an automatic revision block
        issue = import_issue(parse_text(text), user=editor)
        save_revision(issue, user=editor, comment="从文件导入")
    before = relations(issue)
    assert [link[:2] for link in before[0][4]] == [("陶斌", "市委常委、宣传部部长")]
    assert before[1][5] == ["市残疾人联合会"]
    imported = versions_of(issue).first()
    mess_up(issue)
    snapshot(issue, editor, "修改")
    workflow.restore(imported, by=editor)
    assert relations(issue) == before
