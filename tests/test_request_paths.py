"""A ballot from HTTP to the ballot box and a booking from HTTP to the exclusion constraint cross
few files of the domains, each calling only the floors below it (no back-and-forth): traced call by
call while a real request is served (sys.setprofile), so the count is of what runs, not of what is
imported. The plumbing (backend/) and the tenants' sign-in are counted apart."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.billing.helpers import book, future_day, make_coop
from tests.meetings.support import in_session, open_vote, secretary, voters

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("governance/", "billing/")


class Trace:
    """The project files that ran, and who called whom between them."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.calls: set[tuple[str, str]] = set()

    def __call__(self, frame, event, _arg) -> None:
        if event != "call":
            return
        callee = self._project_file(frame)
        if callee is None:
            return
        if callee not in self.files:
            self.files.append(callee)
        caller = frame.f_back
        while caller is not None and self._project_file(caller) is None:
            caller = caller.f_back
        if caller is not None and self._project_file(caller) != callee:
            self.calls.add((self._project_file(caller), callee))

    @staticmethod
    def _project_file(frame) -> str | None:
        path = Path(frame.f_code.co_filename)
        if not path.is_relative_to(ROOT) or ".venv" in path.parts or path.parts[len(ROOT.parts)] == "tests":
            return None
        return str(path.relative_to(ROOT))

    def domain_files(self) -> list[str]:
        return [f for f in self.files if f.startswith(DOMAINS)]

    def back_and_forth(self) -> set[tuple[str, str]]:
        return {(a, b) for a, b in self.calls if (b, a) in self.calls and a.startswith(DOMAINS) and b.startswith(DOMAINS)}


async def traced(request):
    trace = Trace()
    sys.setprofile(trace)
    try:
        response = await request
    finally:
        sys.setprofile(None)
    return response, trace


async def test_a_ballot_crosses_at_most_six_files_of_the_domains_each_calling_only_downwards(client, make_tenant, database):
    world = await make_tenant()
    headers = await secretary(client, world)
    (voter,) = await voters(database, world, 1)
    held = await in_session(client, world, headers, [voter])
    vote = await open_vote(client, world, headers, held["id"])
    response, trace = await traced(client.post(f"/api/t/{world.tenant.slug}/votes/{vote['id']}/ballot", json={"choice": "yes"}, headers=voter.headers))
    assert response.status_code == 201, response.text
    assert len(trace.domain_files()) <= 6, trace.domain_files()
    assert trace.back_and_forth() == set()


async def test_a_booking_crosses_at_most_six_files_of_the_domains_each_calling_only_downwards(client, make_tenant):
    coop = await make_coop(client, make_tenant)
    response, trace = await traced(book(client, coop, future_day(), 9, 11))
    assert response.status_code == 201, response.text
    assert len(trace.domain_files()) <= 6, trace.domain_files()
    assert trace.back_and_forth() == set()
