"""Steps 1–3 of the cycle: facts, the joint situation picture and the implementation plan.

One module per step: `facts` (step 1), `situation` (step 2), `plan` (step 3).
"""

from .facts import Document, Indicator, Observation, Source
from .imports import ImportChoice, ImportJob
from .plan import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy
from .situation import Approval, Cause, Place, Problem, SituationPicture
from .status import StatusUpdate
from .wheel import RiskPeriod, RiskPeriodDates

__all__ = [
    "Activity",
    "Approval",
    "Cause",
    "CitizenPromise",
    "Document",
    "Goal",
    "ImportChoice",
    "ImportJob",
    "ImplementationPlan",
    "Indicator",
    "Observation",
    "Place",
    "Problem",
    "RiskPeriod",
    "RiskPeriodDates",
    "SituationPicture",
    "Source",
    "StatusUpdate",
    "Strategy",
]
