"""User data to boot scripts; security group rules to nftables."""

from __future__ import annotations

import base64

import pytest

from fornace.clouds.errors import TemplateInvalid
from fornace.clouds.local.context import Context, Options
from fornace.clouds.local.firewall import PortRules, ruleset
from fornace.clouds.local.heatconfig import config_text
from fornace.clouds.local.userdata import render


def test_shell_script_runs_as_is() -> None:
    boot = render("#!/bin/bash\necho hi\n", "vm")
    assert boot.files["/var/lib/fornace/part-001"] == (b"#!/bin/bash\necho hi\n", 0o700)
    assert boot.commands == ["/var/lib/fornace/part-001"]


def test_plain_commands_run_with_sh() -> None:
    assert render("echo hi\n", "vm").commands == ["/bin/sh /var/lib/fornace/part-001"]


def test_cloud_config_files_and_commands() -> None:
    boot = render(
        "#cloud-config\nwrite_files:\n- path: /etc/app.conf\n  content: "
        + base64.b64encode(b"x=1").decode()
        + "\n  encoding: b64\n  permissions: '0600'\nbootcmd: [echo early]\n"
        "runcmd:\n- [touch, /tmp/a b]\n- echo done\npackages: [nginx]\n",
        "vm",
    )
    assert boot.files["/etc/app.conf"] == (b"x=1", 0o600)
    assert boot.commands == ["echo early", "touch '/tmp/a b'", "echo done"]
    assert "packages" in boot.script()


@pytest.mark.parametrize("path", ["relative/file", "", "/"])
def test_cloud_config_paths_stay_inside(path: str) -> None:
    with pytest.raises(TemplateInvalid):
        render(f"#cloud-config\nwrite_files:\n- path: '{path}'\n  content: x\n", "vm")


def test_bad_cloud_config() -> None:
    with pytest.raises(TemplateInvalid, match="not valid YAML"):
        render("#cloud-config\nwrite_files: [\n", "vm")


def test_multipart_of_heat_configs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fornace.clouds.local.state import CloudState

    ctx = Context(CloudState(tmp_path), Options(), "s")
    ctx.records = {
        "cc": {
            "type": "OS::Heat::CloudConfig",
            "id": "1",
            "properties": {"cloud_config": {"runcmd": ["echo from-cloud-config"]}},
        },
        "sc": {
            "type": "OS::Heat::SoftwareConfig",
            "id": "2",
            "properties": {"config": "#!/bin/sh\necho from-script\n"},
        },
        "mm": {
            "type": "OS::Heat::MultipartMime",
            "id": "3",
            "properties": {"parts": [{"config": "1"}, {"config": "2"}]},
        },
    }
    mime = config_text(ctx, ctx.records["mm"])
    boot = render(mime, "vm")
    assert boot.files["/var/lib/fornace/part-001"][0] == b"#!/bin/sh\necho from-script\n"
    assert boot.commands == ["/var/lib/fornace/part-001", "echo from-cloud-config"]


def test_ruleset_allows_listed_ingress_and_all_egress() -> None:
    rules = (
        {
            "protocol": "tcp",
            "port_range_min": 80,
            "port_range_max": 80,
            "remote_ip_prefix": "0.0.0.0/0",
        },
        {
            "protocol": "tcp",
            "port_range_min": 8000,
            "port_range_max": 8100,
            "remote_ip_prefix": "10.1.0.0/16",
        },
        {
            "protocol": "tcp",
            "port_range_min": 5432,
            "port_range_max": 5432,
            "remote_group_id": "g1",
        },
        {"protocol": "icmp", "remote_ip_prefix": "0.0.0.0/0"},
    )
    script = ruleset([PortRules(0, rules, {"g1": ("10.0.0.3", "10.0.0.4")})])
    assert "policy drop;" in script.split("chain output")[0]
    assert 'iifname "eth0" meta nfproto ipv4 tcp dport 80 accept' in script
    assert "ip saddr 10.1.0.0/16 tcp dport 8000-8100 accept" in script
    assert "ip saddr { 10.0.0.3, 10.0.0.4 } tcp dport 5432 accept" in script
    assert "meta l4proto icmp accept" in script
    assert "type filter hook output priority 0; policy accept;" in script


def test_egress_rules_close_the_rest() -> None:
    script = ruleset(
        [
            PortRules(
                0,
                (
                    {
                        "direction": "egress",
                        "protocol": "udp",
                        "port_range_min": 53,
                        "remote_ip_prefix": "0.0.0.0/0",
                    },
                ),
                {},
            )
        ]
    )
    assert "type filter hook output priority 0; policy drop;" in script
    assert 'oifname "eth0" meta nfproto ipv4 udp dport 53 accept' in script


def test_remote_group_without_members_allows_nothing() -> None:
    script = ruleset([PortRules(0, ({"protocol": "tcp", "remote_group_id": "g"},), {})])
    assert "tcp" not in script
