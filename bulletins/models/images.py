import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def random_image_path(instance, filename):
    """images/<year>/<month>/<random>.<ext>: the uploader's file name never reaches the disk."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"images/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class EntryImageQuerySet(models.QuerySet):
    def uploaded_by(self, user):
        """The images a person may see in their own list and in the editor's browser."""
        return self.filter(uploaded_by=user)


class EntryImage(models.Model):
    """An image uploaded for entry bodies, stored re-encoded under a random name (see bulletins/images.py)."""

    file = models.FileField("文件", upload_to=random_image_path, max_length=200, editable=False)
    alt_text = models.CharField(
        "替换文本",
        max_length=200,
        help_text="必填。简要说明图片内容，供读屏软件朗读，如“志愿者在公交站台引导乘客排队”。",
    )
    width = models.PositiveIntegerField("宽（像素）", editable=False)
    height = models.PositiveIntegerField("高（像素）", editable=False)
    size = models.PositiveIntegerField("大小（字节）", editable=False)
    original_name = models.CharField("原文件名", max_length=200, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上传人",
        editable=False,
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, editable=False, db_index=True)

    objects = EntryImageQuerySet.as_manager()

    class Meta:
        verbose_name = "图片"
        verbose_name_plural = "图片"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.alt_text or self.original_name or self.file.name

    @property
    def url(self):
        return self.file.url
