"""The one error an import raises: a Chinese message naming the file and, where known, the line."""


class ImportFailed(Exception):
    def __init__(self, message, *, filename="", line=None):
        self.message = message
        self.filename = filename
        self.line = line
        super().__init__(str(self))

    def __str__(self):
        where = f"文件“{self.filename}”" if self.filename else "导入的文本"
        if self.line:
            where += f"第{self.line}行"
        return f"{where}：{self.message}"


class DuplicateIssue(ImportFailed):
    """The issue is already in the database; nothing was written."""

    def __init__(self, existing, *, filename=""):
        self.existing = existing
        super().__init__(
            f"{existing}（{existing.get_status_display()}）已经存在，未重复导入。", filename=filename
        )
