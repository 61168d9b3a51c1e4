"""The one reading of names and titles (bulletins.names) that linking, import and proofreading share."""

import datetime

import pytest

from bulletins.names import (
    COMMON_WORDS,
    PeopleIndex,
    RegisteredPerson,
    closest,
    resolve,
    run_fits,
    scan,
    title_before,
    titled_names,
)
from bulletins.names.titles import TITLE_WORDS

DAY = datetime.date(2023, 4, 6)


def index(*people):
    return PeopleIndex(RegisteredPerson(pk=n, name=name, current_title=title) for n, (name, title) in enumerate(people))


def slips(text, people, date=DAY):
    registry = index(*people)
    mentions, sites = scan(text, registry)
    mentioned = {mention.name for mention in mentions} | titled_names(sites, registry)
    return resolve(sites, registry, date, mentioned)


# Titles


def test_title_stops_at_the_previous_person_and_punctuation():
    text = "市委副书记、市长高鹏凌,市人大常委会主任李映,市政协主席侯中文等市领导"
    assert title_before(text, text.index("李映"), floor=text.index(",")).display == "市人大常委会主任"
    assert title_before(text, text.index("侯中文")).display == "市政协主席"


def test_words_before_a_title_are_not_part_of_it():
    text = "会议由市委常委、宣传部部长陶斌主持。"
    run = title_before(text, text.index("陶斌"))
    assert run.display == "市委常委、宣传部部长" and run.parts[-1] == "宣传部部长"


def test_leading_date_is_not_part_of_a_title():
    text = "3月15日市长高鹏凌调研。"
    assert title_before(text, text.index("高鹏凌")).display == "市长"


def test_no_title_before_a_bare_name():
    text = "高鹏凌指出,要抓好创文。"
    assert title_before(text, 0) is None
    assert title_before("他说陶斌", 2) is None


def test_a_registered_title_without_a_title_word_is_read():
    text = "市委巡察组成员张三到场。"
    assert title_before(text, text.index("张三")) is None
    assert title_before(text, text.index("张三"), known_titles=["市委巡察组成员"]).display == "市委巡察组成员"


def test_one_word_list_has_the_words_both_readers_used():
    assert {"专员", "审计长", "副市长", "省长", "主任科员", "总工程师"} <= set(TITLE_WORDS)


def test_title_without_its_organisation_fits_but_not_without_its_rank():
    assert run_fits(title_before("部长陶斌", 2), ["市委常委、宣传部部长"])
    assert not run_fits(title_before("市长赵建仁", 2), ["副市长"])
    assert not run_fits(title_before("组织部部长陶斌", 5), ["市委常委、宣传部部长"])


# Names one character off


def test_titled_slip_names_the_registered_person():
    [slip] = slips("近日,市委常委、宣传部部长陶彬暗访。", [("陶斌", "市委常委、宣传部部长")])
    assert (slip.written, slip.best, slip.title.display) == ("陶彬", "陶斌", "市委常委、宣传部部长")


def test_bare_slip_before_a_speech_verb_is_found():
    [slip] = slips("会上,王健国指出,要抓好创文。", [("王建国", "副市长")])
    assert slip.written == "王健国" and slip.title is None and slip.best == "王建国"


def test_bare_slip_of_a_person_mentioned_elsewhere_is_found():
    [slip] = slips("副市长王建国率队调研。随后王建囯一行察看了社区。", [("王建国", "副市长")])
    assert slip.written == "王建囯"


def test_bare_sequence_of_a_person_not_mentioned_and_not_where_a_name_stands_is_not_a_slip():
    assert slips("活动由王健国际公司承办。", [("王建国", "副市长")]) == []


def test_bare_sequence_with_another_surname_is_not_a_slip():
    assert slips("副市长李明调研。黎明时分,志愿者出发。", [("李明", "副市长")]) == []


@pytest.mark.parametrize("word", ["周边", "李子", "高度", "文明"])
def test_common_words_that_look_like_names_are_not_slips(word):
    assert word in COMMON_WORDS
    name = word[0] + "达"
    assert slips(f"副市长{name}调研。{word}环境整治强调实效。", [(name, "副市长")]) == []


def test_the_title_as_written_picks_one_of_two_neighbours():
    [slip] = slips("近日,副市长李铭调研。", [("李明", "副市长"), ("李鸣", "市委常委")])
    assert slip.best == "李明" and slip.ambiguous == ()


def test_the_title_at_the_issue_date_decides_between_neighbours():
    registry = PeopleIndex([
        RegisteredPerson(pk=1, name="李明", titles=[("副市长", datetime.date(2019, 1, 1), datetime.date(2021, 12, 31))],
                         current_title="市委书记"),
        RegisteredPerson(pk=2, name="李鸣", titles=[("副市长", datetime.date(2022, 1, 1), None)]),
    ])
    text = "近日,副市长李铭调研。"
    for date, best in ((datetime.date(2020, 5, 1), "李明"), (DAY, "李鸣")):
        _, sites = scan(text, registry)
        [slip] = resolve(sites, registry, date, set())
        assert slip.best == best and slip.ambiguous == ()


def test_a_bare_slip_between_two_neighbours_lists_both():
    [slip] = slips("会上,李铭强调,要抓好创文。", [("李明", "副市长"), ("李鸣", "市委常委")])
    assert set(slip.candidates) == {"李明", "李鸣"} and len(slip.ambiguous) == 1


def test_a_mentioned_neighbour_comes_first_for_a_bare_slip():
    [slip] = slips("市委常委李鸣出席。李铭强调,要抓好创文。", [("李明", "副市长"), ("李鸣", "市委常委")])
    assert slip.best == "李鸣" and slip.ambiguous == ()


def test_a_registered_name_is_never_a_slip():
    assert slips("副市长李明、市委常委李鸣出席。李明强调。", [("李明", "副市长"), ("李鸣", "市委常委")]) == []


def test_closest_registered_name_for_a_suggested_new_person():
    registry = index(("陶斌", "市委常委、宣传部部长"))
    text = "市委常委、宣传部部长陶彬"
    assert closest("陶彬", title_before(text, 10), registry).best == "陶斌"
    assert closest("何渝", title_before("副市长何渝", 3), registry) is None
