"""Swedish text conventions that Python does not follow by itself."""

# Swedish sorts å, ä, ö after z, in that order; é sorts as e and ü as y.
_SWEDISH_ORDER = str.maketrans({"å": "z{", "ä": "z|", "ö": "z}", "é": "e", "è": "e", "ü": "y"})


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel saves it on Swedish Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def swedish_key(text: str) -> str:
    """A sort key that orders text as a Swedish reader expects (Ö after Z, Å before Ä)."""
    return (text or "").casefold().translate(_SWEDISH_ORDER)
