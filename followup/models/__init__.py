"""Steps 4–5 of the cycle: operational work, follow-up, meetings and the year-end report."""

from .report import PublishedReport, YearEndReport

__all__ = ["PublishedReport", "YearEndReport"]
