import pytest

from bulletins.sanitize import html_to_text, paragraphs_to_html, sanitize_html


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
