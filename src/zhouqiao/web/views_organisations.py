"""An organisation's registration before verification: its admin corrects the data and uploads the
licence scan; the scan is read by the organisation's members and its reviewers only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhouqiao.accounts import scope, services
from zhouqiao.accounts.models import Organisation, OrganisationDocument
from zhouqiao.core import clock, uploads
from zhouqiao.core.errors import DomainError
from zhouqiao.core.forms import show_domain_error
from zhouqiao.web.forms import DocumentForm, OrganisationEditForm


def _own_organisation(request, pk) -> Organisation:
    """The organisation, for one of its admins; 404 for everybody else."""
    org = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    if not scope.is_org_admin(request.user, org):
        raise Http404
    return org


@login_required
def organisation_edit(request, pk):
    org = _own_organisation(request, pk)
    editable = services.may_edit_registration(request.user, org)
    form = OrganisationEditForm.for_organisation(org, request.POST if request.method == "POST" else None)
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.edit_registration(
                actor=request.user, organisation_id=org.pk, data=form.cleaned_data, now=clock.now()
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, _("机构信息已保存。"))
            return redirect("web:organisation_detail", pk=org.pk)
    return render(request, "web/organisation_edit.html", {"org": org, "form": form, "editable": editable})


@login_required
@require_POST
def organisation_upload(request, pk):
    org = _own_organisation(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("web:organisation_detail", pk=org.pk)
    content, filename = uploads.read_scan(form.cleaned_data["document"])
    try:
        doc = services.upload_document(
            actor=request.user, organisation_id=org.pk, content=content, filename=filename, now=clock.now()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上传认证材料：%(name)s。") % {"name": doc.original_name})
    return redirect("web:organisation_detail", pk=org.pk)


@login_required
def organisation_document(request, pk):
    """A licence scan, for the organisation's members and the reviewers whose jurisdiction covers it."""
    doc = get_object_or_404(OrganisationDocument.objects.select_related("organisation"), pk=pk)
    if not scope.sees_organisation_documents(request.user, doc.organisation):
        raise Http404
    try:
        stream = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stream,
        content_type=uploads.content_type(doc.extension),
        filename=doc.original_name,
    )


@login_required
@require_POST
def organisation_document_remove(request, pk):
    doc = get_object_or_404(OrganisationDocument, pk=pk)
    org = _own_organisation(request, doc.organisation_id)
    try:
        services.remove_document(actor=request.user, document_id=doc.pk, now=clock.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除认证材料：%(name)s。") % {"name": doc.original_name})
    return redirect("web:organisation_detail", pk=org.pk)
