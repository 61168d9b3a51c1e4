import statistics
import time

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import EDITOR
from submissions.models import Submission
from submissions.scoring import build_report


class Command(BaseCommand):
    help = "测量报送信息的速度（进程内）：编辑收件箱、通讯员列表、一年的通报。先运行 generate_submissions。"

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="每项重复次数（默认 30）")

    def handle(self, *args, runs, **options):
        sample = Submission.objects.order_by("pk").first()
        if sample is None:
            raise CommandError("没有报送信息，请先运行 generate_submissions。")
        editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True,
                                                                                 "real_name": "测速编辑"})
        editor.groups.add(Group.objects.get(name=EDITOR))
        correspondent = User.objects.filter(reporting_unit=sample.unit_id, is_staff=False).first()
        staff, portal = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
        staff.force_login(editor)
        portal.force_login(correspondent)
        year = timezone.localdate().year - 1
        cases = [
            ("参照：后台栏目列表（5行，与数据量无关）", lambda: staff.get("/admin/bulletins/section/")),
            ("编辑收件箱（第1页，50篇）", lambda: staff.get("/admin/submissions/submission/")),
            ("收件箱按状态和单位筛选", lambda: staff.get(
                f"/admin/submissions/submission/?state__exact=submitted&unit__id__exact={sample.unit_id}")),
            ("收件箱检索“志愿”", lambda: staff.get("/admin/submissions/submission/?q=志愿")),
            ("通讯员本单位列表（第1页）", lambda: portal.get("/portal/")),
            (f"{year}年通报（计算）", lambda: build_report("year", year)),
            (f"{year}年通报页（含图表）", lambda: staff.get(
                f"/admin/submissions/submission/report/?kind=year&year={year}")),
        ]
        self.stdout.write(f"数据：{Submission.objects.count()} 篇报送信息，"
                          f"{Submission.objects.values('unit').distinct().count()} 个单位，{connection.vendor}")
        for label, call in cases:
            result = call()
            status = getattr(result, "status_code", 200)
            if status != 200:
                raise CommandError(f"{label}：HTTP {status}")
            # Counted by a wrapper: each request start clears connection.queries.
            queries = []
            with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
                call()
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                call()
                timings.append((time.perf_counter() - start) * 1000)
            self.stdout.write(f"| {label} | {statistics.median(timings):.1f} | {max(timings):.1f} | "
                              f"{len(queries)} |")
