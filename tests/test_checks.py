import datetime

import pytest

from bulletins.checks import BLOCKING, WARNING, blocking, format_findings, run_checks
from bulletins.models import Entry, Issue, PersonTitle, WordRule

from .bulletin_sample import PUBLISHED_AT, make_sample_issue, make_sample_registry
from .factories import make_entry, make_issue, make_person, make_published_issue

pytestmark = pytest.mark.django_db

ISSUE_DAY = datetime.datetime(2023, 4, 6, 10, tzinfo=datetime.UTC)
PREVIOUS_DAY = datetime.datetime(2023, 3, 20, tzinfo=datetime.UTC)


@pytest.fixture
def registry():
    return make_sample_registry()


@pytest.fixture
def issue():
    return make_issue(year=2023, number=13, published_at=ISSUE_DAY)


def codes(findings):
    return [finding.code for finding in findings]


def entry_with(issue, text, **fields):
    return make_entry(issue, body=f"<p>{text}</p>", **fields)


# The sample issue


def test_sample_issue_with_its_registry_has_no_findings_but_its_half_width_punctuation(registry):
    issue = make_sample_issue()
    assert issue.entries.count() == 12
    findings = run_checks(issue)
    assert blocking(findings) == []
    assert {finding.code for finding in findings} == {"punctuation"}


def test_sample_issue_checks_run_in_a_fixed_number_of_queries(registry, django_assert_max_num_queries):
    issue = make_sample_issue()
    with django_assert_max_num_queries(10):
        run_checks(issue)


# Titles


def test_wrong_title_for_a_registry_person_is_blocking(registry, issue):
    entry = entry_with(issue, "近日，副市长高鹏凌调研创文工作。")
    [finding] = run_checks(issue)
    assert finding.code == "title" and finding.severity == BLOCKING
    assert finding.entry == entry
    assert finding.text == "副市长高鹏凌"
    assert finding.suggestion == "市委副书记、市长高鹏凌"
    assert "2023年4月6日" in finding.message


def test_part_of_the_registered_title_is_accepted(registry, issue):
    entry_with(issue, "近日，市长高鹏凌调研。市委副书记高鹏凌讲话。部长陶斌主持。市委常委陶斌出席。")
    assert run_checks(issue) == []


def test_name_without_a_title_is_not_checked(registry, issue):
    entry_with(issue, "近日，高鹏凌指出，要抓好创文。")
    assert run_checks(issue) == []


def test_ordinary_words_before_a_title_are_not_part_of_it(registry, issue):
    entry_with(issue, "会议由市委常委、宣传部部长陶斌主持。")
    assert run_checks(issue) == []


def test_rank_left_out_of_a_title_is_a_wrong_title(registry, issue):
    entry_with(issue, "近日，市长赵建仁调研。")
    [finding] = run_checks(issue)
    assert finding.code == "title"
    assert finding.suggestion == "副市长赵建仁"


def test_another_department_in_the_title_is_a_wrong_title(registry, issue):
    entry_with(issue, "近日，市委常委、组织部部长陶斌调研。")
    [finding] = run_checks(issue)
    assert finding.text == "市委常委、组织部部长陶斌"


def test_title_is_checked_against_the_issue_date(issue):
    person = make_person(name="高鹏凌", title="市委书记")
    PersonTitle.objects.create(person=person, title="副市长", start_date="2019-01-01", end_date="2021-12-31")
    PersonTitle.objects.create(person=person, title="市委副书记、市长", start_date="2022-01-01", end_date="2024-12-31")
    entry_with(issue, "近日，副市长高鹏凌调研。")
    [finding] = run_checks(issue)
    assert finding.suggestion == "市委副书记、市长高鹏凌"


def test_title_in_force_at_an_older_issue_date_is_accepted():
    person = make_person(name="高鹏凌", title="市委书记")
    PersonTitle.objects.create(person=person, title="副市长", start_date="2019-01-01", end_date="2021-12-31")
    old = make_issue(year=2020, number=3, published_at=datetime.datetime(2020, 5, 1, tzinfo=datetime.UTC))
    entry_with(old, "近日，副市长高鹏凌调研。")
    assert run_checks(old) == []


def test_current_title_is_used_when_no_title_period_covers_the_date(issue):
    make_person(name="赵建仁", title="副市长")
    entry_with(issue, "近日，市长赵建仁调研。副市长赵建仁讲话。")
    [finding] = run_checks(issue)
    assert finding.text == "市长赵建仁"


# Names one character off


def test_name_one_character_off_after_a_title_is_blocking(registry, issue):
    entry_with(issue, "近日，市委常委、宣传部部长陶彬暗访督导创文工作。")
    [finding] = run_checks(issue)
    assert finding.code == "near_name" and finding.is_blocking
    assert finding.text == "市委常委、宣传部部长陶彬"
    assert finding.suggestion == "市委常委、宣传部部长陶斌"


def test_three_character_name_one_off_is_found(registry, issue):
    entry_with(issue, "3月15日，市委副书记、市长高鹏玲参加植树活动。")
    [finding] = run_checks(issue)
    assert finding.code == "near_name"
    assert "高鹏凌" in finding.suggestion


def test_misspelt_name_with_a_wrong_title_gets_the_registered_title_in_the_suggestion(registry, issue):
    entry_with(issue, "近日，副市长高鹏玲调研。")
    [finding] = run_checks(issue)
    assert finding.suggestion == "市委副书记、市长高鹏凌"


def test_words_after_a_title_are_not_taken_for_names(registry, issue):
    entry_with(issue, "市长指出，部长强调，市人大常委会主任委员会议召开，局长何时到场，主任一行调研，书记处召开会议。")
    assert run_checks(issue) == []


def test_other_person_with_another_surname_and_title_is_not_a_misspelling(registry, issue):
    entry_with(issue, "近日，区文旅局局长王斌调研。")
    assert run_checks(issue) == []


def test_bare_slip_of_a_leader_named_in_another_entry_is_blocking(registry, issue):
    entry_with(issue, "近日，市委常委、宣传部部长陶斌暗访督导创文工作。", order=0)
    second = entry_with(issue, "会上，陶彬对下一步工作作了安排。", order=1)
    [finding] = run_checks(issue)
    assert finding.code == "near_name" and finding.is_blocking and finding.entry == second
    assert (finding.text, finding.suggestion) == ("陶彬", "陶斌")


def test_bare_slip_where_a_name_stands_is_blocking(registry, issue):
    entry_with(issue, "近日，高鹏玲强调，要抓好创文。")
    [finding] = run_checks(issue)
    assert finding.code == "near_name" and finding.suggestion == "高鹏凌"


def test_slip_between_two_registered_neighbours_is_one_finding_naming_the_one_with_that_title(issue):
    make_person(name="李明", title="副市长")
    make_person(name="李鸣", title="市委常委")
    entry_with(issue, "近日，副市长李铭调研创文工作。")
    [finding] = run_checks(issue)
    assert finding.suggestion == "副市长李明" and "李鸣" not in finding.message


def test_registered_name_with_a_neighbours_title_says_which_neighbour(issue):
    make_person(name="李明", title="副市长")
    make_person(name="李鸣", title="市委常委")
    entry_with(issue, "近日，副市长李鸣调研创文工作。")
    [finding] = run_checks(issue)
    assert finding.code == "title" and "若指副市长李明" in finding.message


# Word list


def test_blocking_word_rule_is_blocking(issue):
    WordRule.objects.update_or_create(
        wrong="习近平思想", defaults={"right": "习近平新时代中国特色社会主义思想", "severity": WordRule.Severity.BLOCKING}
    )
    entry_with(issue, "深入学习习近平思想。")
    [finding] = run_checks(issue)
    assert finding.code == "wording" and finding.is_blocking
    assert finding.suggestion == "习近平新时代中国特色社会主义思想"


def test_warning_word_rule_is_a_warning(issue):
    WordRule.objects.create(wrong="创文明城市", right="创建全国文明城市", severity=WordRule.Severity.WARNING)
    entry_with(issue, "全力创文明城市。")
    [finding] = run_checks(issue)
    assert finding.severity == WARNING and finding.text == "创文明城市"


def test_inactive_word_rule_is_ignored(issue):
    WordRule.objects.create(wrong="创文明城市", severity=WordRule.Severity.BLOCKING, is_active=False)
    entry_with(issue, "全力创文明城市。")
    assert run_checks(issue) == []


def test_right_form_containing_the_wrong_one_is_not_flagged(issue):
    WordRule.objects.update_or_create(wrong="十四五规划", defaults={"right": "“十四五”规划"})
    entry_with(issue, "落实“十四五”规划。")
    assert run_checks(issue) == []


def test_word_found_twice_in_one_entry_is_reported_once_with_the_count(issue):
    WordRule.objects.update_or_create(wrong="残废人", defaults={"right": "残疾人", "severity": BLOCKING})
    entry_with(issue, "为残废人服务，关心残废人。")
    [finding] = run_checks(issue)
    assert finding.message.endswith("（共2处）")


def test_seeded_word_list_has_real_rules():
    assert WordRule.objects.filter(wrong="习近平思想", severity=BLOCKING).exists()


# Dates


def test_entry_dated_after_the_issue_is_a_warning(issue):
    entry_with(issue, "4月20日，市委召开会议。", date_text="4月20日", event_date=datetime.date(2023, 4, 20))
    [finding] = run_checks(issue)
    assert finding.code == "date" and finding.severity == WARNING
    assert "晚于" in finding.message


def test_entry_dated_long_before_the_previous_issue_is_a_warning(issue):
    make_published_issue(year=2023, number=12, published_at=PREVIOUS_DAY)
    entry_with(issue, "去年会议。", date_text="11月1日", event_date=datetime.date(2022, 11, 1))
    [finding] = run_checks(issue)
    assert finding.code == "date" and "上一期" in finding.message


def test_entry_dated_shortly_before_the_previous_issue_is_fine(issue):
    make_published_issue(year=2023, number=12, published_at=PREVIOUS_DAY)
    entry_with(issue, "会议召开。", date_text="3月1日", event_date=datetime.date(2023, 3, 1))
    assert run_checks(issue) == []


def test_unreadable_date_text_is_a_warning(issue):
    entry_with(issue, "上旬，市委召开会议。", date_text="三月上旬")
    [finding] = run_checks(issue)
    assert finding.code == "date" and finding.text == "三月上旬"


def test_recently_needs_no_date(issue):
    entry_with(issue, "近日，市委召开会议。", date_text="近日")
    assert run_checks(issue) == []


# Empty sections, repeats, images


def test_section_without_body_text_is_a_warning(issue):
    make_entry(issue, section_name="一线经验", body="<p> </p>")
    [finding] = run_checks(issue)
    assert finding.code == "empty" and "一线经验" in finding.message


def test_empty_entry_in_a_section_with_text_is_a_warning(issue):
    entry_with(issue, "近日，市委召开会议。", order=0)
    empty = make_entry(issue, body="", order=1)
    [finding] = run_checks(issue)
    assert finding.entry == empty and finding.message == "条目没有正文。"


def test_issue_without_entries_is_a_warning(issue):
    [finding] = run_checks(issue)
    assert finding.code == "empty" and finding.entry is None


def test_entry_repeated_from_an_earlier_issue_is_a_warning(issue):
    earlier = make_issue(year=2023, number=12)
    entry_with(earlier, "近日，市住房和城乡建设局开展创文志愿服务活动。")
    entry_with(issue, "近日， 市住房和城乡建设局开展创文志愿服务活动。")
    [finding] = run_checks(issue)
    assert finding.code == "repeat" and "2023年第12期" in finding.message


def test_entry_in_a_later_issue_is_not_a_repeat_source(issue):
    later = make_issue(year=2023, number=14)
    entry_with(later, "近日，市住房和城乡建设局开展创文志愿服务活动。")
    entry_with(issue, "近日，市住房和城乡建设局开展创文志愿服务活动。")
    assert run_checks(issue) == []


def test_entry_repeated_within_the_issue_is_a_warning(issue):
    entry_with(issue, "近日，市住房和城乡建设局开展创文志愿服务活动。", order=0)
    entry_with(issue, "近日，市住房和城乡建设局开展创文志愿服务活动。", order=1)
    [finding] = run_checks(issue)
    assert finding.code == "repeat" and "本期" in finding.message


def test_image_without_alt_text_is_a_warning(issue):
    make_entry(issue, body='<p>近日开展活动。<img src="/media/a.jpg"><img src="/media/b.jpg" alt="志愿者在社区"></p>')
    [finding] = run_checks(issue)
    assert finding.code == "image_alt" and finding.text == "/media/a.jpg"


# The interface


def test_blocking_findings_come_first(registry, issue):
    entry_with(issue, "上旬，副市长高鹏凌调研。", date_text="三月上旬")
    findings = run_checks(issue)
    assert [f.severity for f in findings] == [BLOCKING, WARNING]
    assert blocking(findings) == findings[:1]


def test_format_findings_gives_one_chinese_line_per_finding(registry, issue):
    entry_with(issue, "上旬，副市长高鹏凌调研。", date_text="三月上旬")
    lines = format_findings(run_checks(issue)).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("【须改】领导活动 第1条：职务与登记不符")
    assert "建议：市委副书记、市长高鹏凌" in lines[0]
    assert lines[1].startswith("【提示】")


def test_a_failing_check_becomes_a_blocking_finding(issue, monkeypatch):
    from bulletins.proofreading import content

    def broken(context):
        raise RuntimeError("boom")

    monkeypatch.setattr(content, "check_image_alt", broken)
    entry_with(issue, "近日，市委召开会议。")
    [finding] = run_checks(issue)
    assert finding.code == "error" and finding.is_blocking and "图片说明" in finding.message


def test_draft_issue_is_checked_against_today(registry):
    draft = make_issue(year=2023, number=20)
    assert draft.published_at is None
    entry_with(draft, "近日，副市长高鹏凌调研。")
    assert codes(run_checks(draft)) == ["title"]


def test_sample_entries_are_read_with_their_dates(registry):
    issue = make_sample_issue()
    first = Entry.objects.filter(issue=issue).first()
    assert first.date_text == "3月15日" and first.event_date == datetime.date(2023, 3, 15)
    assert issue.published_at == PUBLISHED_AT
    assert Issue.objects.published().filter(pk=issue.pk).exists()


def test_linking_and_proofreading_read_the_same_title(registry, issue):
    from bulletins.linking import Registry, find_mentions

    text = "会议由市委常委、组织部部长陶斌主持。"
    entry = entry_with(issue, text)
    [linked] = find_mentions(entry.plain_text, Registry.load()).linked_people()
    [finding] = run_checks(issue)
    assert finding.text == f"{linked.title}陶斌" == "市委常委、组织部部长陶斌"
