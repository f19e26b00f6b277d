"""The CloudDriver seam as the local cloud offers it (no root needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fornace.clouds import CloudDriver, HostNotReady, StackNotFound, TemplateInvalid
from fornace.clouds.local.driver import LocalCloud
from fornace.errors import ConfigurationError, InvalidInput, NotFound


def test_local_cloud_is_a_cloud_driver(tmp_path: Path) -> None:
    assert isinstance(LocalCloud(tmp_path), CloudDriver)


def test_listings_have_the_shapes_ui_fields_need(tmp_path: Path) -> None:
    (tmp_path / "local-cloud" / "keypairs").mkdir(parents=True)
    (tmp_path / "local-cloud" / "keypairs" / "ops.pub").write_text("ssh-ed25519 AAAA ops@host\n")
    cloud = LocalCloud(tmp_path)
    flavors = {f["name"]: f for f in cloud.list_flavors()}
    assert flavors["m1.tiny"]["ram"] == 512 and flavors["m1.medium"]["vcpus"] == 2
    image = cloud.list_images()[0]
    assert image["name"] == "host" and image["murano_image_info"]["type"] == "linux"
    assert cloud.list_keypairs()[0]["name"] == "ops"
    assert cloud.list_keypairs()[0]["fingerprint"].count(":") == 15
    assert cloud.list_availability_zones()[0]["zoneName"] == "nova"
    assert cloud.list_networks() == [] and cloud.list_subnets() == []
    assert cloud.list_stacks() == []


def test_missing_stack(tmp_path: Path) -> None:
    cloud = LocalCloud(tmp_path)
    assert cloud.outputs("ghost") == {}
    cloud.delete("ghost")  # no error, nothing made
    with pytest.raises(StackNotFound) as caught:
        cloud.describe("ghost")
    assert isinstance(caught.value, NotFound) and caught.value.hint
    assert not (tmp_path / "local-cloud" / "locks" / "ghost.lock").exists()


def test_bad_stack_names_and_bind_mounts(tmp_path: Path) -> None:
    cloud = LocalCloud(tmp_path)
    with pytest.raises(TemplateInvalid) as caught:
        cloud.push("../etc", {"heat_template_version": "2013-05-23", "resources": {}})
    assert isinstance(caught.value, InvalidInput)
    with pytest.raises(HostNotReady) as missing:
        LocalCloud(tmp_path, bind_mounts=[(str(tmp_path / "nope"), "/bus")])
    assert isinstance(missing.value, ConfigurationError)
    with pytest.raises(TemplateInvalid):
        LocalCloud(tmp_path, bind_mounts=[(str(tmp_path), "relative")])
