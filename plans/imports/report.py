"""Plain-text accounts of an import, for the commands' output."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from pitebra.models import Agreement

from .table import TableError


def question_lines(preview):
    """What could not be mapped by name, and what the automatic mapping does with it."""
    lines = []
    for question in preview.questions:
        chosen = dict(question.options).get(question.default, question.default)
        lines.append(
            _("%(kind)s “%(text)s” (rows %(rows)s): %(choice)s")
            % {
                "kind": question.kind_label,
                "text": question.text or "—",
                "rows": ", ".join(map(str, question.lines[:10]))
                + ("…" if len(question.lines) > 10 else ""),
                "choice": chosen,
            }
        )
    return lines


def column_lines(preview, fields):
    labels = {f.key: f.label for f in fields}
    return [
        f"{header or '—'} → {labels[field] if field else _('kept in the description')}"
        for header, field in zip(preview.table.headers, preview.columns, strict=True)
    ]


def read_lines(preview, fields):
    """What an import command says first about a file: its header, columns, skipped rows and
    the names it had to guess."""
    yield f"Header on row {preview.table.header_line}. Columns:"
    for line in column_lines(preview, fields):
        yield f"  {line}"
    yield from preview.messages
    questions = question_lines(preview)
    if questions:
        yield "Not known by name (automatic choice):"
        for line in questions:
            yield f"  {line}"


def command_agreement(pk):
    """The agreement an import command names by id."""
    found = Agreement.objects.filter(pk=pk).select_related("municipality").first()
    if found is None:
        raise CommandError(f"No agreement has the id {pk}.")
    return found


def command_preview(read, file, fields, out):
    """The file read into a preview by `read(data)`, with what it says first written to `out`."""
    try:
        preview = read(Path(file).read_bytes())
    except (OSError, TableError) as error:
        raise CommandError(f"Nothing was imported. {error}") from error
    for line in read_lines(preview, fields):
        out(line)
    return preview
