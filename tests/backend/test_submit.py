"""The post/redirect/get of every page's form (backend.web.submit): done, a redirect; refused by
what was typed or the state of things, the same page again with the refusal's status and its errors
by the fields; not there or not the person's, the error page."""

import pytest

from backend.errors import Conflict, FieldError, Invalid, NotFound, Problem
from backend.web import submit


def again(**shown):
    return shown


async def test_a_form_done_redirects_where_its_result_says():
    async def admit():
        return {"id": 7}

    response = await submit(admit, lambda member: f"/t/coop/members/{member['id']}", again)
    assert (response.status_code, response.url) == (302, "/t/coop/members/7")


@pytest.mark.parametrize("refusal", [Invalid("Bad.", errors=[FieldError("email", "Enter an e-mail address.")]), Conflict("Already sent.")])
async def test_a_refused_form_is_shown_again_with_its_errors_by_field(refusal):
    async def refused():
        raise refusal

    shown = await submit(refused, "/t/coop/", again)
    assert shown["status_code"] == refusal.status
    assert shown["errors"] == ({"email": "Enter an e-mail address."} if refusal.errors else {"": "Already sent."})


@pytest.mark.parametrize("refusal", [NotFound("No such member."), Problem("Not yours.", status=403)])
async def test_what_is_not_there_or_not_the_persons_is_the_error_page(refusal):
    async def refused():
        raise refusal

    with pytest.raises(Problem) as raised:
        await submit(refused, "/t/coop/", again)
    assert raised.value is refusal
