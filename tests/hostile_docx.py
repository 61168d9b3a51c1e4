"""Word files built to hurt a reader: a zip bomb, malformed XML, too many paragraphs, odd tables.

Each starts from a real (empty) .docx that python-docx writes and changes only what it needs.
"""

import io
import zipfile

from docx import Document

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MIB = 1024 * 1024


def empty_docx():
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def document_xml(body):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f"<w:document {W}><w:body>{body}</w:body></w:document>").encode()


def rewrite(data, *, replace=None, add=None, zeros=None):
    """A copy of the zip `data` with members replaced or added (name -> bytes) and `zeros` (name -> MiB) added.

    The zeros are written a MiB at a time, so a bomb of any size costs its compressed size in memory.
    """
    replace, add, zeros = replace or {}, add or {}, zeros or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, blob in add.items():
            target.writestr(name, blob)
        chunk = bytes(MIB)
        for name, mib in zeros.items():
            with target.open(name, "w", force_zip64=True) as member:
                for _ in range(mib):
                    member.write(chunk)
    return out.getvalue()


def with_linked_zeros(mib, name="word/media/image1.bin"):
    """The issue's bomb: `mib` MiB of zeros as a part the document's relationships link, so python-docx loads it."""
    return with_linked_part(name, zeros_mib=mib)


def with_linked_part(name, *, zeros_mib=0, blob=None, body=None):
    """A .docx whose document links the part `name`: `zeros_mib` MiB of zeros, or `blob`; `body` its paragraphs."""
    data = empty_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
    target = name.removeprefix("word/")
    rels = rels.replace("</Relationships>", '<Relationship Id="rId999" Type="http://schemas.openxmlformats.org/'
                        f'officeDocument/2006/relationships/image" Target="{target}"/></Relationships>')
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/octet-stream"/></Types>')
    replace = {"word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml": types.encode()}
    if body is not None:
        replace["word/document.xml"] = document_xml(body)
    return rewrite(data, replace=replace, add={name: blob} if blob is not None else None,
                   zeros={name: zeros_mib} if zeros_mib else None)


def with_body(body):
    return rewrite(empty_docx(), replace={"word/document.xml": document_xml(body)})


def tiny_paragraphs(count):
    return with_body('<w:p><w:r><w:t>a</w:t></w:r></w:p>' * count)


def malformed_xml():
    return rewrite(empty_docx(), replace={"word/document.xml": document_xml("<w:p><w:r><w:t>a</w:r></w:p>")})


def many_parts(count):
    return rewrite(empty_docx(), add={f"extra/item{n}.xml": b"<a/>" for n in range(count)})
