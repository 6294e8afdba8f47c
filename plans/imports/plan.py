"""The plan from the user's own spreadsheet: read, map, compare with the plan; never writes.

`PlanPreview(plan=…, data=…, columns=…, answers=…)` finds the header, maps the columns, asks
about every distinct unknown value once, and says per row whether it is new, changed (which
fields) or unchanged. `plans.imports.save.plan_import_save` writes it.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pitebra.validators import find_personal_identity_numbers, validate_free_text

from ..models import Activity
from .cells import read_dates, read_numbers
from .choices import saved_choices
from .columns import PLAN_FIELDS, map_columns
from .matching import (
    AreaMatcher,
    CauseMatcher,
    ContactMatcher,
    OrganisationMatcher,
    Question,
    StatusMatcher,
    resolve,
)
from .table import read_table, skipped_messages, with_repeats
from .values import LIGHT_BY_WORD, clean, key

NEAR_DUPLICATE = 85
COMPARED = [
    "strategy", "title", "description", "operational_goal", "start", "end",
    "responsible_organisation", "contact_user", "contact_name", "status", "traffic_light",
    "traffic_light_comment", "target_group", "places", "estimated_hours", "estimated_cost",
    "follow_up", "partners", "causes",
]  # fmt: skip
TEXT_FIELDS = [
    "operational_goal", "traffic_light_comment", "target_group", "places", "follow_up",
]  # fmt: skip


@dataclass(slots=True)
class PlanRow:
    line: int
    area: tuple
    goal: str
    strategy: str
    title: str
    values: dict = field(default_factory=dict)
    activity: Activity | None = None
    state: str = "new"
    changed: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _split(text, separators=r"[;\n]"):
    return [part.strip() for part in re.split(separators, clean_keep_lines(text)) if part.strip()]


def clean_keep_lines(value):
    return "" if value is None else str(value).replace("\u00a0", " ").strip()


def _activity_ident(row):
    """What a plan row names: an activity by its place in the tree and its title."""
    return (row.area, key(row.goal), key(row.strategy), key(row.title))


class PlanPreview:
    def __init__(self, *, plan, data, columns=None, answers=None):
        self.plan = plan
        self.agreement = plan.agreement
        self.table = read_table(data, PLAN_FIELDS)
        saved = saved_choices(self.agreement)
        self.columns = columns or map_columns(
            self.table.headers, PLAN_FIELDS, saved.get("column-plan")
        )
        self.answers = answers or {}
        self.errors = []
        self.messages = skipped_messages(self.table)
        self.matchers = {
            "area": AreaMatcher(self.agreement, saved),
            "organisation": OrganisationMatcher(self.agreement, saved),
            "status": StatusMatcher(self.agreement, saved),
            "cause": CauseMatcher(self.agreement, saved),
            "contact": ContactMatcher(self.agreement, saved),
        }
        self.activity_questions = {}
        # Contacts without a login already named in the agreement's plans are not asked about.
        self.contact_names = {
            key(name)
            for name in Activity.objects.filter(strategy__goal__plan__agreement=self.agreement)
            .exclude(contact_name="")
            .values_list("contact_name", flat=True)
            .distinct()
        }
        self.saved = saved
        if "title" not in self.columns:
            self.errors.append(
                _("No column holds the activities (e.g. “Åtgärd”, “Aktivitet” or “Insats”).")
            )
            self.rows = []
            return
        self.rows = [self._row(line, cells) for line, cells in self.table.rows]
        self.rows = [row for row in self.rows if row is not None]
        self._compare()
        self._ask_for_missing_contacts()

    # -- reading -------------------------------------------------------------------------
    def header_of(self, name):
        name = {"contact_name": "contact"}.get(name, name)
        if name in self.columns:
            return self.table.headers[self.columns.index(name)]
        return next(str(f.label) for f in PLAN_FIELDS if f.key == name)

    def cell(self, cells, name):
        return cells[self.columns.index(name)] if name in self.columns else None

    def ref(self, kind, text, line):
        """('use', target) | ('create', text) | ('text', text) | ('skip', None) for a text."""
        return resolve(self, kind, text, line)

    def _row(self, line, cells):
        get = lambda name: self.cell(cells, name)  # noqa: E731
        title = clean(get("title"))
        if not title:
            filled = {name for name in self.columns if name and clean(get(name))}
            if filled and filled <= {"priority_area", "goal", "strategy"}:
                # Our export lists goals and strategies that have no activities yet.
                self.messages.append(
                    _("Row %(line)s: a goal or strategy without activities, skipped.")
                    % {"line": line}
                )
            elif any(clean(c) for c in cells):
                self.errors.append(_("Row %(line)s: the activity has no name.") % {"line": line})
            return None
        extras = []
        values = {"title": title[:300]}
        area = self.ref("area", clean(get("priority_area")), line)
        goal = clean(get("goal"))
        strategy = clean(get("strategy"))
        org_text = clean(get("responsible_organisation"))
        if "responsible_organisation" in self.columns and org_text:
            unit = self.matchers["organisation"].split_unit(org_text)
            if unit:
                values["responsible_organisation"] = ("use", unit[0])
                extras.append(_("Responsible unit: %(unit)s") % {"unit": unit[1]})
            else:
                ref = self.ref("organisation", org_text, line)
                if ref[0] == "text":
                    extras.append(_("Responsible: %(name)s") % {"name": org_text})
                values["responsible_organisation"] = ref
        if "partners" in self.columns:
            refs = [self.ref("organisation", p, line) for p in _split(get("partners"), r"[;,\n]")]
            values["partners"] = [r for r in refs if r[0] in ("use", "create")]
            extras += [_("Partner: %(name)s") % {"name": r[1]} for r in refs if r[0] == "text"]
        if "causes" in self.columns:
            refs = [self.ref("cause", c, line) for c in _split(get("causes"))]
            values["causes"] = [r for r in refs if r[0] in ("use", "create")]
            extras += [_("Cause: %(text)s") % {"text": r[1]} for r in refs if r[0] == "text"]
        if "contact" in self.columns:
            text = clean(get("contact"))
            known = text and key(text) in self.contact_names
            ref = self.ref("contact", text, line) if text and not known else ("text", "")
            values["contact_user"] = int(ref[1]) if ref[0] == "use" else None
            values["contact_name"] = "" if ref[0] == "use" else text[:200]
        if "status" in self.columns and clean(get("status")):
            ref = self.ref("status", clean(get("status")), line)
            if ref[0] == "use":
                values["status"] = ref[1]
            else:
                extras.append(_("Status: %(text)s") % {"text": ref[1]})
        warnings = []
        read_dates(self, get, values, extras, warnings)
        read_numbers(self, get, values, line)
        for name in TEXT_FIELDS:
            if name in self.columns:
                values[name] = clean_keep_lines(get(name))[
                    : 300 if name in ("places", "target_group") else None
                ]
        if "traffic_light" in self.columns:
            text = key(get("traffic_light"))
            values["traffic_light"] = LIGHT_BY_WORD.get(text, "")
            if text and text not in LIGHT_BY_WORD:
                extras.append(_("Traffic light: %(text)s") % {"text": clean(get("traffic_light"))})
        for index, header in enumerate(self.table.headers):
            if not self.columns[index] and clean(cells[index]) and header:
                extras.append(f"{header}: {clean_keep_lines(cells[index])}")
        if "description" in self.columns or extras:
            parts = [clean_keep_lines(get("description")), "\n".join(extras)]
            values["description"] = "\n\n".join(p for p in parts if p)
        for name in ("title", "description", "contact_name", *TEXT_FIELDS):
            try:
                validate_free_text(values.get(name))
            except ValidationError as error:
                self.errors.append(
                    _("Row %(line)s: the column “%(column)s”: %(error)s")
                    % {"line": line, "column": self.header_of(name), "error": error.messages[0]}
                )
            if find_personal_identity_numbers(str(values.get(name, ""))):
                self.errors.append(
                    _("Row %(line)s: the text contains a personal identity number.")
                    % {"line": line}
                )
        return PlanRow(line, area, goal, strategy, title[:300], values, warnings=warnings)

    # -- comparing -----------------------------------------------------------------------
    def _compare(self):
        existing = list(Activity.objects.in_plan(self.plan).select_related("strategy__goal"))
        # The links compared, as sets of ids: two queries instead of a prefetch of objects.
        self.links = {"partners": {}, "causes": {}}
        for name, column in (("partners", "organisation_id"), ("causes", "cause_id")):
            if name in self.columns:
                through = getattr(Activity, name).through.objects
                pairs = through.filter(activity__strategy__goal__plan=self.plan)
                for activity_id, target in pairs.values_list("activity_id", column):
                    self.links[name].setdefault(activity_id, set()).add(target)
        by_title = {}
        for activity in existing:
            by_title.setdefault(key(activity.title), []).append(activity)
        titles = list(by_title)
        for row, first in with_repeats(self.rows, _activity_ident):
            if first is not None:
                self.errors.append(
                    _("Row %(line)s: the same activity as row %(first)s.")
                    % {"line": row.line, "first": first}
                )
            candidates = by_title.get(key(row.title), [])
            row.activity = self._pick(row, candidates)
            if row.activity is None and titles and not candidates:
                match = process.extractOne(key(row.title), titles, scorer=fuzz.ratio,
                                           score_cutoff=NEAR_DUPLICATE)  # fmt: skip
                if match:
                    row.activity = self._near(row, by_title[match[0]][0], match[1])
            row.state, row.changed = self.diff(row)

    def _ask_for_missing_contacts(self):
        """Rows that would save an activity without a contact person (which `Activity.clean()`
        refuses) get one question: which member is the contact of them all. An empty cell
        keeps the contact an existing activity has."""
        for row in self.rows:
            if row.activity is not None and not _has_contact(row):
                row.values.pop("contact_user", None)
                row.values.pop("contact_name", None)
                row.state, row.changed = self.diff(row)
        lacking = [row for row in self.rows if row.state != "unchanged" and not _has_contact(row)]
        if not lacking:
            return
        matcher = self.matchers["contact"]
        text = _("(no contact person in the file)")
        options = [(f"use:{pk}", label) for pk, label in sorted(set(matcher.names.values()))]
        if not options:
            self.errors += [
                _("Row %(line)s: the activity has no contact person.") % {"line": row.line}
                for row in lacking
            ]
            return
        saved = matcher.saved.get(key(text))
        default = saved if saved in dict(options) else options[0][0]
        question = Question("contact", text, options, default, remembered=saved == default)
        question.lines = [row.line for row in lacking]
        matcher.questions[key(text)] = question
        answer = matcher.decision(text, self.answers)
        for row in lacking:
            row.values.update(contact_user=int(answer.partition(":")[2]), contact_name="")
            row.state, row.changed = self.diff(row)

    def _pick(self, row, candidates):
        for activity in candidates:
            goal = activity.strategy.goal
            if key(goal.title) == key(row.goal) and key(activity.strategy.title) == key(
                row.strategy
            ):
                return activity
        return candidates[0] if len(candidates) == 1 else None

    def _near(self, row, activity, score):
        k = key(row.title)
        question = self.activity_questions.get(k)
        if question is None:
            options = [
                (f"use:{activity.pk}", _("Match “%(title)s”") % {"title": activity.title}),
                ("create", _("Create a new activity")),
            ]
            saved = self.saved.get("activity", {}).get(k)
            default = (
                saved if saved in dict(options) else ("create" if score < 90 else options[0][0])
            )
            question = Question("activity", row.title, options, default)
            self.activity_questions[k] = question
        question.lines.append(row.line)
        row.warnings.append(
            _("Nearly the same name as the activity “%(title)s”.") % {"title": activity.title}
        )
        answer = self.answers.get(question.name, question.default)
        return activity if answer == options_first(question) else None

    def diff(self, row):
        from .compare import activity_changes

        if row.activity is None:
            return "new", []
        changed = activity_changes(row, self)
        return ("changed" if changed else "unchanged"), changed

    @property
    def questions(self):
        found = [q for m in self.matchers.values() for q in m.questions.values()]
        return found + list(self.activity_questions.values())

    def counts(self):
        states = [row.state for row in self.rows]
        return {s: states.count(s) for s in ("new", "changed", "unchanged")}


def _has_contact(row):
    """Whether the activity the row saves has a contact: from the file, else as it is now."""
    current = row.activity
    user = row.values.get("contact_user", current.contact_user_id if current else None)
    name = row.values.get("contact_name", current.contact_name if current else "")
    return user is not None or bool(name)


def options_first(question):
    return question.options[0][0]
