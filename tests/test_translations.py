"""The Swedish catalogue is complete: every msgid translated, none left fuzzy."""

import re

from django.conf import settings

PO = settings.BASE_DIR / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def _entries(text):
    # Each entry: optional flags line, msgid (possibly multi-line), msgstr (possibly multi-line).
    pattern = re.compile(
        r'(?P<flags>#,[^\n]*\n)?(?:#[^\n]*\n)*msgid (?P<id>(?:"[^\n]*"\n)+)'
        r'(?:msgid_plural (?:"[^\n]*"\n)+)?(?P<str>(?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)'
    )
    for match in pattern.finditer(text):
        msgid = "".join(re.findall(r'"(.*)"', match["id"]))
        strs = re.split(r"msgstr(?:\[\d\])? ", match["str"])[1:]
        values = ["".join(re.findall(r'"(.*)"', s)) for s in strs]
        yield msgid, values, match["flags"] or ""


def test_every_message_has_a_swedish_translation():
    entries = [e for e in _entries(PO.read_text(encoding="utf-8")) if e[0]]
    assert len(entries) > 100
    untranslated = [msgid for msgid, values, _ in entries if not all(values)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []
