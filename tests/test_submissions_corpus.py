"""The generator of synthetic submissions (generate_submissions)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from submissions.models import Submission, SubmissionTransition

pytestmark = pytest.mark.django_db


def test_it_makes_the_pieces_units_and_correspondents_asked_for():
    out = StringIO()
    call_command("generate_submissions", submissions=120, units=6, years=1, verbosity=0, stdout=out)
    assert Submission.objects.count() == 120
    assert Submission.objects.values("unit").distinct().count() == 6
    assert User.objects.filter(reporting_unit__isnull=False, is_staff=False).count() == 6
    assert SubmissionTransition.objects.count() == Submission.objects.exclude(state="draft").count()
    assert "已生成 120 篇" in out.getvalue()


def test_running_again_reuses_the_units():
    call_command("generate_submissions", submissions=10, units=3, years=1, verbosity=0, stdout=StringIO())
    call_command("generate_submissions", submissions=10, units=3, years=1, verbosity=0, stdout=StringIO())
    assert Submission.objects.values("unit").distinct().count() == 3


def test_bad_numbers_are_refused():
    with pytest.raises(CommandError, match="正整数"):
        call_command("generate_submissions", submissions=0, stdout=StringIO())
