"""A zip is inspected from its directory before anything unpacks it (bulletins/importer/archive.py)."""

import os
import time

import pytest

from bulletins.importer import ImportFailed, archive, extract_text
from bulletins.importer.archive import MAX_PART_BYTES, MAX_PARTS, MAX_RATIO, MAX_XML_BYTES, check_zip

from . import hostile_docx


def refusal(data):
    started = time.process_time()
    with pytest.raises(ImportFailed) as refused:
        extract_text(data, filename="news.docx")
    return refused.value, time.process_time() - started


def test_a_linked_part_that_unpacks_far_past_the_limit_is_refused_before_it_is_read():
    """The issue's bomb scaled from 2,000 to 64 MiB of zeros: python-docx loaded it whole before."""
    error, seconds = refusal(hostile_docx.with_linked_zeros(64))
    assert "word/media/image1.bin" in error.message and "解压后过大" in error.message
    assert f"上限{MAX_PART_BYTES // archive.MIB} MB" in error.message
    assert seconds < 0.2


def test_a_part_compressed_past_the_ratio_is_refused_though_within_the_size_limits():
    error, _ = refusal(hostile_docx.with_linked_zeros(2))
    assert f"压缩比异常（超过{MAX_RATIO}倍）" in error.message


def test_the_xml_has_a_lower_limit_than_a_picture():
    error, _ = refusal(hostile_docx.with_body("<w:p/>" * (MAX_XML_BYTES // 6 + 1)))
    assert "word/document.xml" in error.message and "文字部分解压后过大" in error.message


def test_the_xml_limit_holds_for_all_parts_together():
    """python-docx parses every header it links: many headers of XML each under the limit are not."""
    headers = {f"word/header{n}.xml": b"<w:hdr/>" * (MAX_XML_BYTES // 8 // 4) for n in range(5)}
    error, _ = refusal(hostile_docx.rewrite(hostile_docx.empty_docx(), add=headers))
    assert "等文字部分解压后过大" in error.message


def test_the_issues_200000_tiny_paragraphs_are_refused_in_milliseconds():
    error, seconds = refusal(hostile_docx.tiny_paragraphs(200_000))
    assert "word/document.xml" in error.message
    assert seconds < 0.2


def test_too_many_parts_are_refused():
    error, _ = refusal(hostile_docx.many_parts(MAX_PARTS))
    assert f"上限{MAX_PARTS}个" in error.message


def test_the_unpacked_total_is_bounded(monkeypatch):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 64 * 1024)
    data = hostile_docx.rewrite(hostile_docx.empty_docx(), add={"word/media/a.png": os.urandom(40 * 1024),
                                                                "word/media/b.png": os.urandom(40 * 1024)})
    error, _ = refusal(data)
    assert "文件解压后过大（超过64 KB）" in error.message


def test_a_real_word_file_passes_the_inspection():
    check_zip(hostile_docx.empty_docx(), filename="news.docx")


def test_something_that_is_not_a_zip_is_refused_as_not_a_word_file():
    with pytest.raises(ImportFailed, match="不是有效的Word"):
        check_zip(b"PK\x03\x04 not really a zip", filename="bad.docx")
