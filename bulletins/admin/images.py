"""Images for entry bodies: my uploads, the upload form, and the two CKEditor endpoints.

Everyone sees only the images they uploaded themselves, superusers included: the list is a
workspace, not a catalogue, and an image already in a published entry is found through the entry.
"""

import os

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from bulletins import images
from bulletins.models import EntryImage


class EntryImageUploadForm(forms.ModelForm):
    upload = forms.FileField(label="图片文件")

    class Meta:
        model = EntryImage
        fields = ["upload", "alt_text"]

    request = None  # set per request by EntryImageAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = (
            f"JPEG、PNG、GIF 或 WebP，不超过 {images.max_bytes() // (1024 * 1024)} MB、"
            f"PNG、GIF 不超过 {images.max_pixels_of('PNG') // 10_000} 万像素，"
            f"WebP 不超过 {images.max_pixels_of('WEBP') // 10_000} 万像素，"
            f"JPEG 照片不超过 {images.max_pixels_of('JPEG') // 10_000} 万像素"
            f"（超过 {images.max_pixels() // 10_000} 万像素时保存为长宽各一半）。"
            "保存时会重新编码，去除 EXIF（含拍摄地点）等信息；动图只保留第一帧。"
        )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            self.prepared = images.prepare_image(upload)
        except images.ImageRejected as error:
            images.refuse(upload, error, by=self.request.user, request=self.request)
            raise forms.ValidationError(str(error)) from None
        return upload


@admin.register(EntryImage)
class EntryImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "original_name", "dimensions", "size", "uploaded_at", "address"]
    list_display_links = ["thumbnail", "alt_text"]
    search_fields = ["alt_text", "original_name"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "address", "dimensions", "size", "original_name", "uploaded_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).uploaded_by(request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["upload", "alt_text"]
        return ["preview", "alt_text", "address", "dimensions", "size", "original_name", "uploaded_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = EntryImageUploadForm
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except images.StorageFailed as error:  # after the view's transaction was rolled back
            images.refuse(request.FILES.get("upload"), error, by=request.user, request=request)
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        obj.original_name = os.path.basename(form.cleaned_data["upload"].name or "")[:200]
        images.save_prepared(obj, form.prepared, by=request.user, request=request)

    # Permissions follow the right to write entries, not the model's own permissions.
    def has_module_permission(self, request):
        return images.may_upload(request.user)

    def has_view_permission(self, request, obj=None):
        return images.may_upload(request.user) and (obj is None or obj.uploaded_by_id == request.user.pk)

    def has_add_permission(self, request):
        return images.may_upload(request.user)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a published entry may show it; removing files is an operator's job

    @admin.display(description="图片")
    def thumbnail(self, obj):
        return format_html('<img src="{}" alt="" class="entry-image-thumbnail" width="80">', obj.url)

    @admin.display(description="预览")
    def preview(self, obj):
        return format_html('<img src="{}" alt="{}" class="entry-image-preview">', obj.url, obj.alt_text)

    @admin.display(description="地址")
    def address(self, obj):
        return obj.url

    @admin.display(description="尺寸")
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="bulletins_entryimage_upload"),
            path("browse/", self.admin_site.admin_view(self.browse_view), name="bulletins_entryimage_browse"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """CKEditor 4's filebrowserUploadUrl: field `upload` (+ `alt_text`), answered in its JSON."""
        return _ckeditor_upload(request)

    def browse_view(self, request):
        """CKEditor 4's filebrowserBrowseUrl: a popup listing my uploads to pick from."""
        if not images.may_upload(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "选择图片",
            "opts": self.opts,
            "images": self.get_queryset(request)[:200],
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/bulletins/entryimage/browse.html", context)

    class Media:
        css = {"all": ["bulletins/admin/images.css"]}


@require_POST
def _ckeditor_upload(request):
    # CKEditor shows the JSON's message only with a 2xx status (otherwise its own "HTTP error").
    def failure(message, status=200):
        return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=status)

    if not images.may_upload(request.user):
        return failure("您没有上传图片的权限。", 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return failure("没有收到文件，请选择一张图片。")
    try:
        image = images.store_image(upload, alt_text=request.POST.get("alt_text", ""), by=request.user, request=request)
    except images.ImageRejected as error:
        return failure(str(error))
    return JsonResponse({"uploaded": 1, "fileName": os.path.basename(image.file.name), "url": image.url})
