"""Search: runs unchanged on SQLite and PostgreSQL; the exact result ids pin that both agree."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulletins.models import EntrySearchIndex, Issue
from bulletins.search import MAX_QUERY_LENGTH, MAX_TERMS, Filters, highlight, parse_query, search
from tests.factories import link_person, make_entry, make_issue, make_person, make_published_issue, make_unit, section

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(year, month, day):
    return datetime.datetime(year, month, day, 12, 0, tzinfo=SHANGHAI)


def p(text):
    return f"<p>{text}</p>"


def ids(query, **filters):
    results = search(parse_query(query), Filters(**filters))
    return [entry.pk for entry in results[0 : len(results)]]


@pytest.fixture
def corpus():
    """A small archive: two numbered issues, an issue titled 创文专刊, and hidden issues."""
    older = make_published_issue(year=2022, number=5, published_at=at(2022, 5, 1))
    newer = make_published_issue(year=2023, number=13, published_at=at(2023, 4, 6))
    special = make_published_issue(year=2021, number=1, published_at=at(2021, 1, 5), title="2021年创文专刊")
    c = {
        "a1": make_entry(older, body=p("3月15日，市领导参加春季义务植树活动。"), date_text="3月15日",
                         event_date=datetime.date(2022, 3, 15)),
        "a2": make_entry(older, section_name="单位行动", body=p("市残联开展创文志愿服务，以创文促创建，创文有成效。")),
        "a3": make_entry(older, section_name="一线经验", body=p("社区做好创文入户宣传。")),
        "b1": make_entry(newer, body=p("近日，陶斌督导创文工作。"), date_text="近日"),
        "b2": make_entry(newer, section_name="单位行动", body=p("市残联联合市中医院开展义诊，植树节后开展创文宣传。"),
                         date_text="3月17日", event_date=datetime.date(2023, 3, 17)),
        "b3": make_entry(newer, section_name="同创资讯", body=p("攀枝花市创建全国文明城市。")),
        "c1": make_entry(special, body=p("本期刊登工作动态。")),
    }
    link_person(c["b1"], make_person("陶斌"), "市委常委、宣传部部长")
    c["b2"].units.add(make_unit("巴中市残疾人联合会", "市残联"))
    for number, status in enumerate((Issue.Status.DRAFT, Issue.Status.IN_REVIEW, Issue.Status.AWAITING_SIGNOFF)):
        make_entry(make_issue(year=2023, number=101 + number, status=status), body=p("草稿：创文植树攀枝花。"))
    scheduled = make_published_issue(year=2023, number=104, published_at=at(2030, 1, 1))
    make_entry(scheduled, body=p("定时发布：创文植树攀枝花。"))
    withdrawn = make_issue(year=2023, number=105, status=Issue.Status.WITHDRAWN, published_at=at(2023, 2, 1),
                           withdrawn_reason="表述错误")
    make_entry(withdrawn, body=p("已撤回：创文植树攀枝花。"))
    return {name: entry.pk for name, entry in c.items()}


def test_two_character_word_is_found_inside_longer_text(corpus):
    assert ids("植树") == [corpus["b2"], corpus["a1"]]


def test_every_word_of_a_multi_word_query_must_match(corpus):
    assert ids("植树 创文") == [corpus["b2"]]


def test_punctuation_between_words_separates_them_like_a_space(corpus):
    assert ids("植树，创文") == ids("植树 创文")


def test_ranking_puts_title_matches_first_then_more_occurrences_then_newer_issues(corpus):
    assert ids("创文") == [corpus["c1"], corpus["a2"], corpus["b1"], corpus["b2"], corpus["a3"]]


def test_issue_titles_are_searched(corpus):
    assert ids("专刊") == [corpus["c1"]]


def test_three_character_word_must_occur_exactly_not_only_its_bigrams(corpus):
    issue = make_published_issue(year=2024, number=1, title="第一期")
    scattered = make_entry(issue, body=p("义务植树，树节约用水。"))
    exact = make_entry(issue, body=p("植树节活动。"))
    assert ids("植树节") == [exact.pk, corpus["b2"]]
    assert scattered.pk not in ids("植树节")


def test_single_character_query_finds_the_character_anywhere(corpus):
    assert ids("植") == [corpus["b2"], corpus["a1"]]


def test_full_width_and_upper_case_letters_match_their_plain_form():
    issue = make_published_issue(year=2024, number=2, title="第二期")
    entry = make_entry(issue, body=p("开展ＰＭ２．５治理。"))
    assert ids("pm2") == [entry.pk]


@pytest.mark.parametrize("query", ["创文", "植树", "攀枝花", "草稿", "定时发布", "已撤回"])
def test_unpublished_scheduled_and_withdrawn_content_is_never_found(corpus, query):
    hidden = {corpus[name] for name in corpus}
    assert set(ids(query)) <= hidden


def test_filter_by_year(corpus):
    assert ids("创文", year=2022) == [corpus["a2"], corpus["a3"]]


def test_filter_by_section(corpus):
    assert ids("创文", section=section("单位行动")) == [corpus["a2"], corpus["b2"]]


def test_filter_by_person(corpus):
    from bulletins.models import Person

    assert ids("创文", person=Person.objects.get(name="陶斌")) == [corpus["b1"]]


def test_filter_by_unit(corpus):
    from bulletins.models import Unit

    assert ids("创文", unit=Unit.objects.get(name="巴中市残疾人联合会")) == [corpus["b2"]]


def test_date_range_uses_event_date_or_else_the_issue_publish_date(corpus):
    # b2 happened on 2023-03-17; b1 (近日) counts from its issue's publish date 2023-04-06.
    assert ids("创文", date_from=datetime.date(2023, 3, 1), date_to=datetime.date(2023, 3, 31)) == [corpus["b2"]]
    assert ids("创文", date_from=datetime.date(2023, 4, 1)) == [corpus["b1"]]


def test_highlight_marks_the_terms_and_escapes_everything_else():
    assert str(highlight("<b>推进创文</b>&", ["创文"])) == "&lt;b&gt;推进<mark>创文</mark>&lt;/b&gt;&amp;"


def test_highlight_cuts_a_window_around_the_first_match():
    text = "甲" * 200 + "植树" + "乙" * 200
    result = str(highlight(text, ["植树"], length=60))
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>植树</mark>" in result


def test_search_page_shows_issue_section_date_and_highlighted_snippet(client, corpus):
    response = client.get(reverse("bulletins:search"), {"q": "植树"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<mark>植树</mark>" in html
    assert "2023年文明城市创建(第13期)" in html
    assert "单位行动" in html
    assert "2023年3月17日" in html
    assert 'role="search"' in html and '<label for="id_q">' in html


def test_search_page_without_a_query_explains_how_to_search(client, corpus):
    response = client.get(reverse("bulletins:search"))
    assert response.status_code == 200
    assert "请输入要查找的词语" in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("！？。，、……", "没有可以搜索的文字"),
        ("' OR 1=1 --", "没有找到"),
        ("<script>alert(1)</script>", "没有找到"),
        ("创" * 1000, f"只按前{MAX_QUERY_LENGTH}个字搜索"),
        (" ".join(f"词{n}" for n in range(20)), f"只按前{MAX_TERMS}个词搜索"),
        ("'; DROP TABLE bulletins_entry; --", "没有找到"),
    ],
)
def test_hostile_queries_get_a_calm_message_not_an_error(client, corpus, query, message):
    response = client.get(reverse("bulletins:search"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<script>alert" not in html


def test_bad_filter_values_are_reported_and_the_search_still_runs(client, corpus):
    response = client.get(
        reverse("bulletins:search"), {"q": "植树", "year": "abc", "section": "nope", "date_from": "昨天"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有这个选项" in html and "请按 2023-04-06 的格式填写日期" in html
    assert "<mark>植树</mark>" in html


def test_results_are_paginated_and_page_links_keep_the_filters(client):
    issue = make_published_issue(year=2024, number=3, title="第三期")
    for n in range(25):
        make_entry(issue, body=p(f"第{n}条植树消息。"), order=n)
    first = client.get(reverse("bulletins:search"), {"q": "植树", "year": "2024"}).content.decode()
    second = client.get(reverse("bulletins:search"), {"q": "植树", "year": "2024", "page": "2"}).content.decode()
    assert first.count('<li class="result">') == 20 and second.count('<li class="result">') == 5
    assert "q=%E6%A4%8D%E6%A0%91&amp;year=2024&amp;page=2" in first
    assert 'start="21"' in second


def test_search_takes_a_bounded_number_of_queries(client, corpus):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("bulletins:search"), {"q": "创文"})
    assert len(queries) <= 13  # 12 + the content generation (bulletins/public_cache.py)


def test_editing_an_entry_updates_the_index(corpus):
    entry = make_entry(make_published_issue(year=2024, number=4), body=p("旧的内容。"))
    entry.body = p("新增垃圾分类内容。")
    entry.save()
    assert ids("垃圾分类") == [entry.pk]
    assert ids("旧的") == []


def test_renaming_an_issue_reindexes_its_entries(corpus):
    issue = Issue.objects.get(year=2021, number=1)
    issue.title = "2021年文明城市创建(第1期)"
    issue.save()
    assert ids("专刊") == []


def test_deleting_an_entry_removes_it_from_the_index(corpus):
    EntrySearchIndex.objects.get(entry_id=corpus["b3"]).entry.delete()
    assert ids("攀枝花") == []


def test_rebuild_search_index_command_restores_a_lost_index(corpus):
    EntrySearchIndex.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert ids("植树") == [corpus["b2"], corpus["a1"]]


def test_null_characters_and_odd_page_numbers_do_not_break_the_page(client, corpus):
    params = {"q": "植树\x00", "section": "\x00", "person": "\x00", "unit": "1\x00", "year": "\x00", "page": "99999"}
    response = client.get(reverse("bulletins:search"), params)
    assert response.status_code == 200


def test_raw_saves_as_in_loaddata_or_a_restored_revision_are_indexed_on_commit(
    corpus, django_capture_on_commit_callbacks
):
    from django.core import serializers

    from bulletins.models import Entry

    data = serializers.serialize("json", [Entry.objects.get(pk=corpus["b3"])])
    restored = next(serializers.deserialize("json", data.replace("攀枝花", "乐山")))
    with django_capture_on_commit_callbacks(execute=True):
        restored.save()
    assert ids("乐山") == [corpus["b3"]]


def test_snippet_window_shows_as_many_different_terms_as_it_can():
    text = "创文" + "甲" * 200 + "植树乙创文" + "丙" * 200
    result = str(highlight(text, ["植树", "创文"], length=60))
    assert "<mark>植树</mark>乙<mark>创文</mark>" in result


def test_chosen_filters_stay_selected_on_the_results_page(client, corpus):
    html = client.get(reverse("bulletins:search"), {"q": "创文", "year": "2022", "section": "units"}).content.decode()
    assert '<option value="2022" selected>2022年</option>' in html
    assert '<option value="units" selected>单位行动</option>' in html


def test_an_entry_without_text_is_indexed_without_error():
    issue = make_published_issue(year=2024, number=5, title="！")
    entry = make_entry(issue, body="<p>……</p>")
    assert EntrySearchIndex.objects.filter(entry=entry).exists()


def test_a_date_range_that_ends_before_it_starts_is_explained(client, corpus):
    params = {"q": "创文", "date_from": "2023-05-01", "date_to": "2023-01-01"}
    html = client.get(reverse("bulletins:search"), params).content.decode()
    assert "截止日期不能早于起始日期" in html
