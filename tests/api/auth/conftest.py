"""A real Keystone on loopback for the keystone-mode tests (session scoped).

How it gets one, cheapest first:
1. FORNACE_TEST_KEYSTONE_URL names a running Keystone whose bootstrap admin
   (user ``admin`` in project ``admin``) has the password
   FORNACE_TEST_KEYSTONE_ADMIN_PASSWORD (default ``secret``): it is used as is.
2. Otherwise Keystone 30.0.0 is started from a virtual environment kept in
   FORNACE_TEST_KEYSTONE_VENV (default ``~/.cache/fornace/keystone-venv``;
   cache that directory in CI). A missing venv is created with
   ``pip install keystone==30.0.0 gunicorn`` pinned by keystone-constraints.txt
   (about a minute); the tests skip only when that install fails.
   The server (SQLite, fernet tokens, cheap bcrypt) runs under gunicorn on a
   free loopback port and is stopped at the end of the session (~15 s start).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from fornace.api.deps import Ctx
from fornace.config import Settings
from fornace.testing.servers import free_port

KEYSTONE_VERSION = "30.0.0"
HERE = Path(__file__).parent
INSTALL_TIMEOUT = 600
START_TIMEOUT = 120

KS_WSGI = '''\
# Keystone parses sys.argv with oslo.config; drop gunicorn's flags first.
import sys
sys.argv = sys.argv[:1]
from keystone.wsgi.api import application  # noqa: E402,F401
'''

KS_CONF = """\
[DEFAULT]
log_file = {base}/keystone.log
[database]
connection = sqlite:///{base}/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = {base}/fernet-keys
[fernet_receipts]
key_repository = {base}/fernet-keys
[credential]
key_repository = {base}/credential-keys
[identity]
password_hash_rounds = 4
"""


def _venv_dir() -> Path:
    default = Path.home() / ".cache" / "fornace" / "keystone-venv"
    return Path(os.environ.get("FORNACE_TEST_KEYSTONE_VENV") or default)


def _ensure_venv() -> Path:
    venv = _venv_dir()
    if (venv / "bin" / "keystone-manage").exists() and (venv / "bin" / "gunicorn").exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True,
                       timeout=120)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q",
                        "-c", str(HERE / "keystone-constraints.txt"),
                        f"keystone=={KEYSTONE_VERSION}", "gunicorn"],
                       check=True, capture_output=True, timeout=INSTALL_TIMEOUT)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        shutil.rmtree(venv, ignore_errors=True)
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"cannot install Keystone {KEYSTONE_VERSION} into {venv}: {exc} "
                    f"{detail.decode(errors='replace')[-500:]}")
    return venv


@dataclass
class Keystone:
    url: str  # .../v3
    admin_password: str
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def admin_token(self) -> str:
        return self.token("admin", self.admin_password, "admin")

    def token(self, user: str, password: str, project: str) -> str:
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": user, "password": password, "domain": {"id": "default"}}}},
            "scope": {"project": {"name": project, "domain": {"id": "default"}}}}}
        resp = httpx.post(f"{self.url}/auth/tokens", json=body, timeout=30)
        resp.raise_for_status()
        return resp.headers["X-Subject-Token"]


def _start_keystone(base: Path) -> Keystone:
    venv = _ensure_venv()
    port = free_port()
    url = f"http://127.0.0.1:{port}/v3"
    (base / "keystone.conf").write_text(KS_CONF.format(base=base))
    (base / "ks_wsgi.py").write_text(KS_WSGI)
    manage = [str(venv / "bin" / "keystone-manage"), "--config-file", str(base / "keystone.conf")]
    # keys and schema are independent: set them up side by side, then bootstrap
    setup = [["fernet_setup", "--keystone-user", "root", "--keystone-group", "root"],
             ["credential_setup", "--keystone-user", "root", "--keystone-group", "root"],
             ["db_sync"]]
    running = [subprocess.Popen(manage + step, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE) for step in setup]
    for step, proc in zip(setup, running, strict=True):
        _, err = proc.communicate(timeout=300)
        if proc.returncode:
            raise RuntimeError(f"keystone-manage {step[0]} failed: {err.decode()[-2000:]}")
    subprocess.run(manage + ["bootstrap", "--bootstrap-password", "secret",
                             "--bootstrap-region-id", "RegionOne",
                             "--bootstrap-admin-url", url, "--bootstrap-public-url", url,
                             "--bootstrap-internal-url", url],
                   check=True, capture_output=True, timeout=300)
    log = open(base / "gunicorn.log", "wb")  # noqa: SIM115 - kept open for the server's life
    process = subprocess.Popen(
        [str(venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--timeout", "120", "--chdir", str(base), "ks_wsgi:application"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={**os.environ, "OS_KEYSTONE_CONFIG_DIR": str(base)},
    )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if httpx.get(url + "/", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Keystone did not start; see {base / 'gunicorn.log'} "
                               f"and {base / 'keystone.log'}")
        time.sleep(0.2)
    return Keystone(url, "secret", process)


@pytest.fixture(scope="session")
def keystone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keystone]:
    given = os.environ.get("FORNACE_TEST_KEYSTONE_URL")
    if given:
        yield Keystone(given.rstrip("/"),
                       os.environ.get("FORNACE_TEST_KEYSTONE_ADMIN_PASSWORD", "secret"))
        return
    server = _start_keystone(tmp_path_factory.mktemp("keystone"))
    try:
        yield server
    finally:
        assert server.process is not None
        server.process.terminate()
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()


@dataclass(frozen=True)
class KeystoneAccounts:
    """What the tests created in Keystone: a project with a member and an admin."""

    project_id: str
    project_name: str
    member: tuple[str, str]  # (user id, password)
    admin: tuple[str, str]
    member_name: str
    admin_name: str
    service_user: str
    service_password: str


class _Admin:
    def __init__(self, keystone: Keystone) -> None:
        self.client = httpx.Client(base_url=keystone.url, timeout=30,
                                   headers={"X-Auth-Token": keystone.admin_token()})

    def find_or_create(self, kind: str, name: str, body: dict[str, object]) -> str:
        found = self.client.get(f"/{kind}s", params={"name": name}).raise_for_status()
        items = found.json()[f"{kind}s"]
        if items:
            return str(items[0]["id"])
        made = self.client.post(f"/{kind}s", json={kind: {"name": name, **body}})
        return str(made.raise_for_status().json()[kind]["id"])

    def grant(self, project_id: str, user_id: str, role_id: str) -> None:
        path = f"/projects/{project_id}/users/{user_id}/roles/{role_id}"
        self.client.put(path).raise_for_status()


@pytest.fixture(scope="session")
def keystone_accounts(keystone: Keystone) -> KeystoneAccounts:
    admin = _Admin(keystone)
    suffix = uuid.uuid4().hex[:8]
    password = uuid.uuid4().hex
    domain = {"domain_id": "default"}
    roles = {name: admin.find_or_create("role", name, {}) for name in ("member", "admin",
                                                                      "service")}
    service_project = admin.find_or_create("project", "service", domain)
    project_name = f"fornace-x-{suffix}"
    project_id = admin.find_or_create("project", project_name, domain)
    users = {}
    for name in (f"fornace-svc-{suffix}", f"fx-member-{suffix}", f"fx-admin-{suffix}"):
        users[name] = admin.find_or_create("user", name, {**domain, "password": password})
    admin.grant(service_project, users[f"fornace-svc-{suffix}"], roles["service"])
    admin.grant(project_id, users[f"fx-member-{suffix}"], roles["member"])
    admin.grant(project_id, users[f"fx-admin-{suffix}"], roles["admin"])
    admin.client.close()
    return KeystoneAccounts(
        project_id=project_id, project_name=project_name,
        member=(users[f"fx-member-{suffix}"], password),
        admin=(users[f"fx-admin-{suffix}"], password),
        member_name=f"fx-member-{suffix}", admin_name=f"fx-admin-{suffix}",
        service_user=f"fornace-svc-{suffix}", service_password=password,
    )


@pytest.fixture
def whoami_app():  # type: ignore[no-untyped-def]
    """``make(settings)``: the real API app plus GET /whoami echoing the caller's context."""
    from fornace.api.app import create_app

    def make(settings: Settings) -> FastAPI:
        app = create_app(settings)

        @app.get("/whoami")
        def whoami(ctx: Ctx) -> dict[str, object]:
            return {"user_id": ctx.user_id, "project_id": ctx.project_id,
                    "roles": list(ctx.roles), "is_admin": ctx.is_admin}

        return app

    return make
