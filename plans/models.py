"""Steps 1–3 of the cycle: facts, the joint situation picture and the implementation plan."""
