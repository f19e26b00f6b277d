"""The Python client: public names, error mapping, and a light import."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

import fornace.client
from fornace import errors
from fornace.client import (
    APIConnectionError,
    ClientConflict,
    ClientNotFound,
    FornaceClient,
)
from fornace.client.errors import error_for_response


def test_exported_members_match_all() -> None:
    public = {name for name in dir(fornace.client) if not name.startswith("_")}
    modules = {"client", "errors"}
    assert public - modules == set(fornace.client.__all__)


@pytest.mark.parametrize(("status", "category"), [
    (400, errors.InvalidInput), (401, errors.NotAuthenticated), (403, errors.Forbidden),
    (404, errors.NotFound), (409, errors.Conflict), (503, errors.ServiceUnavailable),
    (500, errors.ServiceUnavailable)])
def test_status_maps_to_the_fornace_category(status: int, category: type) -> None:
    body = {"error": {"message": "the server's words", "code": status, "title": "t",
                      "reference": "some-thing", "hint": "do this"}}
    exc = error_for_response(status, "http://x/v1/y", body, "")
    assert isinstance(exc, category)
    assert exc.message == f"the server's words (HTTP {status})"
    assert (exc.hint, exc.reference, exc.status) == ("do this", "some-thing", status)


def test_non_json_error_body_keeps_the_text() -> None:
    exc = error_for_response(502, "http://x", None, "<html>Bad gateway</html>")
    assert isinstance(exc, errors.ServiceUnavailable) and "Bad gateway" in exc.message


def test_import_loads_no_server_modules() -> None:
    code = ("import sys, fornace.client; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'fastapi', 'sqlalchemy', 'yaql', 'starlette', 'pydantic'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "[]"


def test_client_against_live_api(api: httpx.Client) -> None:
    with FornaceClient(str(api.base_url), "alice:p1") as client:
        env = client.create_environment("c1")
        assert client.find_environment("c1")["id"] == env["id"]
        sid = client.configure_environment(env["id"])["id"]
        app = {"?": {"type": "com.example.A", "id": "e" * 32}, "name": "a"}
        client.add_service(env["id"], app, sid)
        assert client.list_services(env["id"], "e" * 32, session_id=sid)["name"] == "a"
        assert client.get_session(env["id"], sid)["state"] == "opened"
        client.delete_session(env["id"], sid)
        with pytest.raises(ClientNotFound):
            client.get_session(env["id"], sid)
        with pytest.raises(ClientConflict, match="already exists"):
            client.create_environment("c1")
        assert client.request_statistics() is not None
        assert client.last_status(env["id"]) == {"lastStatuses": {}}


def test_connection_error_names_the_url() -> None:
    from fornace.testing.servers import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with FornaceClient(url) as client, pytest.raises(APIConnectionError) as caught:
        client.list_environments()
    assert caught.value.message == f"cannot reach Fornace at {url}: connection refused"


def test_client_commands_load_no_server_modules() -> None:
    from fornace.testing.servers import free_port

    code = ("import sys; from fornace.cli.main import main\n"
            f"try:\n    main(['--url', 'http://127.0.0.1:{free_port()}', 'environment-list'])\n"
            "except SystemExit:\n    pass\n"
            "print('HEAVY', sorted({m.split('.')[0] for m in sys.modules} & "
            "{'fastapi', 'sqlalchemy', 'yaql', 'starlette', 'pydantic', 'uvicorn'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert "HEAVY []" in out
