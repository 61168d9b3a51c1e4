"""The render box (bulletins/render_box.py): renders stopped at their limits, slots refused at once."""

import time

import pytest
from django.urls import reverse

from bulletins import pdf, render_box

from .factories import make_entry, make_issue, make_published_issue, make_user

pytestmark = pytest.mark.django_db

# The attacker's table of the issue: 45 KB, kept WeasyPrint busy for more than 10 minutes at 768 MB.
HOSTILE_TABLE = '<table><tr>' + '<td colspan="1000" rowspan="65534">x</td>' * 1100 + '</tr></table>'


@pytest.fixture(autouse=True)
def own_slots(monkeypatch, tmp_path):
    """Slots of this test only: other processes on the host render with their own."""
    monkeypatch.setattr(render_box, "SLOT_DIR", tmp_path / "slots")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_hostile_table_is_stopped_at_the_cpu_limit(monkeypatch):
    monkeypatch.setattr(render_box, "CPU_SECONDS", 2)
    started = time.monotonic()
    with pytest.raises(render_box.TooCostly, match="CPU") as refused:
        pdf.render_pdf(make_issue(), print_html=HOSTILE_TABLE, preview=True)
    assert time.monotonic() - started < render_box.WALL_SECONDS
    assert "超出了服务器的限制" in refused.value.message


def test_an_editor_previewing_the_hostile_table_gets_the_reason_in_chinese(client, monkeypatch):
    monkeypatch.setattr(render_box, "CPU_SECONDS", 2)
    entry = make_entry(make_issue(year=2024, number=4))
    # Past the sanitiser, as input that slips through it would be.
    entry.__class__.objects.filter(pk=entry.pk).update(body=HOSTILE_TABLE)
    client.force_login(make_user(roles=["编辑"], is_staff=True))
    response = client.get(reverse("bulletins:issue_pdf", args=[2024, 4]))
    assert response.status_code == 503
    assert "超出了服务器的限制（CPU时间）" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_render_over_the_wall_clock_limit_is_killed(monkeypatch):
    monkeypatch.setattr(render_box, "WALL_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(render_box.TooCostly, match="时间"):
        render_box.run("time.sleep", 60)
    assert time.monotonic() - started < 10


def test_a_render_over_the_memory_limit_is_refused():
    with pytest.raises(render_box.TooCostly, match="内存"):
        render_box.run("builtins.bytearray", render_box.MEMORY_BYTES)


def test_a_document_over_the_page_limit_is_refused_before_it_is_written():
    from bulletins.pdf_writer import MAX_PAGES

    pages = '<p style="break-after: page">页</p>' * (MAX_PAGES + 1)
    with pytest.raises(render_box.TooCostly, match=f"超过{MAX_PAGES}页"):
        pdf.render_pdf(make_issue(), print_html=pages, preview=True)


def test_a_renderer_error_is_raised_in_the_worker():
    with pytest.raises(render_box.Failed, match="ZeroDivisionError"):
        render_box.run("operator.truediv", 1, 0)


def test_a_render_beyond_the_slots_is_refused_without_waiting(monkeypatch):
    started = []
    monkeypatch.setattr(render_box, "_context", lambda: started.append(1))
    with render_box.slot(), render_box.slot():
        begun = time.monotonic()
        with pytest.raises(render_box.Busy):
            render_box.run("operator.add", 1, 1)
        assert time.monotonic() - begun < 1
    assert started == []


def test_a_slot_is_free_again_after_a_render():
    assert render_box.run("operator.add", 1, 1) == 2
    with render_box.slot(), render_box.slot():
        pass


def test_readers_are_told_to_come_back_when_every_slot_is_taken(client):
    make_entry(make_published_issue(year=2024, number=1))
    with render_box.slot(), render_box.slot():
        response = client.get(reverse("bulletins:issue_pdf", args=[2024, 1]))
    assert response.status_code == 503
    assert response["Retry-After"] == str(render_box.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "请稍后再试" in response.content.decode()


def test_editors_see_why_a_preview_pdf_was_refused(client, monkeypatch):
    def over_the_limit(*args, **kwargs):
        raise render_box.TooCostly("CPU时间")

    monkeypatch.setattr(pdf, "render_pdf", over_the_limit)
    make_entry(make_issue(year=2024, number=2))
    client.force_login(make_user(roles=["编辑"], is_staff=True))
    response = client.get(reverse("bulletins:issue_pdf", args=[2024, 2]))
    assert response.status_code == 503
    text = response.content.decode()
    assert "超出了服务器的限制（CPU时间）" in text and "过复杂的表格" in text


def test_a_published_pdf_over_a_limit_is_not_rendered_again_for_every_reader(client, monkeypatch):
    calls = []

    def over_the_limit(*args, **kwargs):
        calls.append(1)
        raise render_box.TooCostly("超过100页")

    monkeypatch.setattr(pdf, "render_pdf", over_the_limit)
    make_entry(make_published_issue(year=2024, number=3))
    url = reverse("bulletins:issue_pdf", args=[2024, 3])
    client.cookies["sessionid"] = "x"
    assert [client.get(url).status_code for _ in range(3)] == [503, 503, 503]
    assert calls == [1]


def test_renders_are_forked_with_the_renderers_already_imported():
    assert render_box.run("bulletins.render_box.preloaded") is True
