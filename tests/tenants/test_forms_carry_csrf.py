"""Every form of every page that posts carries the CSRF field: without it a real browser's post is
refused (403), although the in-process tests, which add the field themselves, pass. The people
page, the organisation's settings, the register's invitations and the by-laws' settings had none."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_every_posted_form_carries_the_csrf_field():
    missing = []
    for template in sorted(ROOT.glob("*/**/templates/**/*.html")):
        if ".venv" in template.parts:
            continue
        for number, body in enumerate(POST_FORM.findall(template.read_text()), 1):
            if "csrf_input" not in body:
                missing.append(f"{template.relative_to(ROOT)}: form {number}")
    assert not missing, "forms without {{ csrf_input | safe }}:\n" + "\n".join(missing)
