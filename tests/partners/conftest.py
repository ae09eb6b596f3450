import pytest


@pytest.fixture
async def program(make_tenant):
    """A partner program tenant: a coordinator besides the usual people."""
    return await make_tenant(roles=("partner_coordinator",))
