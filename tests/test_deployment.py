"""The deployment files, read as Docker Compose would read them (no Docker engine runs here): the
platform's shape, and every required setting documented in docker/env.example."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_a_proxy_in_front_of_two_web_replicas_one_queue_worker_and_postgresql():
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "app", "worker", "proxy"}
    app, worker = services["app"], services["worker"]
    assert app["deploy"]["replicas"] == 2 and app["environment"]["QUEUE_IN_SERVER"] == "false"
    assert "/readyz" in " ".join(app["healthcheck"]["test"]) and "ports" not in app  # reached through the proxy only
    assert worker["command"] == ["solidaire", "worker"]
    for name in ("app", "worker"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        # One database and one SECRET_KEY for every process.
        assert services[name]["environment"]["DATABASE_URL"] == services["migrate"]["environment"]["DATABASE_URL"]
        assert services[name]["environment"]["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY in .env}"
    assert services["proxy"]["depends_on"] == {"app": {"condition": "service_healthy"}}
    caddyfile = (ROOT / "docker" / "Caddyfile").read_text()
    assert "name app" in caddyfile and "port 8000" in caddyfile


def test_every_required_setting_is_in_the_example_environment():
    required = set(re.findall(r"\$\{(\w+):\?", (ROOT / "docker-compose.yml").read_text()))
    example = set(re.findall(r"^(\w+)=", (ROOT / "docker" / "env.example").read_text(), re.MULTILINE))
    assert required and required <= example
