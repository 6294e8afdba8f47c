"""Step 1: supporting documents (served only to the agreement's members) and the source register."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pitebra.downloads import private_download
from pitebra.permissions import MEMBER, agreement_view
from security.audit import Action, record

from ..forms.facts import DocumentForm, SourceForm
from ..models import Document, Problem, Source


@agreement_view(required=MEMBER)
def document_list(request, agreement):
    form = DocumentForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST":
        if form.is_valid():
            document = form.save(commit=False)
            document.uploaded_by = request.user
            document.save()
            record(Action.DOCUMENT_UPLOAD, agreement=agreement, obj=document)
            messages.success(request, _("The document was uploaded."))
            return redirect("plans:document-list", agreement.pk)
        messages.error(request, _("The document could not be uploaded: see the form."))
    documents = (
        Document.objects.filter(agreement=agreement)
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "problems",
                queryset=Problem.objects.select_related("picture").order_by(
                    "-picture__year", "-picture__version", "position"
                ),
            )
        )
    )
    return render(
        request,
        "plans/document_list.html",
        {"agreement": agreement, "documents": documents, "form": form},
    )


@private_download
@agreement_view(required=MEMBER)
def document_download(request, agreement, pk):
    """The file, as an attachment: never shown inline, never sniffed into another type."""
    document = get_object_or_404(Document, agreement=agreement, pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    record(Action.DOCUMENT_DOWNLOAD, agreement=agreement, obj=document)
    return response


@agreement_view(required=MEMBER)
def source_list(request, agreement):
    """The source register: what each source covers, whether it was used, its limitations."""
    form = SourceForm(request.POST or None, agreement=agreement)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The source was added to the register."))
            return redirect("plans:source-list", agreement.pk)
        messages.error(request, _("The source could not be saved: see the form."))
    sources = Source.objects.of_municipality(agreement)
    return render(
        request,
        "plans/source_list.html",
        {"agreement": agreement, "sources": sources, "form": form},
    )


@agreement_view(required=MEMBER)
def source_edit(request, agreement, pk):
    source = get_object_or_404(Source.objects.of_municipality(agreement), pk=pk)
    form = SourceForm(request.POST or None, instance=source, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The source was saved."))
        return redirect("plans:source-list", agreement.pk)
    return render(
        request,
        "plans/source_form.html",
        {"agreement": agreement, "form": form, "source": source},
    )
