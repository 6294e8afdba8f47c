"""Step 5 of the demo (Piteå 2024): the working group's and the council's meetings with their
decisions, and the council's completed self-evaluation (example data)."""

import datetime

from followup.models import CouncilAnswer, CouncilSurvey, Decision, Meeting
from followup.services import council_survey_start

D = datetime.date
EXAMPLE = "Exempeldata."

# date, title, attendees; minutes; decisions
MEETINGS = [
    (D(2024, 2, 20), "Arbetsgruppens möte", ["samordnare", "polis", "kommun"],
     "Genomförandeplanen för 2024 gicks igenom och antogs.",
     ["Anta genomförandeplanen för 2024."]),
    (D(2024, 5, 21), "Arbetsgruppens möte", ["samordnare", "polis"],
     "Trygghetsvandringen i Centrum och lektionerna om nätbrott följdes upp.",
     ["Belysningen i gångtunnlarna prioriteras före sommaren."]),
    (D(2024, 9, 24), "Brottsförebyggande rådet", ["samordnare", "polis", "kommun"],
     "Rådet fick lägesbilden och uppföljningen av medborgarlöftena.",
     ["Fritidsgårdens öppettider tas upp i budgeten för 2025."]),
    (D(2024, 11, 19), "Arbetsgruppens möte", ["samordnare", "kommun"],
     "Röda aktiviteter och saknade utvärderingar gicks igenom inför årsskiftet.",
     ["Starta grannsamverkan i Rosvik 2025."]),
]  # fmt: skip

COUNCIL_ANSWERS = {
    # username: [(score, comment)] in question order
    "samordnare": [
        (4, ""),
        (3, "Informationen om händelser på helger kommer ibland sent."),
        (4, ""),
        (3, ""),
    ],
    "polis": [(4, ""), (4, ""), (3, "Vem som ansvarar är inte alltid tydligt."), (4, "")],
    "kommun": [
        (5, "Bra uppslutning på mötena."),
        (3, ""),
        (4, ""),
        (2, "Uppföljningen hinns inte med."),
    ],
}


def seed_meetings(*, agreement, users, a2025):
    """The meetings of 2024; a decision about Rosvik names the 2025 activity it started."""
    for day, title, attendees, minutes, decisions in MEETINGS:
        meeting = Meeting.objects.create(
            agreement=agreement,
            date=day,
            title=title,
            agenda="1. Mötets öppnande\n2. Uppföljning av aktiviteter\n3. Övriga frågor",
            minutes=f"{EXAMPLE} {minutes}",
            created_by=users["samordnare"],
        )
        meeting.attendees.set([users[name] for name in attendees])
        for position, text in enumerate(decisions, start=1):
            activity = a2025.get("Grannsamverkan i Rosvik") if "Rosvik" in text else None
            Decision.objects.create(
                meeting=meeting,
                text=text,
                responsible_organisation=activity.responsible_organisation if activity else None,
                activity=activity,
                position=position,
            )


def seed_council(*, agreement, users):
    """The council's self-evaluation of 2024, answered by three members and closed."""
    survey = council_survey_start(agreement=agreement, year=2024)
    texts = [
        "Rätt organisationer och personer deltar i rådets och arbetsgruppens möten.",
        "Polisen och kommunen delar information med varandra i tid.",
        "Besluten är tydliga: vem gör vad och när.",
        "Beslut och aktiviteter följs upp på kommande möten.",
    ]
    questions = list(survey.questions.all())
    for question, text in zip(questions, texts, strict=True):
        question.text = text
        question.save(update_fields=["text"])
    for username, answers in COUNCIL_ANSWERS.items():
        for question, (score, comment) in zip(questions, answers, strict=True):
            CouncilAnswer.objects.create(
                question=question, respondent=users[username], score=score, comment=comment
            )
    survey.state = CouncilSurvey.State.CLOSED
    survey.opened_on = D(2024, 11, 20)
    survey.closed_on = D(2024, 12, 13)
    survey.save()
