"""Writes that span several models: imports of facts, approval and versioning of the picture."""
