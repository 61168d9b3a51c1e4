"""导出Word: an issue as a .docx 简报, built by bulletins/docx_writer.py in the render box.

Here the issue, its entries, the site settings and the pictures are read; the document is built
in a boxed child process (bulletins/render_box.py), so no entry can hold a worker.
"""

from django.utils import timezone

from bulletins import render_box
from bulletins.docx_writer import Paper
from bulletins.media import read_pictures
from bulletins.models import SiteSettings

MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def filename(issue):
    return f"{issue.year}年第{issue.number}期.docx"


def masthead_date(issue):
    """The date under the masthead: the issue's date, or today for an issue not yet dated."""
    return timezone.localdate(issue.dated_at) if issue.dated_at else timezone.localdate()


def paper_of(issue):
    """The issue as docx_writer.Paper: everything the document shows, read now."""
    site = SiteSettings.load()
    entries = [
        (entry.section_id, entry.section.name, entry.body)
        for entry in issue.entries.select_related("section").order_by("section__order", "section_id", "order", "id")
    ]
    distribution = issue.distribution(site)
    return Paper(
        title=str(issue), year=issue.year, number=issue.number, date=masthead_date(issue),
        bulletin_name=site.bulletin_name, issuing_office=site.issuing_office, signer_name=site.signer_name,
        internal_marking=site.internal_marking, distribution=distribution.lines(), print_run=distribution.print_run,
        entries=entries, pictures=read_pictures("".join(body for _, _, body in entries), missing=[]),
    )


def issue_to_docx(issue):
    """The issue as the bytes of a .docx file; raises render_box.Refused over a limit."""
    return render_box.run("bulletins.docx_writer.write_docx", paper_of(issue))
