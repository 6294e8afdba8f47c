"""Values by meaning: every distinct unknown text is asked about once, with the nearest matches.

A `Matcher` knows one kind of record (organisations, causes, …). Exact names and aliases are
read without a question; anything else becomes a `Question` whose default is the saved choice,
else the nearest match above AUTO_THRESHOLD, else the kind's fallback (create new, keep as text
or skip). The command line takes the defaults; the web page lets the user change them.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rapidfuzz import fuzz, process

from pitebra.models import Membership, Organisation, User

from ..models import Activity, Cause, ImportChoice, Indicator, Observation
from .values import STATUS_BY_WORD, key, read_status, scope_words

AUTO_THRESHOLD = 90
SUGGEST_THRESHOLD = 50
KIND_LABELS = {
    "area": gettext_lazy("Priority area"),
    "organisation": gettext_lazy("Organisation"),
    "status": gettext_lazy("Status"),
    "cause": gettext_lazy("Cause"),
    "contact": gettext_lazy("Contact person"),
    "indicator": gettext_lazy("Indicator"),
    "scope": gettext_lazy("Scope"),
    "activity": gettext_lazy("Activity that looks the same"),
}


def near_score(a, b, *, processor=None, score_cutoff=None):
    """One name inside the other with most of its words: "piteå" is not "nattvandrarna i piteå"."""
    words_a, words_b = len(str(a).split()), len(str(b).split())
    if not words_a or not words_b or min(words_a, words_b) / max(words_a, words_b) < 0.6:
        return 0
    return fuzz.token_set_ratio(a, b)


@dataclass
class Question:
    kind: str
    text: str
    options: list[tuple[str, str]]
    default: str
    lines: list[int] = field(default_factory=list)
    remembered: bool = False

    @property
    def name(self):
        digest = hashlib.sha1(f"{self.kind}:{key(self.text)}".encode()).hexdigest()[:12]  # noqa: S324
        return f"v_{self.kind}_{digest}"

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def lines_text(self):
        """'row 9', 'rows 9 and 10', 'rows 9, 10 and 12': as a person writes it."""
        lines = [str(n) for n in dict.fromkeys(self.lines)]
        if len(lines) > 10:
            return _("rows %(list)s and %(more)s more") % {
                "list": ", ".join(lines[:10]),
                "more": len(lines) - 10,
            }
        if len(lines) == 1:
            return _("row %(n)s") % {"n": lines[0]}
        return _("rows %(list)s and %(last)s") % {"list": ", ".join(lines[:-1]), "last": lines[-1]}

    def group_heading(self, n):
        headings = {
            "cause": ngettext(
                "%(n)s cause is not in the situation picture",
                "%(n)s causes are not in the situation picture",
                n,
            ),
            "organisation": ngettext(
                "%(n)s organisation is not in PiteBra", "%(n)s organisations are not in PiteBra", n
            ),
            "area": ngettext(
                "%(n)s priority area is not in the agreement",
                "%(n)s priority areas are not in the agreement",
                n,
            ),
            "contact": ngettext(
                "%(n)s contact person has no login in the agreement",
                "%(n)s contact people have no login in the agreement",
                n,
            ),
            "indicator": ngettext(
                "%(n)s indicator is not in PiteBra", "%(n)s indicators are not in PiteBra", n
            ),
            "status": ngettext(
                "%(n)s status PiteBra does not know", "%(n)s statuses PiteBra does not know", n
            ),
            "scope": ngettext(
                "%(n)s area PiteBra does not know", "%(n)s areas PiteBra does not know", n
            ),
            "activity": ngettext(
                "%(n)s activity looks like one already in the plan",
                "%(n)s activities look like ones already in the plan",
                n,
            ),
        }
        return headings[self.kind] % {"n": n}

    def create_all_label(self):
        return _("Create all")


def answer_for(question, answers):
    """The user's choice for a question: 'create all' of its kind, its own answer, or default."""
    valid = {value for value, _label in question.options}
    if answers.get(f"g_{question.kind}") == "create" and "create" in valid:
        return "create"
    answer = answers.get(question.name)
    return answer if answer in valid else question.default


class Matcher:
    """Names of one kind of record → a target; subclasses say what the names and targets are."""

    kind = ""
    fallback = ImportChoice.Action.TEXT
    scorer = staticmethod(fuzz.token_sort_ratio)
    # "Nattvandrarna i Piteå" is "Föreningen Nattvandrarna i Piteå": one name inside the other
    # scores as the near match it is, and is pre-selected.
    near_scorer = staticmethod(lambda a, b, **kw: near_score(a, b, **kw))

    def __init__(self, agreement, saved):
        self.agreement = agreement
        self.names = self.load()  # {key(name): (target, label)}
        self.saved = saved.get(self.kind, {})
        self.questions = {}

    def load(self):
        raise NotImplementedError

    def exact(self, text):
        return self.names.get(key(text))

    def suggestions(self, text):
        found = process.extract(
            key(text), list(self.names), scorer=self.scorer, limit=3,
            score_cutoff=SUGGEST_THRESHOLD,
        )  # fmt: skip
        near = process.extract(
            key(text), list(self.names), scorer=self.near_scorer, limit=1,
            score_cutoff=AUTO_THRESHOLD,
        )  # fmt: skip
        seen, result = set(), []
        for name, score, _index in near + found:
            target, label = self.names[name]
            if target not in seen:
                seen.add(target)
                result.append((target, label, score))
        return result

    def extra_options(self):
        return [(self.fallback, ImportChoice.Action(self.fallback).label)]

    def ask(self, text, line):
        """The target for `text` if known at once, else None (and a question is recorded)."""
        if (found := self.exact(text)) is not None:
            return found[0]
        k = key(text)
        if k not in self.questions:
            suggestions = self.suggestions(text)
            options = [
                (f"use:{t}", _("Use “%(name)s”") % {"name": lb}) for t, lb, _s in suggestions
            ]
            options += self.extra_options()
            values = {value for value, _label in options}
            saved = self.saved.get(k)
            if saved in values:
                default = saved
            elif suggestions and suggestions[0][2] >= AUTO_THRESHOLD:
                default = f"use:{suggestions[0][0]}"
            else:
                default = str(self.fallback)
            self.questions[k] = Question(
                self.kind, text, options, default, remembered=saved == default
            )
        self.questions[k].lines.append(line)
        return None

    def decision(self, text, answers):
        """The chosen option for a question's text: the user's answer, else the default."""
        return answer_for(self.questions[key(text)], answers)


class OrganisationMatcher(Matcher):
    kind = "organisation"
    fallback = ImportChoice.Action.CREATE

    def load(self):
        names = {}
        for org in Organisation.objects.of_agreement(self.agreement):
            names[key(org.name)] = (org.pk, org.name)
            short = re.sub(r"\s+(ab|hb|kb|ek\.? ?för\.?|ideell förening)$", "", key(org.name))
            names.setdefault(short, (org.pk, org.name))
        police, municipality = self.agreement.police_area, self.agreement.municipality
        for alias in ("polisen", "polis", "lokalpolisområdet", "lpo", "police"):
            names.setdefault(alias, (police.pk, police.name))
        short = re.sub(r"s? kommun$", "", key(municipality.name))
        for alias in ("kommunen", short, f"{short} kommun", f"{short}s kommun"):
            names.setdefault(alias, (municipality.pk, municipality.name))
        return names

    def split_unit(self, text):
        """'Piteå kommun, socialtjänsten' → (Piteå kommun's id, 'socialtjänsten'), else None."""
        head, sep, unit = str(text).partition(",")
        if not sep:
            head, sep, unit = str(text).partition(" - ")
        found = self.exact(head) if sep else None
        return (found[0], unit.strip()) if found and unit.strip() else None

    def extra_options(self):
        return [("create", _("Create a new organisation")), ("text", _("Keep as text"))]


class StatusMatcher(Matcher):
    kind = "status"

    def load(self):
        labels = dict(Activity.Status.choices)
        names = {word: (status, labels[status]) for word, status in STATUS_BY_WORD.items()}
        names.update({key(label): (status, label) for status, label in labels.items()})
        return names

    def exact(self, text):
        status = read_status(text)
        return (status, "") if status else None

    def extra_options(self):
        used = {}
        for status, label in Activity.Status.choices:
            used[f"use:{status}"] = _("Use “%(name)s”") % {"name": label}
        return [*used.items(), ("text", _("Keep as text"))]

    def ask(self, text, line):
        result = super().ask(text, line)
        if result is None:  # the five statuses once, whatever the suggestions were
            question = self.questions[key(text)]
            question.options = list(dict(question.options).items())
        return result


class CauseMatcher(Matcher):
    kind = "cause"
    fallback = ImportChoice.Action.CREATE

    def load(self):
        causes = Cause.objects.filter(problem__picture__agreement=self.agreement).order_by("-pk")
        return {key(c.description): (c.pk, c.description) for c in causes}

    def extra_options(self):
        return [("create", _("Create a new cause")), ("text", _("Keep as text"))]


class ContactMatcher(Matcher):
    kind = "contact"

    def load(self):
        users = User.objects.filter(
            pk__in=Membership.objects.filter(agreement=self.agreement).values("user")
        )
        names = {}
        for user in users:
            for name in (user.get_full_name(), user.username, str(user)):
                if name:
                    names.setdefault(key(name), (user.pk, str(user)))
        return names

    def extra_options(self):
        return [("text", _("Keep as text (a contact without a login)"))]


class AreaMatcher(Matcher):
    kind = "area"
    fallback = ImportChoice.Action.CREATE

    def load(self):
        return {key(a.name): (a.pk, a.name) for a in self.agreement.priority_areas.all()}

    def exact(self, text):
        if not key(text) and len(self.names) == 1:
            return next(iter(self.names.values()))
        return super().exact(text)

    def extra_options(self):
        return [("create", _("Create a new priority area"))] if key(self.current) else []

    def ask(self, text, line):
        self.current = text
        result = super().ask(text, line)
        question = self.questions.get(key(text))
        if result is None and not key(text) and question.default == "create":
            question.options = [(f"use:{t}", lb) for t, lb in self.names.values()]
            question.default = question.options[0][0] if question.options else "create"
        return result


class IndicatorMatcher(Matcher):
    kind = "indicator"
    fallback = ImportChoice.Action.CREATE

    def load(self):
        names = {}
        for indicator in Indicator.objects.of_municipality(self.agreement):
            names[key(indicator.name)] = (indicator.pk, indicator.name)
            if indicator.unit:  # "Anmälda brott per 100 000 inv" names the total and its unit
                names.setdefault(
                    key(f"{indicator.name} {indicator.unit}"), (indicator.pk, indicator.name)
                )
            if indicator.kolada_kpi:
                names.setdefault(key(indicator.kolada_kpi), (indicator.pk, indicator.name))
        return names

    def extra_options(self):
        return [("create", _("Create a new indicator")), ("skip", _("Skip these rows"))]


class ScopeMatcher(Matcher):
    kind = "scope"
    fallback = ImportChoice.Action.SKIP

    def load(self):
        labels = dict(Observation.Scope.choices)
        return {word: (scope, labels[scope]) for word, scope in scope_words(self.agreement).items()}

    def extra_options(self):
        labels = Observation.Scope.choices
        return [(f"use:{s}", _("Use “%(name)s”") % {"name": lb}) for s, lb in labels] + [
            ("skip", _("Skip these rows"))
        ]

    def ask(self, text, line):
        result = super().ask(text, line)
        if result is None:
            question = self.questions[key(text)]
            question.options = list(dict(question.options).items())
        return result


def resolve(preview, kind, text, line):
    """('use', target) | ('create', text) | ('text', text) | ('skip', text), once per text."""
    cache = preview.__dict__.setdefault("_resolved", {})
    found = cache.get((kind, text))
    if found is None:
        matcher = preview.matchers[kind]
        target = matcher.ask(text, line)
        if target is not None:
            found = (("use", target), None)
        else:
            action, _sep, value = matcher.decision(text, preview.answers).partition(":")
            found = ((action, value if action == "use" else text), matcher.questions[key(text)])
        cache[(kind, text)] = found
    elif found[1] is not None:
        found[1].lines.append(line)
    return found[0]
