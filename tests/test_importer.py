import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent
from bulletins.importer import ImportFailed, parse_text
from bulletins.importer.readers import decode_text
from bulletins.importer.writer import import_issue
from bulletins.models import Entry, Issue, Section
from bulletins.sample_registry import load_sample_registry

from .samples import SAMPLE_PATH, sample_text, small_issue

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sample():
    return parse_text(sample_text(), filename="bulletin-2023-13.txt")


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_bulletin", *map(str, args), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


# The sample, parsed


def test_sample_is_issue_2023_number_13(sample):
    assert (sample.year, sample.number, sample.title) == (2023, 13, "2023年文明城市创建(第13期)")


def test_sample_publish_time_is_read_in_shanghai(sample):
    assert sample.published_at == datetime.datetime(2023, 4, 6, 15, 59, 37, tzinfo=SHANGHAI)
    assert sample.published_at.utcoffset() == datetime.timedelta(hours=8)


def test_sample_blank_source_is_kept_blank(sample):
    assert sample.source == ""


def test_sample_sections_in_order_with_their_entry_counts(sample):
    assert [(s.name, len(s.entries)) for s in sample.sections] == [
        ("领导活动", 5), ("单位行动", 4), ("一线经验", 1), ("同创资讯", 1), ("他山之石", 1),
    ]


def test_first_entry_has_two_paragraphs_and_its_date(sample):
    first = sample.sections[0].entries[0]
    assert len(first.paragraphs) == 2
    assert first.paragraphs[1].startswith("高鹏凌指出")
    assert (first.date_text, first.event_date) == ("3月15日", datetime.date(2023, 3, 15))


def test_dated_entries_get_their_date_in_the_issue_year(sample):
    dated = {(e.date_text, e.event_date) for e in sample.entries if e.event_date}
    assert dated == {
        ("3月15日", datetime.date(2023, 3, 15)),
        ("3月13日", datetime.date(2023, 3, 13)),
        ("3月17日", datetime.date(2023, 3, 17)),
        ("3月17日上午", datetime.date(2023, 3, 17)),
    }


def test_recent_entries_keep_the_word_and_store_no_date(sample):
    recent = [e for e in sample.entries if e.date_text == "近日"]
    assert len(recent) == 5
    assert all(e.event_date is None for e in recent)


def test_entry_without_a_leading_date_has_blank_date_text(sample):
    units_first = sample.sections[1].entries[0]
    assert units_first.paragraphs[0].startswith("市委宣传部")
    assert (units_first.date_text, units_first.event_date) == ("", None)


def test_page_furniture_is_dropped(sample):
    text = "\n".join(e.text for e in sample.entries)
    for word in ("上一篇", "下一篇", "页面功能", "字体大小", "宽屏阅读", "打印文本"):
        assert word not in text
    assert len(sample.sections[-1].entries[0].paragraphs) == 1


def test_sample_parses_without_unsure_notes(sample):
    assert sample.notes == []


def test_entry_text_excludes_the_bullet(sample):
    assert not any(e.paragraphs[0].startswith("●") for e in sample.entries)


# Variants of the format


def test_full_width_parentheses_and_colons_are_accepted():
    parsed = parse_text("2023年文明城市创建（第7期）\n来源：市创文办　时间：2023-02-01 08:00:00\n【领导活动】\n●近日,好。")
    assert (parsed.number, parsed.source) == (7, "市创文办")
    assert parsed.published_at == datetime.datetime(2023, 2, 1, 8, tzinfo=SHANGHAI)


def test_full_date_in_entry_uses_its_own_year():
    parsed = parse_text("2024年文明城市创建(第1期)\n【领导活动】\n●2023年12月28日,市委召开会议。")
    entry = parsed.entries[0]
    assert (entry.date_text, entry.event_date) == ("2023年12月28日", datetime.date(2023, 12, 28))


def test_impossible_date_keeps_the_text_and_notes_it():
    parsed = parse_text("2023年文明城市创建(第2期)\n【领导活动】\n●2月30日,市委召开会议。")
    entry = parsed.entries[0]
    assert (entry.date_text, entry.event_date) == ("2月30日", None)
    assert "不是有效日期" in str(parsed.notes[0]) and parsed.notes[0].line == 3


def test_paragraph_without_bullet_right_after_a_section_starts_an_entry_with_a_note():
    parsed = parse_text("2023年文明城市创建(第2期)\n【单位行动】\n市税务局开展宣讲。")
    assert parsed.entries[0].paragraphs == ["市税务局开展宣讲。"]
    assert parsed.notes[0].line == 3


def test_bullet_alone_on_its_line_takes_the_next_line_as_its_text():
    parsed = parse_text("2023年文明城市创建(第2期)\n【单位行动】\n●\n3月17日,市税务局开展宣讲。")
    entry = parsed.entries[0]
    assert entry.paragraphs == ["3月17日,市税务局开展宣讲。"] and entry.event_date == datetime.date(2023, 3, 17)
    assert parsed.notes == []


def test_entry_date_after_the_publish_time_is_noted():
    parsed = parse_text("2023年文明城市创建(第2期)\n时间: 2023-02-01 08:00:00\n【单位行动】\n●12月28日,开展宣讲。")
    assert "晚于发布时间" in parsed.notes[0].message


def test_unreadable_publish_time_is_noted_not_guessed():
    parsed = parse_text("2023年文明城市创建(第2期)\n时间: 四月六日\n【单位行动】\n●好。")
    assert parsed.published_at is None
    assert "无法识别" in parsed.notes[0].message


# Malformed files: a Chinese message naming file and line


def test_no_title_line_names_file_and_line():
    with pytest.raises(ImportFailed) as error:
        parse_text("\n来源: 时间: 2023-04-06 15:59:37\n【领导活动】\n●近日,好。", filename="a.txt")
    assert (error.value.filename, error.value.line) == ("a.txt", 2)
    assert str(error.value).startswith("文件“a.txt”第2行：没有找到标题行")


def test_no_sections_is_refused():
    with pytest.raises(ImportFailed) as error:
        parse_text("2023年文明城市创建(第13期)\n来源: 时间: 2023-04-06 15:59:37\n没有栏目的一段话。", filename="b.txt")
    assert "没有找到任何栏目" in str(error.value) and error.value.line == 3


def test_entry_before_any_section_names_its_line():
    with pytest.raises(ImportFailed) as error:
        parse_text("2023年文明城市创建(第13期)\n\n●近日,好。\n【领导活动】\n●近日,好。", filename="c.txt")
    assert error.value.line == 3
    assert "条目（●）出现在任何栏目之前" in str(error.value)


def test_year_the_database_would_refuse_is_named_at_the_title_line():
    with pytest.raises(ImportFailed, match="第1行：标题中的年份1800不对"):
        parse_text("1800年文明城市创建(第1期)\n【领导活动】\n●近日,好。", filename="g.txt")


def test_overlong_section_heading_is_refused():
    with pytest.raises(ImportFailed, match="第2行：栏目名称"):
        parse_text("2023年文明城市创建(第1期)\n【" + "很长" * 20 + "】\n●近日,好。", filename="h.txt")


def test_empty_file_is_refused():
    with pytest.raises(ImportFailed) as error:
        parse_text(" \n\u3000\n", filename="d.txt")
    assert str(error.value) == "文件“d.txt”第1行：文件是空的，没有任何内容。"


def test_text_that_is_not_utf8_is_refused_naming_the_line():
    data = "2023年文明城市创建(第13期)\n【领导活动】\n".encode() + "●近日,好。".encode("gbk")
    with pytest.raises(ImportFailed) as error:
        decode_text(data, filename="e.txt")
    assert error.value.line == 3
    assert "不是UTF-8编码" in str(error.value) and "e.txt" in str(error.value)


# Writing to the database


def test_sample_imports_as_a_draft_by_default(sample):
    issue = import_issue(sample)
    assert issue.status == Issue.Status.DRAFT
    assert issue.entries.count() == 12
    assert issue.published_at == datetime.datetime(2023, 4, 6, 15, 59, 37, tzinfo=SHANGHAI)


def test_sample_imports_as_published_on_request(sample):
    issue = import_issue(sample, status=Issue.Status.PUBLISHED)
    assert Issue.objects.published().get() == issue


def test_imported_entries_keep_order_dates_and_paragraphs(sample):
    issue = import_issue(sample)
    entries = list(issue.entries.order_by("section__order", "order"))
    assert entries[0].body.count("<p>") == 2
    assert entries[0].event_date == datetime.date(2023, 3, 15)
    assert [e.date_text for e in entries if e.section.name == "单位行动"] == ["", "近日", "3月17日", "3月17日上午"]
    assert Entry.objects.filter(date_text="近日", event_date__isnull=True).count() == 5


def test_import_records_an_audit_event(sample):
    issue = import_issue(sample)
    event = AuditEvent.objects.get(action="import")
    assert event.object_id == str(issue.pk) and "12条" in event.detail


def test_import_links_registry_people_and_units(sample):
    load_sample_registry()
    issue = import_issue(sample)
    first = issue.entries.order_by("section__order", "order").first()
    assert [(p.person.name, p.title_as_written) for p in first.entry_people.all()] == [
        ("高鹏凌", "市委副书记、市长"), ("李映", "市人大常委会主任"), ("侯中文", "市政协主席"),
    ]
    assert issue.entries.filter(units__name="市残疾人联合会").count() == 1


def test_unknown_section_is_added_after_the_others():
    last = max(Section.objects.values_list("order", flat=True))
    import_issue(parse_text(small_issue(sections={"志愿服务": ["●近日,志愿者开展活动。"]})))
    section = Section.objects.get(name="志愿服务")
    assert section.order > last and section.slug


def test_publishing_without_a_time_line_is_refused():
    parsed = parse_text("2023年文明城市创建(第2期)\n【单位行动】\n●近日,好。", filename="f.txt")
    with pytest.raises(ImportFailed, match="没有“时间:”行"):
        import_issue(parsed, status=Issue.Status.PUBLISHED)
    assert not Issue.objects.exists()


# The command


def test_command_imports_the_sample_and_reports_in_chinese():
    output = run(SAMPLE_PATH)
    assert "已导入" in output and "导入1个" in output
    assert Issue.objects.get().entries.count() == 12


def test_command_status_option_publishes():
    run(SAMPLE_PATH, "--status", "published")
    assert Issue.objects.get().status == Issue.Status.PUBLISHED


def test_importing_again_is_refused_naming_the_existing_issue():
    run(SAMPLE_PATH)
    output = run(SAMPLE_PATH)
    assert "2023年文明城市创建(第13期)（草稿）已经存在" in output and "--replace" in output
    assert Issue.objects.count() == 1 and Entry.objects.count() == 12


def test_replace_keeps_a_published_issue_published_unless_told(tmp_path):
    run(SAMPLE_PATH, "--status", "published")
    run(SAMPLE_PATH, "--replace")
    assert Issue.objects.published().count() == 1
    run(SAMPLE_PATH, "--replace", "--status", "draft")
    assert Issue.objects.get().status == Issue.Status.DRAFT


def test_replace_rewrites_the_existing_issue(tmp_path):
    run(SAMPLE_PATH)
    issue = Issue.objects.get()
    changed = tmp_path / "changed.txt"
    changed.write_text(sample_text().replace("【他山之石】", "【他山之石】\n\n●近日,新增的一条。"), encoding="utf-8")
    run(changed, "--replace")
    assert Issue.objects.get().pk == issue.pk
    assert Entry.objects.count() == 13


@pytest.mark.parametrize("content", [
    "",
    "没有标题\n【领导活动】\n●近日,好。",
    "2023年文明城市创建(第3期)\n只有一段话。",
    "2023年文明城市创建(第3期)\n●近日,好。\n【领导活动】",
])
def test_malformed_file_writes_nothing_and_exits_non_zero(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    sections = Section.objects.count()
    with pytest.raises(CommandError):
        run(path)
    assert not Issue.objects.exists() and Section.objects.count() == sections


def test_directory_with_one_broken_file_imports_the_rest(tmp_path):
    (tmp_path / "01.txt").write_text(small_issue(number=1), encoding="utf-8")
    (tmp_path / "02.txt").write_bytes(small_issue(number=2).encode("gbk"))
    (tmp_path / "03.txt").write_text(small_issue(number=3), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a bulletin", encoding="utf-8")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1个文件导入失败"):
        call_command("import_bulletin", str(tmp_path), stdout=out, stderr=err)
    assert sorted(Issue.objects.values_list("number", flat=True)) == [1, 3]
    assert "导入2个，已存在跳过0个，失败1个" in out.getvalue()
    assert "02.txt" in err.getvalue() and "不是UTF-8编码" in err.getvalue()


def test_directory_run_counts_existing_issues_as_skipped(tmp_path):
    (tmp_path / "01.txt").write_text(small_issue(number=1), encoding="utf-8")
    run(tmp_path)
    (tmp_path / "02.txt").write_text(small_issue(number=2), encoding="utf-8")
    assert "导入1个，已存在跳过1个，失败0个" in run(tmp_path)


def test_missing_path_is_reported():
    with pytest.raises(CommandError, match="找不到文件或目录"):
        run("/nonexistent/bulletin.txt")


# The 版记, the masthead's date and page furniture (issue 15)

DISTRIBUTION_TEXT = """2023年文明城市创建(第2期)
时间: 2023-02-01 08:00:00
【单位行动】
●近日,市文明办开展志愿服务。
———————————————————
报：市委、市政府领导
送：市人大、市政协领导同志
发：各县（区）创文办，
市级各部门
———————————————————
巴中市创文办　　　　2023年2月1日印发
（共印120份）
"""


def test_distribution_at_the_end_is_read_and_left_out_of_the_last_entry():
    parsed = parse_text(DISTRIBUTION_TEXT)
    assert parsed.entries[-1].paragraphs == ["近日,市文明办开展志愿服务。"]
    found = parsed.distribution
    assert (found.report_to, found.send_to, found.issue_to, found.print_run) == (
        "市委、市政府领导", "市人大、市政协领导同志", "各县（区）创文办，市级各部门", 120,
    )


def test_distribution_followed_by_page_furniture_is_still_read():
    parsed = parse_text(DISTRIBUTION_TEXT + "【打印本页】【关闭窗口】\n上一篇：2023年文明城市创建(第1期)\n")
    assert parsed.distribution.print_run == 120


def test_an_entry_line_starting_with_fa_is_not_a_distribution_when_text_follows():
    parsed = parse_text("2023年文明城市创建(第2期)\n【单位行动】\n●近日,好。\n发：通知如下。\n这是一段很长的正文，它不属于版记，" + "内容" * 40 + "。\n")
    assert parsed.distribution is None
    assert parsed.entries[0].paragraphs[-1].startswith("这是一段很长的正文")


def test_imported_distribution_becomes_the_issue_distribution():
    issue = import_issue(parse_text(DISTRIBUTION_TEXT))
    assert (issue.report_to, issue.issue_to, issue.print_run) == ("市委、市政府领导", "各县（区）创文办，市级各部门", 120)
    assert issue.distribution().lines()[1] == ("送", "市人大、市政协领导同志")


def test_issue_without_distribution_prints_the_site_default():
    issue = import_issue(parse_text("2023年文明城市创建(第2期)\n【单位行动】\n●近日,好。"))
    assert (issue.report_to, issue.send_to, issue.issue_to, issue.print_run) == ("", "", "", None)
    from bulletins.models import SiteSettings

    assert issue.distribution().issue_to == SiteSettings.load().issue_to


def test_masthead_date_is_the_issue_date_without_a_time_line():
    text = "文明城市创建\n2023年第2期\n巴中市创文办　　2023年2月1日\n【单位行动】\n●近日,好。"
    parsed = parse_text(text)
    assert parsed.masthead_date == datetime.date(2023, 2, 1)
    issue = import_issue(parsed, status=Issue.Status.PUBLISHED)
    assert issue.dated_at == issue.published_at == datetime.datetime(2023, 2, 1, tzinfo=SHANGHAI)


def test_time_line_wins_over_the_masthead_date():
    text = "文明城市创建\n巴中市创文办　2023年1月30日\n2023年文明城市创建(第2期)\n时间: 2023-02-01 08:00:00\n【单位行动】\n●近日,好。"
    issue = import_issue(parse_text(text), status=Issue.Status.PUBLISHED)
    assert issue.dated_at == datetime.datetime(2023, 2, 1, 8, tzinfo=SHANGHAI)


@pytest.mark.parametrize("furniture", [
    "【打印本页】【关闭窗口】",
    "【打印本页】 【关闭窗口】",
    "浏览次数：356",
    "字号：大 中 小",
    "【字体：大 中 小】",
    "分享到：微信 微博 QQ空间",
    "[打印本页] [关闭窗口]",
])
def test_page_furniture_never_reaches_an_entry(furniture):
    text = f"2023年文明城市创建(第2期)\n【单位行动】\n●近日,市文明办开展志愿服务。{furniture}\n第二段。\n{furniture}\n"
    parsed = parse_text(text)
    assert parsed.entries[0].paragraphs == ["近日,市文明办开展志愿服务。", "第二段。"]


def test_furniture_words_inside_real_text_are_kept():
    parsed = parse_text("2023年文明城市创建(第2期)\n【单位行动】\n●近日,把经验分享到全市,打印成册。")
    assert parsed.entries[0].paragraphs == ["近日,把经验分享到全市,打印成册。"]
