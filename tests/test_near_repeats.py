"""Near-duplicates of entries of earlier published issues (bulletins/nearcopies.py, proofreading/near_repeats.py)."""

import datetime
import io

import pytest
from django.core.management import call_command

from bulletins.checks import run_checks
from bulletins.models import EntryBand
from bulletins.nearcopies import band_keys, exact_key, keys, shingles, similarity

from .factories import make_entry, make_issue, make_published_issue

pytestmark = pytest.mark.django_db

TEXT = (
    "3月17日上午，市税务局在红岩社区开展《巴中市文明行为促进条例》宣讲志愿服务活动。会上，志愿者向居民讲解条例"
    "相关内容，并结合身边的事例和大家一起谈做法、讲体会，引导社区居民自觉遵守文明行为规范。本次活动50余名社区居民参加。"
)
OTHER = (
    "近日，市住房和城乡建设局工作人员在参与创文志愿服务活动时，发现旁边住宅小区内一处楼栋顶部发生火情，立即进入"
    "该楼栋逐户敲门通知火情，并配合消防救援人员维护秩序，此次事故未出现人员伤亡。"
)
ISSUE_DAY = datetime.datetime(2023, 4, 20, tzinfo=datetime.UTC)


def entry_with(issue, text, **fields):
    return make_entry(issue, body=f"<p>{text}</p>", section_name="单位行动", **fields)


@pytest.fixture
def issue():
    return make_issue(year=2023, number=14, published_at=ISSUE_DAY)


def earlier(number=12, **fields):
    return make_published_issue(year=2023, number=number, published_at=ISSUE_DAY - datetime.timedelta(days=30), **fields)


def test_one_number_changed_keeps_most_shingles_and_shares_a_band():
    changed = TEXT.replace("50余名", "80余名")
    assert similarity(shingles(TEXT), shingles(changed)) > 0.9
    assert set(band_keys(TEXT)) & set(band_keys(changed))
    assert not set(band_keys(TEXT)) & set(band_keys(OTHER))


def test_short_texts_have_no_bands_but_an_exact_key():
    assert band_keys("近日，市委召开会议。") == []
    assert keys("近日，市委召开会议。") == {exact_key("近日， 市委召开会议。")}
    assert exact_key("开会。") is None


def test_saving_an_entry_stores_its_bands():
    entry = entry_with(make_issue(), TEXT)
    assert sorted(EntryBand.objects.filter(entry=entry).values_list("key", flat=True)) == sorted(keys(TEXT))
    assert exact_key(TEXT) in keys(TEXT) and set(band_keys(TEXT)) < keys(TEXT)
    entry.body = f"<p>{OTHER}</p>"
    entry.save()
    assert set(EntryBand.objects.filter(entry=entry).values_list("key", flat=True)) == keys(OTHER)


def test_entry_copied_from_an_earlier_issue_with_one_number_changed_is_a_warning(issue):
    entry_with(earlier(), TEXT)
    copy = entry_with(issue, TEXT.replace("50余名", "80余名"))
    [finding] = run_checks(issue)
    assert finding.code == "near_repeat" and not finding.is_blocking and finding.entry == copy
    assert "2023年第12期" in finding.message and "单位行动" in finding.message


def test_exact_copy_is_one_repeat_finding_not_two(issue):
    entry_with(earlier(), TEXT)
    entry_with(issue, TEXT)
    assert [finding.code for finding in run_checks(issue)] == ["repeat"]


def test_unpublished_and_later_issues_are_not_sources(issue):
    entry_with(make_issue(year=2023, number=12), TEXT)
    entry_with(make_published_issue(year=2023, number=15, published_at=ISSUE_DAY), TEXT)
    entry_with(issue, TEXT.replace("50余名", "80余名"))
    assert run_checks(issue) == []


def test_different_entries_are_not_near_repeats(issue):
    entry_with(earlier(), OTHER)
    entry_with(issue, TEXT)
    assert run_checks(issue) == []


def test_near_repeat_lookup_does_not_grow_with_the_archive(issue, django_assert_num_queries):
    entry_with(issue, TEXT.replace("50余名", "80余名"))
    entry_with(earlier(), TEXT)
    from bulletins.proofreading import context, near_repeats

    loaded = context.load(issue)
    with django_assert_num_queries(2):
        assert len(list(near_repeats.check_near_repeats(loaded))) == 1
    for number in range(1, 6):
        entry_with(earlier(number=number), TEXT.replace("50余名", f"{number}0余名"), order=number)
    loaded = context.load(issue)
    with django_assert_num_queries(2):
        assert len(list(near_repeats.check_near_repeats(loaded))) == 1


def test_rebuild_command_restores_bands_of_bulk_created_entries():
    entry = entry_with(make_issue(), TEXT)
    EntryBand.objects.all().delete()
    call_command("rebuild_near_copy_index", stdout=io.StringIO())
    assert EntryBand.objects.filter(entry=entry).count() == len(keys(TEXT))
