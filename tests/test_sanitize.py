import random

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bulletins.models import Entry, Issue, Section
from bulletins.sanitize import (
    MAX_ATTRIBUTE_CHARS,
    MAX_BODY_CHARS,
    MAX_BODY_DEPTH,
    MAX_COLSPAN,
    MAX_GROWTH,
    MAX_ROWSPAN,
    BodyRejected,
    check_body,
    html_to_text,
    nesting_depth,
    paragraphs_to_html,
    sanitize_html,
)


@pytest.fixture
def make_entry_parts(db):
    return Issue.objects.create(year=2024, number=7), Section.objects.get(name="领导活动")


@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>好<script>alert(1)</script></p>", "script"),
        ("<style>p{color:red}</style><p>好</p>", "style"),
        ('<iframe src="https://evil.example/"></iframe><p>好</p>', "iframe"),
        ('<p onclick="steal()">好</p>', "onclick"),
        ('<img src="x.png" onerror="steal()" alt="图">', "onerror"),
        ('<a href="javascript:alert(1)">链接</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">链接</a>', "alert"),
        ('<img src="data:image/png;base64,AAAA" alt="图">', "data:"),
        ('<p style="position:fixed">好</p>', "style"),
        ("<object data='x.swf'></object><p>好</p>", "object"),
        ("<form action='/'><input name='x'></form>", "input"),
        ("<svg><script>alert(1)</script></svg>", "svg"),
        ("<!-- hidden --><p>好</p>", "hidden"),
    ],
)
def test_forbidden_construct_is_removed(dirty, forbidden):
    assert forbidden.lower() not in sanitize_html(dirty).lower()


@pytest.mark.parametrize(
    "clean",
    [
        "<p>市委常委、宣传部部长<strong>陶斌</strong>指出</p>",
        "<p><em>文明</em><u>城市</u><s>旧</s>H<sub>2</sub>O x<sup>2</sup></p>",
        "<ul><li>一是找症结</li><li>二是明责任</li></ul>",
        "<ol><li>第一</li></ol>",
        "<blockquote><p>绿水青山就是金山银山</p></blockquote>",
        "<h3>小标题</h3>",
        '<p><img src="/media/images/2023/04/abc.jpg" alt="植树现场" width="600" height="400"></p>',
        "<table><tbody><tr><td>单位</td><td>人数</td></tr></tbody></table>",
    ],
)
def test_allowed_formatting_is_kept(clean):
    assert sanitize_html(clean) == clean


def test_links_keep_their_address_and_get_a_safe_rel():
    cleaned = sanitize_html('<a href="https://www.gov.cn/" target="_blank">中国政府网</a>')
    assert 'href="https://www.gov.cn/"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned
    assert "target" not in cleaned


def test_plain_text_keeps_one_paragraph_per_line():
    assert html_to_text("<p>第一段</p><p>第二段&amp;</p>") == "第一段\n第二段&"


def test_imported_paragraphs_are_escaped():
    assert paragraphs_to_html(["<b>不是标签</b>", " "]) == "<p>&lt;b&gt;不是标签&lt;/b&gt;</p>"


# Bounded input: refused before nh3 runs, with a message saying what to fix


def test_a_megabyte_of_nested_divs_is_refused_as_too_long():
    body = "<div>" * 200_000 + "文" + "</div>" * 200_000
    with pytest.raises(BodyRejected) as refused:
        sanitize_html(body)
    assert refused.value.code == "body_too_long"
    assert f"条目正文过长（{len(body)}字符，超过{MAX_BODY_CHARS}字符）" in refused.value.messages[0]


def test_a_thousand_nested_bold_tags_are_refused_as_too_deep():
    body = "<b>" * 1000 + "文" + "</b>" * 1000
    assert len(body) < MAX_BODY_CHARS
    with pytest.raises(BodyRejected) as refused:
        sanitize_html(body)
    assert refused.value.messages == [
        f"条目正文嵌套层级过深（超过{MAX_BODY_DEPTH}层），请去掉多余的嵌套格式（如层层套用的列表、加粗）后再保存。"
    ]


@pytest.mark.parametrize(
    "unit",
    [
        "<ul><li>",  # lists inside lists
        "<div></span>",  # end tags of elements that are not open close nothing
        "<DIV title='>'>",  # upper case, a '>' inside an attribute
        "<p><b x=1></p>",  # a formatting element closed by someone else's end tag is reopened
        "<b><div></b>",  # the adoption agency moves elements, it does not remove them
        "<div><table><tr><td></div>",  # an end tag does not reach past a table cell
        "<table><td>",  # the parser adds the tbody and the row
        "<div></p>",  # </p> alone is an empty paragraph
        "<table><tr><td>",
    ],
)
def test_nesting_over_the_limit_is_refused_however_it_is_written(unit):
    with pytest.raises(BodyRejected):
        check_body(unit * (MAX_BODY_DEPTH + 1))


def test_a_body_at_the_limits_is_accepted():
    nested = "<ul><li>" * (MAX_BODY_DEPTH // 2) + "文" + "</li></ul>" * (MAX_BODY_DEPTH // 2)
    filler = "<p>文明城市创建</p>" * ((MAX_BODY_CHARS - len(nested)) // 13)
    body = nested + filler
    assert len(body) <= MAX_BODY_CHARS
    assert sanitize_html(body).startswith("<ul><li><ul>")


def test_well_formed_rich_formatting_counts_its_real_depth():
    body = (
        "<table><tbody><tr><td><p><strong><em>文</em></strong></p></td></tr></tbody></table>"
        "<p>一</p><br><img src='/media/a.jpg' alt=''><p>二</p>"
    )
    assert nesting_depth(body) == 7


def test_an_oversized_entry_is_refused_on_save(make_entry_parts):
    issue, section = make_entry_parts
    with pytest.raises(BodyRejected):
        Entry.objects.create(issue=issue, section=section, body="<b>" * (MAX_BODY_DEPTH + 1))
    assert not Entry.objects.exists()


@pytest.mark.parametrize("tag", ["iframe", "object", "form", "noscript", "textarea", "button", "select", "title"])
def test_text_inside_removed_elements_does_not_survive_as_text(tag):
    assert sanitize_html(f"<p>好</p><{tag}>藏起来的字</{tag}><p>的</p>") == "<p>好</p><p>的</p>"


def test_text_inside_a_removed_option_does_not_survive():
    assert "选项" not in sanitize_html("<p>好<option>选项</option></p>")


FUZZ_TAGS = [
    "div", "p", "b", "i", "span", "ul", "ol", "li", "table", "tbody", "tr", "td", "th", "caption", "col",
    "a", "em", "strong", "blockquote", "h3", "font", "button", "dd", "dl", "object", "select", "option",
    "form", "nobr", "code", "svg", "math", "mi", "desc", "foreignObject", "template", "pre", "u", "small",
    "center", "applet", "marquee", "address", "br", "img", "textarea", "title",
]


def test_the_count_is_never_below_the_depth_the_html_parser_builds():
    """Random tag soup: html5ever's tree (nh3 keeping every tag, serialised well formed) is never deeper."""
    pick = random.Random(10)
    for _ in range(400):
        soup = "".join(
            pick.choice([f"<{tag}>", f"<{tag} x={pick.randint(1, 2)}>", f"</{tag}>", f"</{tag}>", "t"])
            for tag in pick.choices(FUZZ_TAGS, k=pick.randint(5, 120))
        )
        built = nh3.clean(soup, tags={tag.lower() for tag in FUZZ_TAGS}, attributes={}, clean_content_tags=set())
        assert nesting_depth(soup) >= nesting_depth(built), soup


# Bounded output: what the parser makes of a body is measured again


def test_an_unclosed_link_with_a_long_title_is_not_copied_into_every_paragraph():
    """The attacker's 49,998 characters, stored as 50,264,815 before: refused, nothing grown."""
    body = '<div><a href=x title="' + "文" * 10000 + '"></div>' + "<p>y</p>" * 4996
    assert len(body) == 49_998
    with pytest.raises(BodyRejected) as refused:
        sanitize_html(body)
    assert refused.value.code == "body_grows"
    assert "格式没有闭合" in refused.value.messages[0]


def test_unclosed_bold_tags_with_distinct_attributes_are_refused_not_grown():
    """The <b class=N> variant stored 2.1 MB (a 93-second PDF); the depth check alone let it through."""
    body = "<div>" + "".join(f"<b class={n}>" for n in range(48)) + "</div>"
    body += "<p>y</p>" * ((MAX_BODY_CHARS - len(body)) // 8)
    with pytest.raises(BodyRejected) as refused:
        check_body(body)
    assert refused.value.code == "body_grows"


def test_a_short_body_that_grows_past_the_growth_factor_is_refused():
    body = "<div>" + "".join(f"<b class={n}>" for n in range(20)) + "</div>" + "<p>y</p>" * 200
    assert len(body) < MAX_BODY_CHARS // 10
    with pytest.raises(BodyRejected):
        sanitize_html(body)


def test_title_and_lang_are_dropped_from_every_tag():
    assert sanitize_html('<p lang="en" title="t"><a href="/x" title="t">x</a><b title="t">y</b></p>') == (
        '<p><a href="/x" rel="noopener noreferrer">x</a><b>y</b></p>'
    )


def test_an_over_long_link_address_is_refused():
    with pytest.raises(BodyRejected) as refused:
        sanitize_html(f'<p><a href="https://www.gov.cn/{"a" * MAX_ATTRIBUTE_CHARS}">x</a></p>')
    assert refused.value.code == "attribute_too_long"
    assert f"超过{MAX_ATTRIBUTE_CHARS}字符" in refused.value.messages[0]


@pytest.mark.parametrize(
    "cell, kept",
    [
        ('<td colspan="3" rowspan="2">', '<td colspan="3" rowspan="2">'),
        ('<td colspan="1000" rowspan="65534">', f'<td colspan="{MAX_COLSPAN}" rowspan="{MAX_ROWSPAN}">'),
        ('<th colspan="99999999999">', "<th>"),
        ('<td colspan="-1" rowspan="x">', "<td>"),
        ('<td colspan="0">', "<td>"),
        ('<td colspan="²" rowspan="٣">', "<td>"),  # digits to isdigit(), not to int()
    ],
)
def test_table_spans_are_clamped_to_what_a_bulletin_table_needs(cell, kept):
    assert kept in sanitize_html(f"<table><tbody><tr>{cell}文</td></tr></tbody></table>")


SOUP_TAGS = ["p", "div", "b", "i", "em", "strong", "u", "s", "a", "font", "nobr", "code", "li", "ul",
             "blockquote", "h3", "table", "tbody", "tr", "td", "th", "span", "br", "img"]
SOUP_ATTRIBUTES = st.sampled_from(
    ["", " class=1", " class=2", ' title="标题标题标题标题"', ' href="https://www.gov.cn/a"', " href=x",
     " colspan=9999", " rowspan=3", " lang=en", ' src="/media/a.jpg" alt="图片说明"']
)
SOUP = st.lists(
    st.one_of(
        st.builds(lambda tag, attributes: f"<{tag}{attributes}>", st.sampled_from(SOUP_TAGS), SOUP_ATTRIBUTES),
        st.builds(lambda tag: f"</{tag}>", st.sampled_from(SOUP_TAGS)),
        st.sampled_from(["文明", "y", "&", "<", "\xa0", " "]),
    ),
    max_size=20,
).map("".join)
FORMATTING = st.builds(
    lambda tag, attributes: f"<{tag}{attributes}>",
    st.sampled_from(["a", "b", "i", "em", "strong", "u", "s", "font", "nobr", "code"]),
    st.one_of(SOUP_ATTRIBUTES, st.integers(0, 99).map(lambda n: f" class={n}"), st.just(f' title="{"文" * 200}"')),
)
BLOCKS = st.sampled_from(["p", "div", "li", "h3", "blockquote", "td"])
# Formatting left open inside a closed block: what the parser re-opens in every later block.
UNCLOSED = st.builds(lambda block, opened: f"<{block}>{''.join(opened)}</{block}>", BLOCKS,
                     st.lists(FORMATTING, max_size=30))
FILLER = st.one_of(
    st.builds(lambda block, text: f"<{block}>{text}</{block}>", BLOCKS, st.sampled_from(["y", "文明", "&"])),
    SOUP.filter(bool),
)


@settings(max_examples=300, deadline=None)
@given(SOUP, UNCLOSED, FILLER, st.integers(min_value=1, max_value=2000), SOUP)
def test_sanitised_output_is_at_most_a_small_multiple_of_the_input(before, unclosed, filler, repeats, after):
    """Tag soup around unclosed formatting (nested, with attributes) and a block repeated to grow it."""
    body = before + unclosed + filler * repeats + after
    try:
        cleaned = sanitize_html(body)
    except BodyRejected:
        return
    assert len(cleaned) <= MAX_GROWTH * len(body)
    assert len(cleaned) <= MAX_BODY_CHARS
    assert nesting_depth(cleaned) <= MAX_BODY_DEPTH
    sanitize_html(cleaned)  # Entry.save sanitises a stored body again: it must still be accepted
