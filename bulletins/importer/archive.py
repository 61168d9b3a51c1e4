"""Inspect a zip (a .docx) before anything unpacks it, from the sizes its directory declares.

A 2 MB upload held a 2,000 MiB run of zeros as an "image" its relationships linked, and
python-docx reads every linked part into memory: 16 seconds and 4 GB. The directory is read
without decompressing anything, and its numbers are a real bound: Python's zipfile never yields
more than a member's declared size (it stops there and checks the CRC), and python-docx reads
through zipfile. So a refusal here costs milliseconds, and an accepted file can hold no more.
"""

import io
import zipfile

from .errors import ImportFailed

MIB = 1024 * 1024
# A Word 简报 is a few dozen parts: the document, styles, numbering, settings, a few pictures.
MAX_PARTS = 1_000
# A picture is already compressed and the uploads are at most 10 MB; only XML grows when unpacked.
MAX_PART_BYTES = 16 * MIB
# python-docx parses every XML part it links (document, styles, numbering, headers, …), and lxml holds
# 1 MiB of the densest XML (empty paragraphs) in about 21 MB, so their sum is bounded. A 简报's own XML is
# some hundreds of KB, plus 0.8 MiB of styles in files that python-docx (our Word export) writes.
MAX_XML_BYTES = 3 * MIB
MAX_TOTAL_BYTES = 32 * MIB
# Word's XML compresses 5 to 20 times; a run of zeros, 1,000 times. Only large parts are held to it.
MAX_RATIO = 50
RATIO_FROM_BYTES = 1 * MIB
XML_SUFFIXES = (".xml", ".rels", ".vml")


def _mb(size):
    return f"{size / MIB:.0f} MB" if size >= MIB else f"{size / 1024:.0f} KB"


def check_zip(data, *, filename=""):
    """Refuse, in Chinese, a zip whose parts are too many, too large or too compressed to unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ImportFailed("不是有效的Word（.docx）文件，请用Word或WPS打开后另存为.docx再导入。", filename=filename) from None
    if len(members) > MAX_PARTS:
        raise ImportFailed(f"文件包含的部件过多（{len(members)}个，上限{MAX_PARTS}个），无法读取。", filename=filename)
    total = xml = 0
    for member in members:
        if member.file_size > MAX_PART_BYTES:
            raise ImportFailed(
                f"文件中的“{member.filename}”解压后过大（{_mb(member.file_size)}，上限{_mb(MAX_PART_BYTES)}），"
                "请删去多余的内容或图片后再上传。", filename=filename,
            )
        if member.filename.lower().endswith(XML_SUFFIXES):
            xml += member.file_size
            if xml > MAX_XML_BYTES:
                raise ImportFailed(
                    f"文件中的“{member.filename}”等文字部分解压后过大（合计超过{_mb(MAX_XML_BYTES)}），"
                    "请删去多余的内容或拆分为几个文件后再上传。", filename=filename,
                )
        if member.file_size >= RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ImportFailed(
                f"文件中的“{member.filename}”压缩比异常（超过{MAX_RATIO}倍），不像Word正常保存的文件，"
                "请用Word或WPS打开后另存为.docx再上传。", filename=filename,
            )
        total += member.file_size
        if total > MAX_TOTAL_BYTES:
            raise ImportFailed(
                f"文件解压后过大（超过{_mb(MAX_TOTAL_BYTES)}），请删去多余的内容或图片后再上传。", filename=filename
            )
