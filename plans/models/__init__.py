"""Steps 1–3 of the cycle: facts, the joint situation picture and the implementation plan.

One module per step: `facts` (step 1), `situation` (step 2), `plan` (step 3).
"""

from .plan import Activity, CitizenPromise, Goal, ImplementationPlan, Strategy

__all__ = ["Activity", "CitizenPromise", "Goal", "ImplementationPlan", "Strategy"]
