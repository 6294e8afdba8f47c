"""Step 5 of the demo: Piteå's year-end report for 2024, written and published (example data)."""

from followup.models import PublishedReport, YearEndReport
from followup.services import report_publish

FOREWORD = (
    "Exempeldata. Under 2024 har arbetsgruppen PiteBra fortsatt det långsiktiga arbetet med "
    "barn och unga och trygga miljöer i enlighet med överenskommelsen. Håll i, håll ut."
)
CONCLUSIONS = (
    "Exempeldata. Samverkan i SSPF och trygghetsvandringarna har fungerat väl. Insatserna "
    "för unga i Öjebyn har försenats och behöver ny bemanning."
)
REVISIONS = (
    "Exempeldata. Utöka fritidsgårdens öppettider i Öjebyn, genomför trygghetsvandring i "
    "Rosvik och fortsätt grannsamverkan i fler byar."
)


def seed_report(*, agreement, users):
    """Write the 2024 texts and publish the report once; running again changes nothing."""
    report, _created = YearEndReport.objects.get_or_create(
        agreement=agreement,
        year=2024,
        defaults={
            "foreword": FOREWORD,
            "conclusions": CONCLUSIONS,
            "proposed_revisions": REVISIONS,
        },
    )
    if not PublishedReport.objects.filter(report=report).exists():
        report_publish(agreement=agreement, year=2024, by=users["samordnare"])
