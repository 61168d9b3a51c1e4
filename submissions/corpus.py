"""Synthetic submissions for benchmarks and demos: N pieces from M units over Y years.

Units get a correspondent each (no usable password); each piece takes two to five of the sample
issue's sentences, a first-submission time spread over the years, and an outcome drawn like an
office's (about a third adopted). Everything is inserted in bulk, with one transition per piece.
"""

import datetime
import random

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import CORRESPONDENT, EDITOR
from bulletins.corpus import sample_sentences
from bulletins.models import Section, Unit
from bulletins.sanitize import paragraphs_to_html

from .models import ScoringRule, Submission, SubmissionTransition

BATCH = 2000
OUTCOMES = [  # state, weight
    (Submission.State.ADOPTED, 35),
    (Submission.State.NOT_ADOPTED, 35),
    (Submission.State.SUBMITTED, 15),
    (Submission.State.RETURNED, 10),
    (Submission.State.DRAFT, 5),
]
ACTIONS = {
    Submission.State.ADOPTED: SubmissionTransition.Action.ADOPT,
    Submission.State.NOT_ADOPTED: SubmissionTransition.Action.REJECT,
    Submission.State.RETURNED: SubmissionTransition.Action.RETURN,
    Submission.State.SUBMITTED: SubmissionTransition.Action.SUBMIT,
}


class SubmissionGenerator:
    def __init__(self, *, seed=0, now=None):
        self.random = random.Random(seed)
        self.now = now or timezone.now()
        self.sentences = [s for group in sample_sentences().values() for s in group]
        self.sections = list(Section.objects.all())

    def units(self, count):
        """`count` units named 报送单位001…, each with one correspondent; existing ones are reused."""
        names = [f"模拟报送单位{index:03d}" for index in range(1, count + 1)]
        existing = {unit.name for unit in Unit.objects.filter(name__in=names)}
        Unit.objects.bulk_create([Unit(name=name, kind=Unit.Kind.GOVERNMENT) for name in names
                                  if name not in existing])
        units = list(Unit.objects.filter(name__in=names).order_by("name"))
        have = set(User.objects.filter(reporting_unit__in=units).values_list("reporting_unit_id", flat=True))
        users = [User(username=f"mock-cor-{unit.pk}", real_name=f"通讯员{unit.pk}", reporting_unit=unit,
                      password="!", is_staff=False) for unit in units if unit.pk not in have]
        User.objects.bulk_create(users)
        group = Group.objects.get(name=CORRESPONDENT)
        fresh = User.objects.filter(username__in=[user.username for user in users])
        User.groups.through.objects.bulk_create([User.groups.through(user_id=pk, group_id=group.pk)
                                                 for pk in fresh.values_list("pk", flat=True)])
        correspondents = dict(User.objects.filter(reporting_unit__in=units).values_list("reporting_unit_id", "pk"))
        return [(unit, correspondents[unit.pk]) for unit in units]

    def _editor(self):
        editor = User.objects.filter(is_staff=True, groups__name=EDITOR).order_by("pk").first()
        if editor is None:
            editor = User.objects.create(username="mock-editor", real_name="模拟编辑", is_staff=True, password="!")
            editor.groups.add(Group.objects.get(name=EDITOR))
        return editor

    def piece(self, unit, correspondent_id, sent_at):
        state = self.random.choices([s for s, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
        lines = self.random.sample(self.sentences, self.random.randint(2, 5))
        month, day = sent_at.month, sent_at.day
        return Submission(
            unit=unit, created_by_id=correspondent_id, title=f"{unit.name}{lines[0][:20]}",
            body=paragraphs_to_html([f"{month}月{day}日，{lines[0]}", *lines[1:]]), date_text=f"{month}月{day}日",
            section_wanted=self.random.choice(self.sections) if self.sections else None,
            writer="模拟执笔人", writer_phone="13800000000", approver="模拟审签人", state=state,
            submitted_at=None if state == Submission.State.DRAFT else sent_at,
            adopted_at=sent_at + datetime.timedelta(days=3) if state == Submission.State.ADOPTED else None,
            higher_adoptions=1 if state == Submission.State.ADOPTED and self.random.random() < 0.1 else 0,
            leader_instructions=1 if state == Submission.State.ADOPTED and self.random.random() < 0.05 else 0,
            created_at=sent_at,
        )

    @transaction.atomic
    def generate(self, count, *, units=150, years=3, progress=None):
        if not ScoringRule.objects.exists():
            ScoringRule.objects.create(valid_from=(self.now - datetime.timedelta(days=365 * years)).date(),
                                       note="模拟数据的默认规则")
        pairs = self.units(units)
        editor = self._editor()
        span = datetime.timedelta(days=365 * years).total_seconds()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            batch = []
            for _ in range(size):
                unit, correspondent_id = self.random.choice(pairs)
                sent_at = self.now - datetime.timedelta(seconds=self.random.uniform(0, span))
                batch.append(self.piece(unit, correspondent_id, sent_at))
            batch = Submission.objects.bulk_create(batch)
            SubmissionTransition.objects.bulk_create([
                SubmissionTransition(
                    submission=s, unit_id=s.unit_id, action=ACTIONS[s.state],
                    from_state=Submission.State.DRAFT if s.state == Submission.State.SUBMITTED
                    else Submission.State.SUBMITTED,
                    to_state=s.state, at=s.submitted_at,
                    by_id=s.created_by_id if s.state == Submission.State.SUBMITTED else editor.pk,
                    comment="" if s.state == Submission.State.SUBMITTED else "模拟意见",
                ) for s in batch if s.state != Submission.State.DRAFT
            ])
            made += size
            if progress:
                progress(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics, so the planner sees the new rows
                cursor.execute("ANALYZE submissions_submission, submissions_submissiontransition")
        return made
