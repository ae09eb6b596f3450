"""Every catalogue holds every message of its domain's code and templates, translated into French
and Finnish, with the same placeholders as the English id. When this fails, run
`.venv/bin/python -m backend.translations` and translate what it lists."""

import re

import pytest
from babel.messages.pofile import read_po

from backend.translations import LANGUAGES, catalogues

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("catalogue", list(catalogues()), ids=lambda c: str(c.locale_dir.parent.name))
def test_every_message_is_translated_in_french_and_finnish(catalogue):
    in_code = {message.id for message in catalogue.extract() if message.id}
    if not in_code:
        return
    with (catalogue.locale_dir / "messages.pot").open("rb") as handle:
        assert in_code - {m.id for m in read_po(handle) if m.id} == set(), "messages.pot is out of date"
    for language in LANGUAGES:
        with catalogue.po(language).open("rb") as handle:
            translated = read_po(handle, locale=language)
        assert in_code - {m.id for m in translated if m.id} == set(), f"{language}: messages missing"
        for message in translated:
            if not message.id:
                continue
            assert "fuzzy" not in message.flags, (language, message.id)
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(text.strip() for text in strings), (language, message.id)
            wanted = set(PLACEHOLDER.findall(" ".join(sources)))
            for text in strings:
                assert set(PLACEHOLDER.findall(text)) == wanted, (language, message.id, text)
                assert "%" not in PLACEHOLDER.sub("", text), (language, text)  # Jinja formats every message


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_shared_by_two_catalogues_is_translated_alike(language):
    """The catalogues are merged into one at run time, so a message id gets a single translation:
    where two domains mean different things by the same English words, they need distinct ids."""
    seen: dict[str, dict[str, str]] = {}
    for catalogue in catalogues():
        if not catalogue.po(language).exists():
            continue
        with catalogue.po(language).open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and isinstance(message.id, str):
                    seen.setdefault(message.id, {})[catalogue.locale_dir.parent.name] = message.string
    differing = {message_id: by_domain for message_id, by_domain in seen.items() if len(set(by_domain.values())) > 1}
    assert differing == {}
