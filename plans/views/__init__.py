"""Views of steps 1–3, one module per part: facts, documents and sources, situation picture."""
