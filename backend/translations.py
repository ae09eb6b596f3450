"""The gettext catalogues, one per domain, kept up to date with the messages of the code.

The foundation's catalogue (backend/locale) holds the messages of backend/ and tenants/; every
other domain keeps its own under `<package>/locale`, so that domains can grow side by side.
After changing messages, run `.venv/bin/python -m backend.translations [folder]` (a catalogue's
folder, e.g. `billing/locale`; all of them without it), then translate every new entry in fr_CA and
fi (English is the message id itself). Entries no longer used are dropped.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from backend import domains

LANGUAGES = ("fr_CA", "fi")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


@dataclass(frozen=True)
class Catalogue:
    locale_dir: Path
    sources: tuple[Path, ...]

    def po(self, language: str) -> Path:
        return self.locale_dir / language / "LC_MESSAGES" / "messages.po"

    def extract(self) -> Catalog:
        """The messages the sources use now, with where they are used."""
        template = Catalog(project="Solidaire", version="0.1.0", copyright_holder="Solidaire contributors", fuzzy=False)
        root = domains.BACKEND.parent
        for source in self.sources:
            for filename, line, message, comments, context in extract_from_dir(str(source), METHODS, OPTIONS, keywords=KEYWORDS):
                location = (str((source / filename).relative_to(root)), line)
                template.add(message, locations=[location], auto_comments=comments, context=context)
        return template


def catalogues() -> Iterator[Catalogue]:
    yield Catalogue(domains.BACKEND / "locale", (domains.BACKEND, domains.folder("tenants")))
    for package in domains.DOMAINS[1:]:
        source = domains.folder(package)
        yield Catalogue(source / "locale", (source,))


def update(only: Path | None = None) -> None:
    for catalogue in catalogues():
        if only is not None and catalogue.locale_dir.resolve() != only.resolve():
            continue
        template = catalogue.extract()
        if not len(template) and not catalogue.locale_dir.exists():
            continue
        catalogue.locale_dir.mkdir(parents=True, exist_ok=True)
        with (catalogue.locale_dir / "messages.pot").open("wb") as handle:
            write_po(handle, template, width=100, omit_header=True)
        for language in LANGUAGES:
            po = catalogue.po(language)
            if po.exists():
                with po.open("rb") as handle:
                    translated = read_po(handle, locale=language)
            else:
                po.parent.mkdir(parents=True, exist_ok=True)
                translated = Catalog(locale=language, fuzzy=False)
            created = translated.creation_date  # kept, so that an update without new messages changes nothing
            translated.update(template, no_fuzzy_matching=True)
            translated.creation_date = created
            translated.obsolete.clear()
            with po.open("wb") as handle:
                write_po(handle, translated, width=100)
            missing = [m.id for m in translated if m.id and not m.string]
            print(f"{po.relative_to(domains.BACKEND.parent)}: {len(missing)} to translate")


if __name__ == "__main__":
    update(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
