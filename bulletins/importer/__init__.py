"""Import bulletin issues from text, Word and the old site's HTML.

`parse_text` and the readers know nothing of the database; `bulletins.importer.writer.import_issue`
writes one parsed issue in one transaction.
"""

from .errors import DuplicateIssue, ImportFailed
from .parser import Note, ParsedEntry, ParsedIssue, ParsedSection, parse_text
from .readers import SUFFIXES, extract_text, parse_file

__all__ = [
    "SUFFIXES",
    "DuplicateIssue",
    "ImportFailed",
    "Note",
    "ParsedEntry",
    "ParsedIssue",
    "ParsedSection",
    "extract_text",
    "parse_file",
    "parse_text",
]
