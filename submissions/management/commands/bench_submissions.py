import os
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


def load_average():
    return "、".join(f"{value:.2f}" for value in os.getloadavg())


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
                          f"{Submission.objects.values('unit').distinct().count()} 个单位，{connection.vendor}，"
                          f"{os.cpu_count()} 核")
        query_counts = []
        for label, call in cases:
            result = call()
            status = getattr(result, "status_code", 200)
            if status != 200:
                raise CommandError(f"{label}：HTTP {status}")
            # Counted by a wrapper: each request start clears connection.queries.
            queries = []
            with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
                call()
            query_counts.append(len(queries))
        # Round robin (every item once per run) so that a change of the machine's load during the
        # measurement falls on every item alike and the ratio to the reference stays meaningful.
        wall, cpu = [[] for _ in cases], [[] for _ in cases]
        load_before = load_average()
        for _ in range(runs):
            for index, (_label, call) in enumerate(cases):
                start, start_cpu = time.perf_counter(), time.process_time()
                call()
                wall[index].append((time.perf_counter() - start) * 1000)
                cpu[index].append((time.process_time() - start_cpu) * 1000)
        load_after = load_average()
        reference = statistics.median(wall[0])
        self.stdout.write(f"机器负载（1、5、15 分钟平均）：测量前 {load_before}，测量后 {load_after}。")
        self.stdout.write("墙钟时间含数据库和等待 CPU 的时间；CPU 是本进程的 CPU 时间（time.process_time，"
                          "不含 PostgreSQL 服务进程）；“÷参照”是墙钟中位数与参照页墙钟中位数之比。")
        self.stdout.write("")
        self.stdout.write("| 项目 | 墙钟中位数（毫秒） | 墙钟最慢（毫秒） | CPU 中位数（毫秒） | ÷参照 | 查询数 |")
        self.stdout.write("| --- | ---: | ---: | ---: | ---: | ---: |")
        for index, (label, _call) in enumerate(cases):
            median = statistics.median(wall[index])
            self.stdout.write(f"| {label} | {median:.1f} | {max(wall[index]):.1f} | "
                              f"{statistics.median(cpu[index]):.1f} | {median / reference:.2f} | "
                              f"{query_counts[index]} |")
