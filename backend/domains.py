"""The domain packages the application mounts, and what each contributes.

`backend/` knows the domains only through this list. A domain package may hold, each optional:

    routes.py    ROUTES: its API controllers and pages; NAV: its entries in the main menu (NavLink);
                 LANDING: where its roles start; HOME: its panels on the home page (HomePanel)
    guards.py    ROLES: the roles it brings (granted per tenant), and who may do what
    cli.py       COMMANDS: click commands or groups added to `solidaire`
    demo.py      async load(engine): its demo data, run once right after the demo tenants are made
    jobs.py      TASKS: its background work (backend.jobqueue.Task), queued by its services or,
                 for periodic work, for every tenant on a cron schedule
    migrations/  NNNN_name.sql, plus NNNN_name.postgres.sql / .sqlite.sql, applied in DOMAINS order
    templates/   pages, PDFs and e-mails; one loader serves every domain, so a domain other than
                 tenants names its templates `<last part of its package>/….html`
    locale/      its own gettext catalogues (see backend/translations.py)
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

# In dependency order: a later domain may reference an earlier one's tables in its migrations.
TENANT_KINDS = ("coop", "partner_program")  # a co-operative; a public health region's patient-partner program
DOMAINS = ("tenants", "governance.members", "governance.meetings", "governance.partners", "billing")
BACKEND = Path(__file__).parent


def migrating_packages() -> tuple[str, ...]:
    """Whose migrations run, in order: backend's plumbing tables (the mail outbox) reference the
    tenant table, and the other domains may reference both."""
    return (DOMAINS[0], "backend", *DOMAINS[1:])


def folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None, package
    return Path(spec.origin).parent


def _optional(package: str, module: str) -> ModuleType | None:
    name = f"{package}.{module}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def import_tables() -> None:
    for package in DOMAINS:
        _optional(package, "tables")


@cache
def role_names() -> dict[str, str]:
    """Every role a person can hold in a tenant, with its name (a message id), as the domains
    declare them in their guards.py (ROLES)."""
    return {role: name for package in DOMAINS if (module := _optional(package, "guards")) for role, name in module.ROLES.items()}


def roles() -> tuple[str, ...]:
    return tuple(role_names())


def tasks() -> list:
    return [task for package in DOMAINS if (module := _optional(package, "jobs")) for task in module.TASKS]


def routes() -> list:
    return [route for package in DOMAINS if (module := _optional(package, "routes")) for route in module.ROUTES]


@dataclass(frozen=True)
class NavLink:
    """A page of the main menu: `/t/{slug}/{path}`, shown to the holders of one of `roles` in the
    organisations of `kinds`. The links of one `section` share one entry of the menu (it leads to
    the first of them the person may open) and are listed under it on the section's pages, so that
    the menu stays one line whatever roles a person holds."""

    path: str
    label: str  # an English message id, marked with N_() in the domain's own code
    roles: tuple[str, ...]
    section: str | None = None  # the entry's name (a message id); None: an entry of its own
    kinds: tuple[str, ...] = TENANT_KINDS


@cache
def nav_links() -> list[NavLink]:
    return [link for package in DOMAINS if (module := _optional(package, "routes")) for link in getattr(module, "NAV", ())]


@cache
def landings() -> list[NavLink]:
    """Where each role starts (each domain's routes.LANDING): a coordinator on the pipeline..."""
    return [link for package in DOMAINS if (module := _optional(package, "routes")) for link in getattr(module, "LANDING", ())]


@dataclass(frozen=True)
class HomePanel:
    """A part of the organisation's home page that a domain adds (what waits for the person
    there: a ballot open to them): `show(request)` gives it as HTML, or None with nothing to say."""

    show: Callable[..., Awaitable[str | None]]
    kinds: tuple[str, ...] = TENANT_KINDS


@cache
def home_panels() -> list[HomePanel]:
    return [panel for package in DOMAINS if (module := _optional(package, "routes")) for panel in getattr(module, "HOME", ())]


def landing(roles: frozenset[str], kind: str) -> str | None:
    """The page (under /t/{slug}/) a person starts on: the first landing their roles hold in this
    kind of organisation, else the first page of their menu; None when they have neither."""
    for link in [*landings(), *nav_links()]:
        if kind in link.kinds and roles.intersection(link.roles):
            return link.path
    return None


@dataclass(frozen=True)
class MenuEntry:
    label: str  # a message id
    path: str  # under /t/{slug}/
    current: bool
    links: tuple[tuple[str, str, bool], ...]  # the section's pages for this person: label, path, current


def menu(links: list[NavLink], roles: frozenset[str], kind: str, here: str) -> list[MenuEntry]:
    """The menu of one person in one organisation, `here` being the page's path under /t/{slug}/:
    one entry per section, in the order of their first link; the current page is the link whose
    path holds `here` most closely."""
    shown = [link for link in links if kind in link.kinds and roles.intersection(link.roles)]
    holding = [link for link in shown if here == link.path or here.startswith(link.path + "/")]
    current = max(holding, key=lambda link: len(link.path), default=None)
    sections: dict[str, list[NavLink]] = {}
    for link in shown:
        sections.setdefault(link.section or link.label, []).append(link)
    return [
        MenuEntry(
            name if len(members) > 1 else members[0].label, members[0].path, current in members,
            tuple((link.label, link.path, link is current) for link in members) if len(members) > 1 else (),
        )
        for name, members in sections.items()
    ]


def cli_commands() -> list:
    return [command for package in DOMAINS if (module := _optional(package, "cli")) for command in module.COMMANDS]


def demo_loaders() -> list:
    return [module.load for package in DOMAINS[1:] if (module := _optional(package, "demo"))]


def template_dirs() -> list[Path]:
    found = [BACKEND / "templates", *(folder(package) / "templates" for package in DOMAINS)]
    return [path for path in found if path.is_dir()]


def locale_dirs() -> list[Path]:
    """The foundation's catalogue (backend and tenants) first, then each other domain's."""
    found = [BACKEND / "locale", *(folder(package) / "locale" for package in DOMAINS[1:])]
    return [path for path in found if path.is_dir()]
