"""docker-compose.yml: checked by docker when a client is present, and by its structure always."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_neo4j_service_is_the_lts_image_with_auth_health_check_and_volume():
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert any(v.startswith("neo4j-data:") for v in neo4j["volumes"])


def test_app_waits_for_healthy_neo4j_and_points_at_it():
    app = _compose()["services"]["app"]
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert app["environment"]["CONNECTOR_GRAPH_STORE"] == "bolt://neo4j:7687"
    assert (ROOT / "Dockerfile").exists()


def _docker_compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _docker_compose_available(), reason="no docker compose client on this machine")
def test_docker_compose_config_is_valid(tmp_path):
    env = tmp_path / ".env"
    env.write_text("NEO4J_PASSWORD=test-password\n")
    result = subprocess.run(
        ["docker", "compose", "--env-file", str(env), "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_neo4j_gets_graph_data_science_from_the_maven_build_without_downloading():
    neo4j = _compose()["services"]["neo4j"]
    env = neo4j["environment"]
    assert env["NEO4J_dbms_security_procedures_unrestricted"] == "gds.*"
    assert "NEO4J_PLUGINS" not in env  # that would download plugins at container start
    mounts = {v.split(":")[1]: v.split(":")[0] for v in neo4j["volumes"] if v.startswith("./")}
    source = ROOT / mounts["/plugins"]
    assert source == ROOT / "tools" / "neo4j-local" / "target" / "plugins"
    # the Maven module copies exactly OpenGDS 2.13.9 into that folder
    pom = (ROOT / "tools" / "neo4j-local" / "pom.xml").read_text()
    assert "<gds.version>2.13.9</gds.version>" in pom
    assert "<outputDirectory>${project.build.directory}/plugins</outputDirectory>" in pom
    for artifact in ("proc", "proc-sysinfo", "opengds-extension", "open-write-services"):
        assert f"<artifactId>{artifact}</artifactId>" in pom
