from bulletins.docx_html import HtmlParagraphs, Picture


def texts(html):
    return ["".join(text for text, *_ in item) if isinstance(item, list) else item for item in HtmlParagraphs(html).paragraphs]


def test_deeply_nested_inline_tags_are_walked_without_recursion():
    depth = 20000
    paragraphs = HtmlParagraphs("<p>" + "<b><i>" * depth + "深" + "</i></b>" * depth + "</p>").paragraphs
    assert paragraphs == [[("深", True, True, False)]]


def test_deeply_nested_blocks_are_walked_without_recursion():
    depth = 5000
    assert texts("<blockquote>" * depth + "引文" + "</blockquote>" * depth) == ["引文"]


def test_blocks_line_breaks_and_pictures_come_in_reading_order():
    html = '<p>一<b>二</b></p><ul><li>三</li><li>四<br>五</li></ul><p>图前<img src="/media/a.png" alt="图">图后</p>'
    assert texts(html) == ["一二", "三", "四", "五", "图前", Picture("/media/a.png", "图"), "图后"]


def test_table_cells_are_separated_and_headers_bold():
    paragraphs = HtmlParagraphs("<table><tr><th>单位</th><td>得分</td></tr></table>").paragraphs
    assert paragraphs == [[("单位", True, False, False), ("　", False, False, False), ("得分", False, False, False),
                           ("　", False, False, False)]]
