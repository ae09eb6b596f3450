"""The operator's `solidaire` command line, run as a real process on its own SQLite file."""

import os
import subprocess
import sys

import pytest

from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="the command line is exercised once, on SQLite")


@pytest.fixture
def solidaire(tmp_path):
    env = {**os.environ, "SOLIDAIRE_VAR": str(tmp_path), "SOLIDAIRE_PASSWORD": "a long enough password"}
    env.pop("DATABASE_URL", None)
    env.pop("MIGRATION_DATABASE_URL", None)

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-c", "from solidaire.cli import main; main()", *args], env=env, capture_output=True, text=True, timeout=120)
        assert (result.returncode == 0) == ok, (args, result.stdout, result.stderr)
        return result

    return run


def test_operator_sets_up_a_tenant_and_moves_its_register(solidaire, tmp_path):
    assert "applied tenants/0001_tenants.sql" in solidaire("migrate").stdout
    assert "up to date" in solidaire("migrate").stdout
    solidaire("tenants", "create", "--slug", "coop-test", "--name", "Coop test", "--categories", "user,worker")
    assert "already" in solidaire("tenants", "create", "--slug", "coop-test", "--name", "Again", ok=False).stderr
    assert "coop-test\tcoop\tfr_CA" in solidaire("tenants", "list").stdout
    solidaire("users", "create", "--email", "Secretaire@Coop.test", "--name", "Secrétaire", "--tenant", "coop-test", "--role", "secretary", "--role", "administrator")

    good = tmp_path / "members.csv"
    good.write_text("last_name,first_name,street,city,region,postal_code,category,shares_subscribed,email\n"
                    "Côté,Ève,1 rue A,Shawinigan,QC,G9N 1A1,user,1,eve@exemple.ca\n"
                    "Roy,Léa,2 rue B,Shawinigan,QC,G9N 1A2,worker,2,\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(good.read_text(encoding="utf-8") + "Roy,Luc,3 rue C,Shawinigan,QC,G9N 1A3,supporting,1,eve@exemple.ca\n", encoding="utf-8")

    assert "3 rows" not in (failure := solidaire("members", "import", str(bad), "--tenant", "coop-test", ok=False)).stdout
    assert "line 4: category" in failure.stderr and "line 4: email" in failure.stderr
    assert "2 rows checked, nothing imported" in solidaire("members", "import", str(good), "--tenant", "coop-test", "--dry-run").stdout
    assert solidaire("members", "export", "--tenant", "coop-test").stdout.count("\n") == 1
    assert "2 members imported" in solidaire("members", "import", str(good), "--tenant", "coop-test").stdout

    for email, name in (("eve@exemple.ca", "Ève Côté"), ("autre@exemple.ca", "Autre")):
        assert "holds member in coop-test" in solidaire("users", "create", "--email", email, "--name", name, "--tenant", "coop-test", "--role", "member").stdout
    linked = solidaire("members", "link", "--tenant", "coop-test", "--number", "1", "--email", "eve@exemple.ca")
    assert "eve@exemple.ca is linked to member no. 1" in linked.stdout
    refused = solidaire("members", "link", "--tenant", "coop-test", "--number", "1", "--email", "autre@exemple.ca", ok=False)
    assert "already linked" in refused.stderr
    assert "no member" in solidaire("members", "link", "--tenant", "coop-test", "--number", "99", "--email", "autre@exemple.ca", ok=False).stderr.lower()
    assert "no login" in solidaire("members", "link", "--tenant", "coop-test", "--number", "2", "--email", "nobody@exemple.ca", ok=False).stderr

    exported = solidaire("members", "export", "--tenant", "coop-test").stdout.splitlines()
    assert exported[0].startswith("number,last_name,first_name") and exported[1].startswith("1,Côté,Ève")
    pdf = tmp_path / "register.pdf"
    solidaire("members", "export", "--tenant", "coop-test", "--format", "pdf", "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
