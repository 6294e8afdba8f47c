"""Swedish text conventions that Python does not follow by itself."""

# Swedish sorts å, ä, ö after z, in that order; é sorts as e and ü as y.
_SWEDISH_ORDER = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}", "é": "e", "è": "e", "ü": "y"})


def swedish_key(text: str) -> str:
    """A sort key that orders text as a Swedish reader expects (Ö after Z, Å before Ä)."""
    return (text or "").casefold().translate(_SWEDISH_ORDER)
