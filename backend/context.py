"""What every service of the domains is made with: the request's `Context` (the organisation, who
acts, the service's settings, the organisation's today), one base class that reads it, and one
factory for the dependency that builds a service for a request.

A command, a job or the demo acts as the system: `Context(tenant)` (no actor, no settings).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide

from backend.auth import Principal
from backend.clock import local_today
from backend.settings import Settings


@dataclass(frozen=True)
class Context:
    tenant: Any  # the organisation (tenants.services.TenantInfo; the plumbing knows no domain)
    actor: Principal | None = None  # None: the system (a command, a job, the demo)
    settings: Settings | None = None  # None: no links e-mailed (commands, tests)

    @property
    def actor_id(self):
        return self.actor.user_id if self.actor else None

    def acts_as(self, roles: tuple[str, ...]) -> bool:
        """Whether the actor holds one of these roles here (the system holds them all)."""
        return self.actor is None or self.actor.has_any(roles)

    def today(self) -> dt.date:
        return local_today(self.tenant.timezone)


def context_of(request: Request) -> Context:
    return Context(request.state.tenant, request.user, request.app.state.settings)


class TenantService:
    """A service of one organisation, as handled by one person (the context's actor)."""

    def __init__(self, context: Context):
        self.context = context
        self.tenant = context.tenant
        self.actor = context.actor
        self.actor_id = context.actor_id


def provider(build: Callable[..., Any], source: str | None = None) -> Provide:
    """The dependency that builds a service for the request, from its Context, or from another of
    the request's dependencies named `source` (the ballot box from the meetings service)."""
    if source is None:
        def from_request(request: Request) -> Any:
            return build(context_of(request))

        return Provide(from_request, sync_to_thread=False)

    def from_dependency(**dependencies: Any) -> Any:
        return build(dependencies[source])

    # Litestar injects by parameter name: the function takes the source under its own name.
    from_dependency.__signature__ = inspect.Signature([inspect.Parameter(source, inspect.Parameter.KEYWORD_ONLY, annotation=NamedDependency[Any])])  # type: ignore[attr-defined]
    from_dependency.__annotations__ = {source: NamedDependency[Any], "return": Any}
    return Provide(from_dependency, sync_to_thread=False)
