"""Small factories for focused test data; each returns a saved object."""

import datetime
import itertools

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from bulletins.models import Entry, EntryPerson, Issue, Person, Section, Unit

from .snapshot_support import signing_deferred

_numbers = itertools.count(1)


def make_user(username=None, *, roles=(), password="Wenming-Test-2026!", **fields):
    username = username or f"user{next(_numbers)}"
    user = User.objects.create_user(username=username, password=password, **fields)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def restore_migration_data():
    """Recreate what the data migrations made (sections, roles, word list): a transactional
    test's flush (live_server, browser) removes it. Every step is idempotent."""
    import importlib

    from django.apps import apps

    from accounts.roles import sync_roles

    importlib.import_module("bulletins.migrations.0002_sections").create_sections(apps, None)
    importlib.import_module("bulletins.migrations.0005_seed_word_rules").seed(apps, None)
    sync_roles(apps)


def make_issue(*, year=2023, number=None, status=Issue.Status.DRAFT, published_at=None, **fields):
    if status == Issue.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - datetime.timedelta(hours=1)
    return Issue.objects.create(
        year=year, number=number or next(_numbers), status=status, published_at=published_at, **fields
    )


def make_published_issue(**fields):
    return make_issue(status=Issue.Status.PUBLISHED, **fields)


def section(name="领导活动"):
    return Section.objects.get(name=name)


def make_entry(issue, *, section_name="领导活动", body="<p>近日，市委召开创文工作推进会。</p>", order=0, **fields):
    return Entry.objects.create(issue=issue, section=section(section_name), body=body, order=order, **fields)


def make_person(name="陶斌", title="市委常委、宣传部部长", **fields):
    return Person.objects.create(name=name, title=title, **fields)


def make_unit(name="市残疾人联合会", short_names="市残联", **fields):
    return Unit.objects.create(name=name, short_names=short_names, **fields)


def link_person(entry, person, title_as_written=""):
    return EntryPerson.objects.create(entry=entry, person=person, title_as_written=title_as_written)


# Workflow ------------------------------------------------------------------------


def make_staff(*roles, **fields):
    """An admin user holding `roles` (编辑/审核/签发…), with an email address for notifications."""
    username = fields.pop("username", None) or f"staff{next(_numbers)}"
    fields.setdefault("email", f"{username}@example.cn")
    return make_user(username, roles=[role for role in roles if role], is_staff=True, **fields)


# Public pages: a realistic issue after the sample bulletin (2023 第13期), people and units linked.
SAMPLE_ENTRIES = [
    ("领导活动", "3月15日", datetime.date(2023, 3, 15), [
        "3月15日，市委副书记、市长高鹏凌，市人大常委会主任李映等市领导与干部群众代表一起参加春季义务植树活动，"
        "以实际行动为巴中大地增绿添彩。他们一行人来到巴州区玉堂街道天星湖社区义务植树点，挥锹铲土、扶树填坑、"
        "踏土夯苗、围堰浇水，合力种下一株株树苗。",
        "高鹏凌指出，要深入践行习近平生态文明思想，牢固树立“绿水青山就是金山银山”理念，持续巩固提升国家森林城市创建成果。",
    ], [("高鹏凌", "市委副书记、市长")], []),
    ("领导活动", "近日", None, [
        "近日，市委常委、宣传部部长陶斌以“四不两直”方式深入巴州区、恩阳区，暗访督导创建第七届全国文明城市有关工作，"
        "现场提出整改意见。他指出，创建全国文明城市是全市人民的共同期盼，要进一步压实责任、强化举措，常态长效抓创建。",
    ], [("陶斌", "市委常委、宣传部部长")], []),
    ("单位行动", "3月17日", datetime.date(2023, 3, 17), [
        "3月17日市残联联合市中医院在江北广场为残疾人开展健康体检及义诊活动。活动期间，6名专家医师现场坐诊，"
        "为100余名残疾人提供了测血压、测血糖、听心率等服务。",
    ], [], [("市残疾人联合会", "市残联"), ("巴中市中医院", "市中医院")]),
    ("单位行动", "3月17日", datetime.date(2023, 3, 17), [
        "3月17日上午，市税务局在红岩社区开展《巴中市文明行为促进条例》宣讲志愿服务活动，引导社区居民自觉遵守文明行为规范。",
    ], [], [("国家税务总局巴中市税务局", "市税务局")]),
    ("一线经验", "", None, [
        "恩阳区狠抓创文包保入户，充分发挥主动意识，坚决扛牢压实责任。一是找症结，做好问题排查员。二是明责任，"
        "做好社区网格员。三是做主人，做好文明劝导员。",
    ], [], [("恩阳区", "")]),
    ("同创资讯", "近日", None, [
        "近日，攀枝花市创建全国文明城市攻坚工作调度会召开，会议强调，全市上下要紧盯目标、咬紧牙关，打好全国文明城市创建的攻坚战。",
    ], [], []),
    ("他山之石", "", None, [
        "“文明直通车”热线平台开通！群众反映问题可一键直达。湘潭市深化全国文明城市建设“文明直通车”热线平台正式开通。",
    ], [], []),
]


def make_sample_issue(*, year=2023, number=13, **fields):
    """A published issue shaped like the sample bulletin, with linked people and units."""
    fields.setdefault("status", Issue.Status.PUBLISHED)
    fields.setdefault("source", "市创文办")
    with signing_deferred():
        return _fill_sample_issue(make_issue(year=year, number=number, **fields))


def _fill_sample_issue(issue):
    for order, (section_name, date_text, event_date, paragraphs, people, units) in enumerate(SAMPLE_ENTRIES):
        body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        entry = make_entry(issue, section_name=section_name, body=body, order=order,
                           date_text=date_text, event_date=event_date)
        for name, title in people:
            person = Person.objects.filter(name=name).first() or make_person(name=name, title=title)
            link_person(entry, person, title_as_written=title)
        for name, short_names in units:
            unit = Unit.objects.filter(name=name).first() or make_unit(name=name, short_names=short_names)
            entry.units.add(unit)
    return issue


# Accounts -------------------------------------------------------------------

STRONG_PASSWORD = "Wenming-Test-2026!"


def make_audit_event(action="login", *, created_at=None, **fields):
    from accounts.models import AuditEvent

    return AuditEvent.objects.create(action=action, created_at=created_at or timezone.now(), **fields)


# Pictures in entry bodies -------------------------------------------------------


def store_picture(name="picture.png", *, size=(400, 300), color=(200, 30, 30)):
    """A PNG saved through the default storage; returns its public URL for an entry's <img src>."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    stored_as = default_storage.save(f"images/test/{name}", ContentFile(buffer.getvalue()))
    return default_storage.url(stored_as)


# Submissions (信息报送) ------------------------------------------------------------


def make_correspondent(unit=None, **fields):
    """A portal account of 通讯员 reporting for `unit` (not staff: never enters the admin)."""
    from accounts.roles import CORRESPONDENT

    unit = unit or make_unit(name=f"第{next(_numbers)}报送单位", short_names="")
    username = fields.pop("username", None) or f"cor{next(_numbers)}"
    fields.setdefault("email", f"{username}@example.cn")
    return make_user(username, roles=[CORRESPONDENT], reporting_unit=unit, **fields)


def make_submission(correspondent, *, state="draft", submitted_at=None, **fields):
    from submissions.models import Submission

    if state != "draft" and submitted_at is None:
        submitted_at = timezone.now()
    if state == "adopted":
        fields.setdefault("adopted_at", submitted_at)
    fields.setdefault("title", "市残联开展志愿服务活动")
    fields.setdefault("body", "<p>3月5日，市残联组织志愿者走进社区。</p>")
    fields.setdefault("writer", "刘执笔")
    fields.setdefault("writer_phone", "13800000000")
    fields.setdefault("approver", "王主任")
    return Submission.objects.create(unit=correspondent.reporting_unit, created_by=correspondent, state=state,
                                     submitted_at=submitted_at, **fields)


def issue_change_form_data(client, issue):
    """What the browser posts back from an issue's change page when the person changed nothing."""
    from django.urls import reverse
    from django.utils import timezone

    form = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).context["adminform"].form
    local = timezone.localtime(issue.dated_at) if issue.dated_at else None
    data = {"year": issue.year, "number": issue.number, "title": issue.title, "source": issue.source,
            "dated_at_0": f"{local:%Y-%m-%d}" if local else "", "dated_at_1": f"{local:%H:%M:%S}" if local else "",
            "expected_version": form["expected_version"].value()}
    entries = list(issue.entries.order_by("pk"))
    data.update({"entries-TOTAL_FORMS": len(entries), "entries-INITIAL_FORMS": len(entries),
                 "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 1000})
    for index, entry in enumerate(entries):
        data.update({f"entries-{index}-id": entry.pk, f"entries-{index}-issue": issue.pk,
                     f"entries-{index}-section": entry.section_id, f"entries-{index}-order": entry.order,
                     f"entries-{index}-body": entry.body, f"entries-{index}-date_text": entry.date_text,
                     f"entries-{index}-event_date": ""})
    return data
