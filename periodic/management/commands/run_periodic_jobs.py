import signal
import time

from django.core.management.base import BaseCommand

from periodic.jobs import enqueue_due_jobs, scheduler_name


class Command(BaseCommand):
    help = "定期任务调度：把到期的定期任务排入任务队列。每台服务器都可运行，整个集群每次只排入一次。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查一次后退出。")
        parser.add_argument("--interval", type=float, default=60, help="两次检查之间的秒数，默认 60。")

    def handle(self, *args, once, interval, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        name = scheduler_name()
        while True:
            for job in enqueue_due_jobs(by=name):
                self.stdout.write(f"已排入任务队列：{job}")
            if once or stopping:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stopping:
                time.sleep(min(1.0, interval))
            if stopping:
                return
