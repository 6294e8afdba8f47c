"""The Swedish catalogue is complete: every string the code marks for translation is in it,
translated and not fuzzy.

The strings are extracted from the code as `makemessages` does (Django's `templatize` for the
templates, then GNU xgettext with Django's keywords), so a string that was never extracted into
the catalogue is found too. The gettext tools read both catalogues (msgen, msgfmt).
"""

import gettext
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

BASE = Path(settings.BASE_DIR)
PO = BASE / "locale" / "sv" / "LC_MESSAGES" / "django.po"
SOURCES = ["pitebra", "security", "plans", "followup", "demo", "templates"]
# makemessages' own xgettext arguments for the "django" domain.
XGETTEXT = [
    "--language=Python",
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
    "--from-code=UTF-8",
]


def _gettext_tool(name, *args):
    subprocess.run([shutil.which(name), *args], check=True, capture_output=True)  # noqa: S603


def _source_files(work: Path) -> list[Path]:
    """The Python modules as they are, each template as `templatize` turns it into Python."""
    files = []
    for top in SOURCES:
        for path in sorted((BASE / top).rglob("*")):
            if path.suffix == ".py" and "migrations" not in path.parts:
                files.append(path)
            elif path.suffix in {".html", ".txt"}:
                relative = path.relative_to(BASE)
                text = templatize(path.read_text(encoding="utf-8"), origin=str(relative))
                copy = work / "templatized" / relative.with_suffix(path.suffix + ".py")
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(text, encoding="utf-8")
                files.append(copy)
    return files


def _extract(work: Path) -> Path:
    listing = work / "files.txt"
    listing.write_text("\n".join(str(f) for f in _source_files(work)), encoding="utf-8")
    pot = work / "extracted.pot"
    _gettext_tool("xgettext", *XGETTEXT, f"--files-from={listing}", f"--output={pot}")
    # The template's header names no charset or plural rule; makemessages fills them in too.
    text = pot.read_text(encoding="utf-8")
    text = text.replace("charset=CHARSET", "charset=UTF-8")
    text = text.replace("nplurals=INTEGER; plural=EXPRESSION;", "nplurals=2; plural=(n != 1);")
    pot.write_text(text, encoding="utf-8")
    return pot


def _catalogue(po: Path, work: Path) -> dict:
    """The messages msgfmt compiles from a catalogue: the translated, non-fuzzy ones."""
    mo = work / (po.stem + ".mo")
    _gettext_tool("msgfmt", "--check-format", f"--output-file={mo}", str(po))
    with mo.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    return {key: value for key, value in catalogue.items() if key not in ("", ("", 0))}


def _msgid(key):
    msgid = key[0] if isinstance(key, tuple) else key
    return msgid.replace("\x04", " (context) ")


def test_every_string_in_the_code_has_a_swedish_translation(tmp_path):
    pot = _extract(tmp_path)
    english = tmp_path / "english.po"
    _gettext_tool("msgen", f"--output-file={english}", str(pot))
    needed = _catalogue(english, tmp_path)
    translated = _catalogue(PO, tmp_path)
    assert len(needed) > 1000  # the extraction found the code's strings
    missing = sorted({_msgid(key) for key in needed.keys() - translated.keys()})
    # Missing: never extracted (run makemessages), untranslated or fuzzy.
    assert missing == []
    assert [_msgid(key) for key, value in translated.items() if not value.strip()] == []
