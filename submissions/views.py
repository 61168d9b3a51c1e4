"""The correspondents' portal (/portal/): their unit's submissions, write, save, submit, resubmit."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from accounts.audit import record
from bulletins.images import refuse, save_prepared
from bulletins.models import EntryImage

from . import workflow
from .access import correspondent_unit_id
from .forms import SubmissionForm
from .models import Submission, SubmissionTransition

PAGE_SIZE = 20


def correspondent_required(view):
    """Signed-in correspondents only; everyone else (staff included) is refused with 403."""

    @login_required(login_url="portal:login")
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        unit_id = correspondent_unit_id(request.user)
        if unit_id is None:
            raise PermissionDenied("报送平台只对各单位通讯员开放。")
        request.unit_id = unit_id
        return view(request, *args, **kwargs)

    return wrapper


def _own(request, pk):
    return get_object_or_404(Submission.objects.of_unit(request.unit_id).select_related("unit"), pk=pk)


@correspondent_required
def index(request):
    last_comment = SubmissionTransition.objects.filter(submission=OuterRef("pk")).exclude(comment="").order_by(
        "-at", "-id")
    submissions = (
        Submission.objects.of_unit(request.unit_id)
        .select_related("entry__issue")
        .defer("body")
        .annotate(last_comment=Subquery(last_comment.values("comment")[:1]))
        .order_by("-created_at", "-id")
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    changes = (
        SubmissionTransition.objects.filter(unit_id=request.unit_id)
        .exclude(by=request.user)
        .select_related("submission")
        .defer("submission__body")
        .order_by("-at", "-id")[:10]
    )
    return render(request, "portal/index.html", {"page": page, "changes": changes})


@correspondent_required
def detail(request, pk):
    submission = _own(request, pk)
    context = {
        "submission": submission,
        "pictures": submission.pictures.select_related("image"),
        "history": submission.transitions.select_related("by").order_by("at", "id"),
        "may_edit": workflow.may_edit(request.user, submission),
        "may_delete": workflow.may_delete(request.user, submission),
        "public_url": submission.public_entry_url(),
    }
    return render(request, "portal/detail.html", context)


def _store(request, form, submission):
    """Pictures and text together: if anything fails, no row stays and stored files are removed."""
    images = []
    try:
        with transaction.atomic():
            for upload, alt_text, prepared in form.cleaned_data["prepared_pictures"]:
                image = EntryImage(alt_text=alt_text, original_name=(upload.name or "")[:200])
                images.append(save_prepared(image, prepared, by=request.user, request=request))
            submission.body = form.cleaned_data["body_html"]
            workflow.save(submission, by=request.user, pictures=images, request=request)
    except BaseException:
        for image in images:
            image.file.delete(save=False)
        raise


def _edit(request, submission):
    form = SubmissionForm(request.POST or None, request.FILES or None, instance=submission)
    if request.method == "POST":
        if not form.is_valid():
            for number in range(1, 4):
                upload = request.FILES.get(f"picture_{number}")
                if upload and form.has_error(f"picture_{number}"):
                    refuse(upload, form.errors[f"picture_{number}"][0], by=request.user, request=request)
        else:
            try:
                _store(request, form, form.instance)
            except workflow.LimitReached as error:  # nothing was kept: the form again, with what to do
                form.add_error(None, str(error))
                return render(request, "portal/form.html", {"form": form, "submission": submission})
            except workflow.SubmissionError as error:
                messages.error(request, str(error))
                return redirect("portal:index")
            if request.POST.get("action") == "submit":
                return _submit(request, form.instance)
            messages.success(request, "已保存为草稿。")
            return redirect("portal:detail", form.instance.pk)
    return render(request, "portal/form.html", {"form": form, "submission": submission})


@correspondent_required
def create(request):
    creator = request.user
    submission = Submission(unit_id=request.unit_id, created_by=creator, writer=creator.real_name,
                            writer_phone=creator.phone)
    return _edit(request, submission)


@correspondent_required
def edit(request, pk):
    submission = _own(request, pk)
    if not workflow.may_edit(request.user, submission):
        messages.error(request, f"这篇信息{submission.get_state_display()}，不能再修改。")
        return redirect("portal:detail", pk)
    return _edit(request, submission)


def _submit(request, submission):
    try:
        record_ = workflow.submit(submission, by=request.user, request=request)
    except workflow.SubmissionError as error:
        messages.error(request, f"已保存为草稿，但未能报送：{error}")
    else:
        messages.success(request, "已重新报送。" if record_.action == "resubmit" else "已报送，请等待编辑处理。")
    return redirect("portal:detail", submission.pk)


@require_POST
@correspondent_required
def submit(request, pk):
    return _submit(request, _own(request, pk))


@correspondent_required
def delete(request, pk):
    """A confirmation page, then the POST that deletes the draft (workflow.delete_draft)."""
    submission = _own(request, pk)
    if not workflow.may_delete(request.user, submission):
        raise PermissionDenied("只能删除自己写的草稿。")
    if request.method != "POST":
        return render(request, "portal/delete.html", {"submission": submission})
    workflow.delete_draft(submission, by=request.user, request=request)
    messages.success(request, f"已删除草稿《{submission.title}》。")
    return redirect("portal:index")


class PasswordChangeView(auth_views.PasswordChangeView):
    """The portal's change-password page (correspondents never see the admin's)."""

    form_class = PasswordChangeForm
    template_name = "portal/password_change.html"
    success_url = reverse_lazy("portal:index")

    def form_valid(self, form):
        response = super().form_valid(form)
        record("password_change", request=self.request, obj=self.request.user)
        messages.success(self.request, "密码已修改。")
        return response


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse_lazy("portal:index")
