"""Render the sample issue on paper three ways and keep the first and last page of each as PNG in docs/.

    .venv/bin/python bench/paper_samples.py

print view → Chromium's print to PDF, the PDF view → WeasyPrint, the Word export → LibreOffice;
each PDF's first and last page → pdftoppm (poppler-utils) at 40 dpi: docs/paper-{print,pdf,word}-{first,last}.png.
Needs chromium, soffice and pdftoppm on the PATH.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pdf as bench

ROOT = bench.ROOT
DOCS = ROOT / "docs"
DPI = "40"


def _pages(pdf_path, kind):
    from pypdf import PdfReader

    count = len(PdfReader(pdf_path).pages)
    for label, page in (("first", 1), ("last", count)):
        target = DOCS / f"paper-{kind}-{label}"
        subprocess.run(["pdftoppm", "-r", DPI, "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        str(pdf_path), str(target)], check=True)
    return count


def main():
    bench._setup()
    from django.test import Client
    from django.urls import reverse

    from bulletins.export_docx import issue_to_docx
    from bulletins.models import SiteSettings

    site = SiteSettings.load()
    site.signer_name, site.internal_marking = "张三", True
    site.save()
    issue = bench._issue(1, 2)
    work = Path(tempfile.mkdtemp(prefix="paper-"))
    client = Client()
    counts = {}

    (work / "issue.pdf").write_bytes(client.get(reverse("bulletins:issue_pdf", args=[issue.year, issue.number])).content)
    counts["pdf"] = _pages(work / "issue.pdf", "pdf")

    html = client.get(reverse("bulletins:issue_print", args=[issue.year, issue.number])).content.decode()
    from django.conf import settings

    html = html.replace('"/static/', f'"{(ROOT / "static").as_uri()}/').replace(
        f'"{settings.MEDIA_URL}', f'"{Path(settings.MEDIA_ROOT).as_uri()}/')
    (work / "print.html").write_text(html, encoding="utf-8")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={work / 'print.pdf'}", (work / "print.html").as_uri()],
                   check=True, capture_output=True, timeout=120)
    counts["print"] = _pages(work / "print.pdf", "print")

    (work / "word").mkdir()
    (work / "word" / "issue.docx").write_bytes(issue_to_docx(issue))
    fonts = work / "fonts.conf"  # the aliases of docs/fontconfig, as README asks a server or desktop to install them
    fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
        f'<include>{DOCS / "fontconfig" / "65-wenming-gb-fonts.conf"}</include><include>/etc/fonts/fonts.conf</include>'
        "</fontconfig>", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work / "word"), str(work / "word" / "issue.docx")], check=True, capture_output=True,
                   timeout=180, env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
    counts["word"] = _pages(work / "word" / "issue.pdf", "word")
    print(counts)


if __name__ == "__main__":
    main()
