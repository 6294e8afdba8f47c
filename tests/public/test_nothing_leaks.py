"""The public pages' one promise: nothing is public unless someone decided it.

A marker is planted in every text that must never leave the working group, on the demo's
public Piteå agreements (and in an agreement whose page is off); then every public page and
open-data file is crawled anonymously, following each link, and no marker may appear.
"""

import datetime
import json
import re
from decimal import Decimal
from urllib.parse import urlsplit

from followup.models import (
    CouncilAnswer,
    CouncilQuestion,
    CouncilSurvey,
    Decision,
    Evaluation,
    LogEntry,
    Meeting,
)
from plans.models import (
    Activity,
    ImplementationPlan,
    Observation,
    SituationPicture,
    StatusUpdate,
    Strategy,
)
from tests.factories import (
    make_activity,
    make_cause,
    make_goal,
    make_member,
    make_plan,
    make_problem,
    make_strategy,
    make_user,
)

START = ["/public/", "/offentligt/"]
# Open data that pages link to only in part: every table in every form, and the API's pages.
TABLES = ["agreements", "goals", "promises", "activities", "reports"]


def _plant(demo):
    """Markers in every text that must stay internal: {marker: where it was planted}."""
    pitea, current, alvsbyn = demo["pitea"], demo["current"], demo["alvsbyn"]
    markers = {}

    def mark(where):
        marker = f"QXMARK{len(markers):03d}"
        markers[marker] = where
        return marker

    plan = pitea.plans.get(year=2025)
    public = Activity.objects.in_plan(plan).filter(public=True).first()
    internal = Activity.objects.in_plan(plan).filter(public=False).first()
    assert public and internal
    # An activity that was never marked public, in every text it has.
    Activity.objects.filter(pk=internal.pk).update(
        title=mark("unpublished activity's title"),
        description=mark("unpublished activity's description"),
        operational_goal=mark("unpublished activity's operational goal"),
    )
    # A public activity's internal fields: contact, assessment, follow-up, fine-grained place.
    Activity.objects.filter(pk=public.pk).update(
        contact_name=mark("public activity's contact person"),
        traffic_light_comment=mark("public activity's assessment comment"),
        follow_up=mark("public activity's follow-up plan"),
        places="Centrum, " + mark("a place finer than a district"),
        estimated_cost=Decimal("987654.32"),
    )
    markers["987654"] = "public activity's estimated cost"
    # A public-marked activity in a draft plan: not adopted, not public.
    draft = ImplementationPlan.objects.create(agreement=current, year=current.first_year + 1)
    make_activity(
        make_strategy(make_goal(draft, title=mark("goal of a draft plan"))),
        title=mark("public-marked activity of a draft plan"),
        contact_name="X",
        public=True,
    )
    # An agreement whose page is off, with a public-marked activity.
    closed_plan = make_plan(alvsbyn, 2025, status="adopted", adopted_on=datetime.date(2025, 2, 1))
    make_activity(
        make_strategy(make_goal(closed_plan)),
        title=mark("activity of an agreement whose page is off"),
        contact_name="X",
        public=True,
    )
    alvsbyn.title = mark("title of an agreement whose page is off")
    alvsbyn.save()
    # Strategies are the working group's own reasoning.
    Strategy.objects.filter(pk=public.strategy_id).update(title=mark("strategy"))
    # The log, status updates and evaluations' internal texts.
    promise = plan.citizen_promises.first()
    LogEntry.objects.create(
        activity=public,
        date=datetime.date(2025, 5, 5),
        description=mark("log entry's description"),
        note=mark("log entry's note"),
        place=mark("log entry's place"),
        organisation=public.responsible_organisation,
        citizen_promise=promise,
        occasions=2,
    )
    StatusUpdate.objects.create(activity=public, status="ongoing", comment=mark("status update"))
    Evaluation.objects.update_or_create(
        activity=public,
        year=2025,
        defaults={
            "done_as_planned": "partly",
            "verdict": "change",
            "what_did_not_work": mark("evaluation: what did not work"),
            "production_comment": mark("evaluation: production"),
            "effect_assessment": mark("evaluation: effect"),
        },
    )
    # Meetings, minutes and decisions.
    meeting = Meeting.objects.create(
        agreement=pitea,
        date=datetime.date(2025, 3, 3),
        title=mark("meeting's title"),
        agenda=mark("agenda"),
        minutes=mark("minutes"),
        other_attendees=mark("other attendees"),
    )
    Decision.objects.create(meeting=meeting, text=mark("decision"))
    # The situation picture: problems and causes.
    picture = SituationPicture.objects.filter(agreement=pitea).first()
    problem = make_problem(
        picture,
        title=mark("problem's title"),
        description=mark("problem's description"),
        where=mark("problem's place"),
        affected=mark("who is affected"),
    )
    make_cause(problem, description=mark("cause"))
    SituationPicture.objects.filter(pk=picture.pk).update(analysis=mark("picture's analysis"))
    # The council's self-evaluation.
    survey, _ = CouncilSurvey.objects.get_or_create(agreement=pitea, year=2025)
    question = CouncilQuestion.objects.create(survey=survey, topic="other", text=mark("question"))
    CouncilAnswer.objects.create(
        question=question, respondent=demo["users"]["polis"], score=2, comment=mark("answer")
    )
    # Facts: notes on observations.
    Observation.objects.filter(indicator__agreement=pitea).update(note=mark("observation note"))
    # People: a member named as a public activity's contact, with an e-mail address.
    person = make_user(
        first_name="Quirinus",
        last_name=mark("user's last name"),
        email=mark("user's e-mail").lower() + "@pitea.example",
    )
    make_member(pitea, user=person)
    Activity.objects.filter(pk=public.pk).update(contact_user=person)
    pitea.signatories = mark("signatories")
    pitea.save()
    for user in demo["users"].values():  # the demo's own people, by name and address
        markers[user.get_full_name()] = f"user {user.username}'s name"
        markers[user.email] = f"user {user.username}'s e-mail"
    return markers


def _links(body):
    return re.findall(r'(?:href|src)="([^"#]+)', body)


def _crawl(client, extra):
    seen, queue, bodies = set(), [*START, *extra], {}
    while queue:
        url = queue.pop()
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or not path.startswith(("/public/", "/offentligt/")):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert not response.cookies, path
        if response["Content-Type"] == "application/pdf":
            bodies[path] = ""  # published before the markers: the PDF is the public record
            continue
        body = response.content.decode("utf-8")
        bodies[path] = body
        if response["Content-Type"].startswith("text/html"):
            queue += _links(body)
        elif response["Content-Type"].startswith("application/json"):
            data = json.loads(body)
            if isinstance(data, dict) and data.get("next_page"):
                queue.append(data["next_page"])
            if isinstance(data, dict):
                queue += [v["url"] for v in data.get("values", []) if "url" in v]
            else:
                queue += [row["url"] for row in data if "url" in row]
        else:
            queue += re.findall(r"https?://[^\s\"<>;,]+", body)
    return bodies


def test_no_internal_text_reaches_any_public_url(demo, client, settings):
    settings.SITE_URL = "http://testserver"
    markers = _plant(demo)
    extra = [
        f"/public/{kind}" for kind in ["dcat.rdf", "reports.atom", "data/README.md", "api/v1/"]
    ]
    for table in TABLES:
        extra += [
            f"/public/data/{table}.csv",
            f"/public/data/{table}-comma.csv",
            f"/public/data/{table}.json",
            f"/public/api/v1/{table}/?per_page=3",
        ]
        for agreement in (demo["pitea"], demo["current"]):
            extra += [f"/public/{agreement.pk}/data/{table}.csv"]
    bodies = _crawl(client, extra)
    # The crawl reached every kind of public page.
    pitea = demo["pitea"]
    for must in [
        f"/public/{pitea.pk}/",
        f"/public/{pitea.pk}/2024/",
        f"/public/{pitea.pk}/promises/",
        f"/public/{pitea.pk}/activities/",
        f"/public/{pitea.pk}/reports/2024/v1.pdf",
        "/offentligt/",
        "/public/dcat.rdf",
    ]:
        assert any(path.startswith(must) for path in bodies), must
    assert len(bodies) > 60
    leaks = [
        f"{where} ({marker}) at {path}"
        for path, body in bodies.items()
        for marker, where in markers.items()
        if marker.casefold() in body.casefold()
    ]
    assert not leaks, "\n".join(leaks)
    # And the crawl would have seen them: the public activity is on its page.
    public = Activity.objects.filter(contact_user__first_name="Quirinus").get()
    assert public.title in bodies[f"/public/{pitea.pk}/activities/{public.pk}/"]
