import pytest

from bulletins.importer import parse_text
from bulletins.importer.writer import import_issue
from bulletins.linking import Registry, find_mentions, link_entry, suggest_new_people
from bulletins.models import EntryPerson, Person, PersonTitle, Unit
from bulletins.sample_registry import PEOPLE, load_sample_registry

from .factories import make_entry, make_issue, make_person, make_unit
from .samples import sample_text

pytestmark = pytest.mark.django_db


def mentions(text):
    return find_mentions(text, Registry.load())


def test_unit_is_found_by_its_alias():
    unit = make_unit("市残疾人联合会", short_names="市残联")
    assert mentions("3月17日市残联联合市中医院开展义诊。").linked_units() == [unit]


def test_unit_full_name_and_alias_are_one_unit():
    unit = make_unit("市残疾人联合会", short_names="市残联")
    found = mentions("市残疾人联合会（市残联）组织活动。")
    assert found.linked_units() == [unit] and len(found.units) == 2


def test_longest_name_wins_where_names_overlap():
    make_unit("市中医院", short_names="巴中市中医院")
    found = mentions("巴中市中医院专家坐诊。")
    assert [mention.name for mention in found.units] == ["巴中市中医院"]


def test_word_that_is_not_a_registry_name_is_not_a_unit():
    make_unit("市委宣传部", short_names="")
    assert mentions("认真贯彻落实市委、市政府关于创文工作的决策部署。").units == []


def test_unit_inside_a_persons_title_is_not_linked():
    make_unit("市公安局", short_names="")
    make_person("何渝", "副市长、市公安局局长")
    assert mentions("3月13日,副市长、市公安局局长何渝主持召开会议。").units == []


def test_person_is_linked_with_the_title_as_written():
    person = make_person("陶斌", "市委常委、宣传部部长")
    found = mentions("近日,市委常委、宣传部部长陶斌以“四不两直”方式暗访。").linked_people()
    assert [(m.person, m.title) for m in found] == [(person, "市委常委、宣传部部长")]


def test_title_as_written_is_kept_even_when_it_differs_from_the_registry():
    make_person("高鹏凌", "市委副书记、市长")
    found = mentions("近日,副市长高鹏凌调研创文工作。").linked_people()
    assert found[0].title == "副市长"


def test_person_named_twice_is_linked_once_with_the_title():
    make_person("高鹏凌", "市委副书记、市长")
    found = mentions("市委副书记、市长高鹏凌参加活动。\n高鹏凌指出,要久久为功。").linked_people()
    assert len(found) == 1 and found[0].title == "市委副书记、市长"


def test_namesakes_are_told_apart_by_title():
    make_person("李明", "市委秘书长")
    deputy = make_person("李明", "副市长")
    assert mentions("近日,副市长李明调研。").linked_people()[0].person == deputy


def test_unknown_title_and_name_is_suggested_not_added():
    make_person("陶斌", "市委常委、宣传部部长")
    suggestions = suggest_new_people("3月13日,副市长、市公安局局长何渝主持召开2023年巴中市城市顽疾治理攻坚行动部署会。")
    assert [(s.title, s.name) for s in suggestions] == [("副市长、市公安局局长", "何渝")]
    assert suggestions[0].text == "副市长、市公安局局长何渝"
    assert not Person.objects.filter(name="何渝").exists()


def test_three_character_name_is_suggested_whole():
    suggestions = suggest_new_people("近日,市委常委、组织部部长熊文琦暗访督导江北街道。")
    assert [s.name for s in suggestions] == ["熊文琦"]


def test_name_one_character_off_a_registered_one_points_at_the_registered_person():
    person = make_person("陶斌", "市委常委、宣传部部长")
    [suggestion] = suggest_new_people("近日,市委常委、宣传部部长陶彬暗访督导创文工作。")
    assert (suggestion.name, suggestion.registered) == ("陶彬", person)


def test_slip_points_at_the_person_whose_title_is_written():
    make_person("李鸣", "市委常委")
    deputy = make_person("李明", "副市长")
    [suggestion] = suggest_new_people("近日,副市长李铭调研创文工作。")
    assert suggestion.registered == deputy


def test_known_person_is_not_suggested():
    make_person("何渝", "副市长、市公安局局长")
    assert suggest_new_people("副市长、市公安局局长何渝主持召开会议。") == []


def test_sample_with_its_registry_links_every_leader_and_suggests_no_one():
    load_sample_registry()
    registry = Registry.load()
    parsed = parse_text(sample_text())
    linked = {(m.person.name, m.title) for e in parsed.entries for m in find_mentions(e.text, registry).linked_people()}
    assert linked == set(PEOPLE)
    assert [s for e in parsed.entries for s in suggest_new_people(e.text, registry)] == []


def test_sample_registry_titles_are_recorded_over_time():
    load_sample_registry()
    assert PersonTitle.objects.get(person__name="陶斌").title == "市委常委、宣传部部长"


def test_sample_registry_links_each_named_unit():
    load_sample_registry()
    issue = import_issue(parse_text(sample_text()))
    linked = set(Unit.objects.filter(entries__issue=issue).values_list("name", flat=True))
    assert {"市残疾人联合会", "市中医院", "市住房和城乡建设局", "市委宣传部", "市税务局", "湘潭市"} <= linked
    assert "市公安局" not in linked


def test_link_entry_links_people_and_units_of_a_saved_entry():
    person, unit = make_person(), make_unit()
    entry = make_entry(make_issue(), body="<p>近日,市委常委、宣传部部长陶斌到市残联调研。</p>")
    link_entry(entry)
    assert [(p.person, p.title_as_written) for p in entry.entry_people.all()] == [(person, "市委常委、宣传部部长")]
    assert list(entry.units.all()) == [unit]


def test_link_entry_unlinks_a_person_no_longer_named_and_keeps_hand_picked_units():
    person, named_unit, picked = make_person(), make_unit(), make_unit("巴州区", short_names="")
    entry = make_entry(make_issue(), body="<p>近日,市委常委、宣传部部长陶斌到市残联调研。</p>")
    link_entry(entry)
    entry.units.add(picked)
    entry.body = "<p>近日,市残联开展活动。</p>"
    entry.save()
    link_entry(entry)
    assert not EntryPerson.objects.filter(entry=entry, person=person).exists()
    assert set(entry.units.all()) == {named_unit, picked}


def test_link_entry_updates_the_title_when_the_text_changes():
    make_person()
    entry = make_entry(make_issue(), body="<p>近日,宣传部部长陶斌调研。</p>")
    link_entry(entry)
    entry.body = "<p>近日,市委常委、宣传部部长陶斌调研。</p>"
    entry.save()
    link_entry(entry)
    assert entry.entry_people.get().title_as_written == "市委常委、宣传部部长"


def test_saving_an_entry_in_the_admin_links_people_and_units(client):
    from .factories import make_user

    client.force_login(make_user(is_staff=True, is_superuser=True))
    person, unit = make_person(), make_unit()
    entry = make_entry(make_issue(), body="<p>旧的正文。</p>")
    response = client.post(f"/admin/bulletins/entry/{entry.pk}/change/", {
        "issue": entry.issue_id, "section": entry.section_id, "order": 1, "date_text": "近日", "event_date": "",
        "body": "<p>近日,市委常委、宣传部部长陶斌到市残联调研。</p>",
        "entry_people-TOTAL_FORMS": 0, "entry_people-INITIAL_FORMS": 0,
        "expected_issue_version": entry.issue.version,
    })
    assert response.status_code == 302
    assert entry.entry_people.get().person == person
    assert list(entry.units.all()) == [unit]


def test_saving_an_entry_in_the_admin_offers_unknown_people_without_adding_them(client):
    from .factories import make_user

    client.force_login(make_user(is_staff=True, is_superuser=True))
    entry = make_entry(make_issue(), body="<p>旧的正文。</p>")
    response = client.post(f"/admin/bulletins/entry/{entry.pk}/change/", {
        "issue": entry.issue_id, "section": entry.section_id, "order": 1, "date_text": "3月13日",
        "event_date": "2023-03-13", "body": "<p>3月13日,副市长、市公安局局长何渝主持召开会议。</p>",
        "entry_people-TOTAL_FORMS": 0, "entry_people-INITIAL_FORMS": 0,
        "expected_issue_version": entry.issue.version,
    }, follow=True)
    content = response.content.decode()
    assert "人物名录里没有的人" in content and "副市长、市公安局局长何渝" in content
    assert "/admin/bulletins/person/add/?name=%E4%BD%95%E6%B8%9D" in content
    assert not Person.objects.filter(name="何渝").exists()


def test_saving_an_entry_with_a_misspelt_leader_points_at_the_registered_person_not_at_adding(client):
    from .factories import make_user

    make_person("陶斌", "市委常委、宣传部部长")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    entry = make_entry(make_issue(), body="<p>旧的正文。</p>")
    response = client.post(f"/admin/bulletins/entry/{entry.pk}/change/", {
        "issue": entry.issue_id, "section": entry.section_id, "order": 1, "date_text": "近日",
        "body": "<p>近日,市委常委、宣传部部长陶彬暗访督导创文工作。</p>",
        "entry_people-TOTAL_FORMS": 0, "entry_people-INITIAL_FORMS": 0,
        "expected_issue_version": entry.issue.version,
    }, follow=True)
    content = response.content.decode()
    assert "人名疑似写错" in content and "疑为名录中的“市委常委、宣传部部长陶斌”" in content
    assert "人物名录里没有的人" not in content and "?name=%E9%99%B6%E5%BD%AC" not in content
