"""The sample packages: the web server on the local cloud, scaled out and in."""

from __future__ import annotations

import urllib.request
import uuid
from typing import Any

from fornace.corelib import sample_package_dirs
from tests.corelib.conftest import env_model, make_session


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - test URL
        return response.read().decode().strip()


INSTANCE = "io.murano.resources.LinuxMuranoInstance"


def web_server(count: int) -> dict[str, Any]:
    return {"?": {"type": "com.fornace.samples.WebServer", "id": uuid.uuid4().hex},
            "title": "Sample", "port": 8081,
            "servers": {"?": {"type": "io.murano.applications.ServerReplicationGroup",
                              "id": uuid.uuid4().hex},
                        "numItems": count,
                        "provider": {"?": {"type": "io.murano.applications.TemplateServerProvider",
                                           "id": uuid.uuid4().hex},
                                     "serverNamePattern": "web{0}-" + uuid.uuid4().hex[:4],
                                     "template": {"?": {"type": INSTANCE,
                                                        "id": uuid.uuid4().hex},
                                                  # the interpreter builds every nested
                                                  # definition of a model, templates too
                                                  "name": "template",
                                                  "flavor": "m1.tiny", "image": "host"}}}}


def test_sample_folders_are_packages():
    names = [p.name for p in sample_package_dirs()]
    assert names == ["GuestBook", "KeyValueStore", "WebServer"]


def pages(model: dict[str, Any]) -> dict[str, str]:
    app = model["Objects"]["applications"][0]
    return {url: fetch(url) for url in app["urls"]}


def test_web_server_scales_out_and_in(local_env, reports):
    services = local_env
    dirs = sample_package_dirs()
    app = web_server(2)
    session = make_session(services, *dirs)
    result = session.execute_action(env_model(services.environment_id, [app]),
                                    services.environment_id, "deploy")
    assert result["action"]["isException"] is False, result["action"]["result"]["details"]
    model = result["model"]
    served = pages(model)
    assert len(served) == 2
    assert sorted(served.values()) == sorted(
        f"Sample from {s['name']}" for s in model["Objects"]["applications"][0]["servers"]["items"])

    out = make_session(services, *dirs).execute_action(model, app["?"]["id"], "scaleOut")
    assert out["action"]["isException"] is False, out["action"]
    model = out["model"]
    after_out = pages(model)
    assert len(after_out) == 3 and set(served) < set(after_out)

    back = make_session(services, *dirs).execute_action(model, app["?"]["id"], "scaleIn")
    assert back["action"]["isException"] is False, back["action"]
    model = back["model"]
    after_in = pages(model)
    assert set(after_in) == set(served)
    gone = (set(after_out) - set(after_in)).pop()
    try:
        fetch(gone)
    except OSError:
        pass
    else:
        raise AssertionError(f"{gone} still answers after scaleIn")
    assert any("is serving at" in t for t in reports.texts())

    destroyer = make_session(services, *dirs)
    destroyer.load({"Objects": None, "ObjectsCopy": model["Objects"],
                    "Attributes": model["Attributes"]})
    destroyer.finalize()
    assert services.cloud.list_stacks() == []


def test_guest_book_is_configured_with_the_store_address(local_env, reports):
    services = local_env
    dirs = sample_package_dirs()

    def instance(name: str) -> dict[str, Any]:
        return {"?": {"type": "io.murano.resources.LinuxMuranoInstance", "id": uuid.uuid4().hex},
                "name": f"{name}-{uuid.uuid4().hex[:4]}", "flavor": "m1.tiny", "image": "host"}

    store = {"?": {"type": "com.fornace.samples.KeyValueStore", "id": uuid.uuid4().hex},
             "instance": instance("kv")}
    book = {"?": {"type": "com.fornace.samples.GuestBook", "id": uuid.uuid4().hex},
            "database": store["?"]["id"], "instance": instance("book")}
    result = make_session(services, *dirs).execute_action(
        env_model(services.environment_id, [store, book]), services.environment_id, "deploy")
    assert result["action"]["isException"] is False, result["action"]["result"]["details"]
    apps = result["model"]["Objects"]["applications"]
    address = apps[1]["databaseAddress"]
    assert address == f"{apps[0]['instance']['ipAddresses'][0]}:6380"
    book_ip = apps[1]["instance"]["ipAddresses"][0]
    request = urllib.request.Request(f"http://{book_ip}:8000/", data=b"first entry", method="POST")
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 - test URL
    page = fetch(f"http://{book_ip}:8000/")
    assert page.splitlines() == [f"Guest book (store http://{address}/)", "first entry"]
    # the entry lives in the store, not in the guest book
    assert fetch(f"http://{address}/guestbook") == "first entry"


def test_samples_and_core_packages_pass_the_catalog_checks():
    from fornace.catalog.loader import load_folder
    from fornace.corelib import core_packages_dir

    folders = [*sample_package_dirs(), core_packages_dir() / "io.murano",
               core_packages_dir() / "io.murano.applications"]
    loaded = {load_folder(folder).fully_qualified_name for folder in folders}
    assert loaded == {"com.fornace.samples.GuestBook", "com.fornace.samples.KeyValueStore",
                      "com.fornace.samples.WebServer", "io.murano", "io.murano.applications"}
