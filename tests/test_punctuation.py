"""Punctuation (GB/T 15834) findings and their fixes."""

import pytest

from bulletins.checks import run_checks
from bulletins.proofreading.fixes import FixFailed, apply_fix, edits_for
from bulletins.proofreading.punctuation import problems
from bulletins.sanitize import html_to_text

from .bulletin_sample import make_sample_issue, make_sample_registry


def kinds(text):
    return [(problem.kind, text[problem.start:problem.end], problem.new) for problem in problems(text)]


def fixed(text):
    """The text in a paragraph with every certain fix applied."""
    changes = [(problem.start, problem.end, problem.new) for problem in problems(text) if problem.new]
    return apply_fix(f"<p>{text}</p>", edits_for(text, changes))


def test_half_width_comma_in_chinese_text_becomes_full_width():
    assert kinds("3月15日,市委召开会议。") == [("halfwidth", ",", "，")]


def test_half_width_marks_between_digits_and_in_latin_text_stay():
    assert kinds("共1,000人，10:30开始，增长3.5%。Hello, world.") == []


def test_half_width_brackets_and_quotes_in_chinese_text_become_full_width():
    text = '推进(第一季度)会议,树立"绿水青山"理念。'
    assert [new for _, _, new in kinds(text)] == ["（", "）", "，", "“", "”"]
    assert fixed(text) == "<p>推进（第一季度）会议，树立“绿水青山”理念。</p>"


def test_repeated_mark_becomes_one():
    assert kinds("会议召开，，各部门参加。。") == [("repeat", "，，", "，"), ("repeat", "。。", "。")]
    assert fixed("会议召开，,各部门参加。") == "<p>会议召开，各部门参加。</p>"


def test_ellipsis_and_dash_are_not_repeats():
    assert kinds("创建文明城市……共同努力——全市参与。") == []


def test_unpaired_quote_bracket_and_book_title_marks_are_found():
    found = kinds("学习《条例，开展“宣传活动。（共50人")
    assert [(kind, mark) for kind, mark, _ in found] == [("unpaired", "《"), ("unpaired", "“"), ("unpaired", "（")]


def test_second_opening_quote_is_fixed_to_a_closing_one():
    assert kinds("树立“两山“理念。") == [("unpaired", "“", "”")]
    assert fixed("树立“两山“理念。") == "<p>树立“两山”理念。</p>"


def test_quotation_without_its_closing_mark_before_another_quotation_is_the_one_found():
    text = "树立“创建为民理念，用好“一号工程”工作法。"
    assert kinds(text) == [("unpaired", "“", None)]
    assert problems(text)[0].start == text.index("“")


def test_stray_closing_bracket_has_no_certain_fix():
    assert kinds("共50人）参加。") == [("unpaired", "）", None)]


def test_fix_keeps_markup_and_changes_only_the_marks():
    body = '<p>3月15日,<strong>市委</strong>召开会议,研究&amp;部署。</p><p>会上,强调落实。</p>'
    text = html_to_text(body)
    edits = edits_for(text, [(p.start, p.end, p.new) for p in problems(text)])
    assert apply_fix(body, edits) == '<p>3月15日，<strong>市委</strong>召开会议，研究&amp;部署。</p><p>会上，强调落实。</p>'


def test_fix_of_a_text_that_changed_is_refused():
    text = "近日,市委召开会议。"
    edits = edits_for(text, [(p.start, p.end, p.new) for p in problems(text)])
    with pytest.raises(FixFailed):
        apply_fix("<p>近日，市委召开会议。</p>", edits)


def test_same_mark_in_the_same_context_twice_is_fixed_at_the_right_place():
    text = "会上,会上,会上。"
    [_, second] = problems(text)
    assert apply_fix(f"<p>{text}</p>", edits_for(text, [(second.start, second.end, second.new)])) == "<p>会上,会上，会上。</p>"


@pytest.mark.django_db
def test_sample_has_no_blocking_findings_and_all_its_fixes_make_it_clean_changing_only_punctuation():
    make_sample_registry()
    issue = make_sample_issue()
    findings = run_checks(issue)
    assert not [f for f in findings if f.is_blocking]
    assert findings and {f.code for f in findings} == {"punctuation"}
    for entry in issue.entries.all():
        before = entry.plain_text
        for _ in range(3):
            fixes = [p for p in problems(entry.plain_text) if p.new]
            if not fixes:
                break
            entry.body = apply_fix(entry.body, edits_for(entry.plain_text, [(p.start, p.end, p.new) for p in fixes]))
            entry.save()
        assert problems(entry.plain_text) == []
        assert _without_punctuation(entry.plain_text) == _without_punctuation(before)
        assert len(entry.plain_text) == len(before)
    assert run_checks(issue) == []


def _without_punctuation(text):
    return "".join(char for char in text if char.isalnum() or char.isspace())
