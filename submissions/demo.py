"""A demo correspondent (市残联's 通讯员) and a few submissions, so a newcomer sees the inbox filled.

Called by `load_initial_data` in development only (DEBUG): the demo password is public.
"""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.roles import CORRESPONDENT
from bulletins.models import Section, Unit

from . import workflow
from .models import Submission

USERNAME = "correspondent"
REAL_NAME = "刘通讯"
UNIT_SHORT_NAME = "市残联"

DEMO_SUBMISSIONS = [
    ("市残联开展“全国助残日”志愿服务活动", "5月19日", "单位行动",
     ["5月19日，市残联组织志愿者走进社区，为残疾人提供理发、义诊和政策咨询服务。",
      "活动共服务群众120余人次，发放宣传资料300余份。"], "submit"),
    ("市残联推进无障碍环境建设", "近日", "同创资讯",
     ["近日，市残联联合市住建局对城区主要街道盲道、坡道进行排查，督促整改问题12处。"], "submit"),
    ("市残联召开创文工作推进会", "6月2日", "单位行动",
     ["6月2日，市残联召开创文工作推进会，安排部署下一阶段重点任务。"], "return"),
    ("残疾人就业帮扶“春风行动”（草稿）", "", "",
     ["正在撰写：残疾人就业帮扶“春风行动”开展情况。"], "draft"),
]


def _paragraphs(lines):
    return "".join(f"<p>{line}</p>" for line in lines)


@transaction.atomic
def create_demo_correspondent(*, password=DEMO_PASSWORD):
    """The demo correspondent and their submissions; returns (user, created). Re-running changes nothing."""
    user = User.objects.filter(username=USERNAME).first()
    if user is not None:
        return user, False
    unit = Unit.objects.filter(short_names__contains=UNIT_SHORT_NAME).order_by("pk").first()
    if unit is None:
        unit = Unit.objects.create(name="市残疾人联合会", short_names=UNIT_SHORT_NAME, kind=Unit.Kind.ORGANISATION)
    user = User(username=USERNAME, real_name=REAL_NAME, unit=unit.name, phone="13800000000", is_staff=False,
                reporting_unit=unit, email=f"{USERNAME}@wenming.example")
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=CORRESPONDENT))
    editor = User.objects.filter(is_staff=True, groups__name="编辑").order_by("pk").first()
    start = timezone.now() - datetime.timedelta(days=3)
    for index, (title, date_text, section_name, lines, step) in enumerate(DEMO_SUBMISSIONS):
        submission = Submission.objects.create(
            unit=unit, created_by=user, title=title, body=_paragraphs(lines), date_text=date_text,
            section_wanted=Section.objects.filter(name=section_name).first(), writer=REAL_NAME,
            writer_phone="13800000000", approver="王主任", created_at=start + datetime.timedelta(hours=index),
        )
        if step == "draft":
            continue
        workflow.submit(submission, by=user)
        if step == "return" and editor is not None:
            workflow.return_submission(submission, by=editor, comment="请补充会议的具体部署内容和参会人数。")
    return user, True
