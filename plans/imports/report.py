"""Plain-text accounts of an import, for the commands' output."""

from django.utils.translation import gettext as _


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
