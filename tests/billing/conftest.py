"""Fixtures of the billing tests: localstripe (a stateful fake Stripe server), started once per
module, and the service pointed at it (each tenant then enters its own keys: helpers.connect_stripe)."""

import socket
import subprocess
import sys
import time

import httpx
import pytest
import stripe


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def localstripe():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/v1/customers", headers={"authorization": "Bearer sk_test_x"}, timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_enabled(localstripe, monkeypatch):
    """The Stripe API is localstripe's; a client of it, as the clinician's browser would pay."""
    monkeypatch.setenv("STRIPE_API_BASE", localstripe)
    return stripe.StripeClient("sk_test_solidaire", base_addresses={"api": localstripe})
