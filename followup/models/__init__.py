"""Steps 4–5 of the cycle: operational work, follow-up, meetings and the year-end report.

One module per part: `work` (log entries, evaluations), `meetings`, `council` (how the
crime-prevention council worked), `report` (the year-end report). An activity's status history
is the plan's own (`plans.models.StatusUpdate`), written where the status is saved.
"""

from .council import CouncilAnswer, CouncilQuestion, CouncilSurvey
from .meetings import Decision, Meeting
from .report import PublishedReport, ReportRendering, YearEndReport
from .wheel import Debrief
from .work import Evaluation, LogEntry

__all__ = [
    "CouncilAnswer",
    "CouncilQuestion",
    "CouncilSurvey",
    "Debrief",
    "Decision",
    "Evaluation",
    "LogEntry",
    "Meeting",
    "PublishedReport",
    "ReportRendering",
    "YearEndReport",
]
