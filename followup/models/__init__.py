"""Steps 4–5 of the cycle: operational work, follow-up, meetings and the year-end report.

One module per part: `work` (log entries, status updates, evaluations), `meetings`, `council`
(how the crime-prevention council worked), `report` (the year-end report).
"""

from .council import CouncilAnswer, CouncilQuestion, CouncilSurvey
from .meetings import Decision, Meeting
from .report import PublishedReport, ReportRendering, YearEndReport
from .wheel import Debrief
from .work import Evaluation, LogEntry, StatusUpdate

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
    "StatusUpdate",
    "YearEndReport",
]
