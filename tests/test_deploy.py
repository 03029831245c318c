"""The deployment files (Docker does not run here): what they publish and pass to the server."""
from __future__ import annotations

import re

from conftest import ROOT
from quotes_service.server.config import _ENV


def test_compose_publishes_on_the_loopback_interface_unless_the_operator_says_otherwise():
    compose = (ROOT / "docker-compose.yml").read_text("utf-8")
    ports = re.findall(r'^\s*- "([^"]+)"\s*$', compose.split("ports:", 1)[1].split("environment:", 1)[0], re.MULTILINE)
    assert ports == ["${QUOTES_PUBLISH_ADDRESS:-127.0.0.1}:50051:50051"]  # compose's ${VAR:-default}


def test_compose_sets_only_variables_the_server_reads():
    compose = (ROOT / "docker-compose.yml").read_text("utf-8")
    environment = compose.split("environment:", 1)[1].split("healthcheck:", 1)[0]
    named = set(re.findall(r"^\s*#?\s*(QUOTES_[A-Z_]+):", environment, re.MULTILINE))
    known = {env for env, _ in _ENV.values()}
    assert named and named <= known, named - known
    assert {"QUOTES_TLS_CERT", "QUOTES_TLS_KEY", "QUOTES_AUTH_TOKEN_FILE"} <= named
