"""Cinder resources: volumes as folders, attachments as bind mounts into instances."""

from __future__ import annotations

import shutil
from typing import Any

from fornace.clouds.errors import ResourceFailed
from fornace.clouds.local import host, instance, userdata
from fornace.clouds.local.context import SERVER, VOLUME, Context, display_name
from fornace.clouds.local.handler import Handler, bad, known


class VolumeHandler(Handler):
    """A volume is a folder under the cloud's data dir; size is recorded, not enforced."""

    type_name = VOLUME
    properties = frozenset(
        {
            "size",
            "name",
            "description",
            "image",
            "imageRef",
            "metadata",
            "availability_zone",
            "read_only",
            "volume_type",
            "source_volid",
            "snapshot_id",
            "backup_id",
            "multiattach",
            "scheduler_hints",
        }
    )
    required = frozenset({"size"})
    updatable = frozenset({"name", "description", "metadata", "read_only", "size"})

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        size = props.get("size")
        if known(size) and (not isinstance(size, int) or isinstance(size, bool) or size < 1):
            raise bad(where, f"size must be a whole number of GiB, at least 1 (got {size!r}).")

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        short = ctx.state.new_short(set())
        folder = ctx.state.volume_dir(short)
        folder.mkdir(parents=True)
        (folder.parent / f"{short}.owner").write_text(f"{ctx.stack}\n")
        return {"short": short, "path": str(folder)}

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        data = rec.get("data") or {}
        if data.get("short"):
            folder = ctx.state.volume_dir(data["short"])
            shutil.rmtree(folder, ignore_errors=True)
            (folder.parent / f"{data['short']}.owner").unlink(missing_ok=True)

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        attachments = [
            {
                "server_id": a["properties"].get("instance_uuid"),
                "volume_id": rec["id"],
                "device": a["properties"].get("mountpoint"),
                "id": a["id"],
            }
            for a in ctx.records.values()
            if a.get("type") == "OS::Cinder::VolumeAttachment"
            and a.get("properties", {}).get("volume_id") == rec["id"]
        ]
        return {
            "name": display_name(rec),
            "size": rec["properties"].get("size"),
            "status": "in-use" if attachments else "available",
            "attachments": str(attachments),
            "attachments_list": attachments,
        }


def inside_path(mountpoint: str, where: str) -> str:
    """Where a volume shows inside the instance: ``/dev/vdb`` becomes ``/mnt/volumes/vdb``."""
    if mountpoint.startswith("/dev/"):
        return "/mnt/volumes/" + mountpoint[len("/dev/") :].replace("/", "_")
    return userdata.safe_path(mountpoint, where)


class VolumeAttachmentHandler(Handler):
    type_name = "OS::Cinder::VolumeAttachment"
    properties = frozenset({"instance_uuid", "volume_id", "mountpoint"})
    required = frozenset({"instance_uuid", "volume_id"})

    def check(self, ctx: Context, where: str, props: dict[str, Any]) -> None:
        super().check(ctx, where, props)
        if known(props.get("mountpoint")):
            inside_path(str(props["mountpoint"]), where)
        if known(props["instance_uuid"]) and ctx.by_id(props["instance_uuid"], SERVER) is None:
            raise bad(where, f"server {props['instance_uuid']!r} does not exist.")
        if known(props["volume_id"]) and ctx.by_id(props["volume_id"], VOLUME) is None:
            raise bad(where, f"volume {props['volume_id']!r} does not exist.")

    def create(self, ctx: Context, name: str, rid: str, props: dict[str, Any]) -> dict[str, Any]:
        server = ctx.by_id(props["instance_uuid"], SERVER)
        volume = ctx.by_id(props["volume_id"], VOLUME)
        if server is None or volume is None:
            raise ResourceFailed(f"{name}: server or volume is gone.")
        target = inside_path(str(props.get("mountpoint") or f"/dev/vd{name[-1]}"), name)
        sdata = server["data"]
        merged = f"{sdata['folder']}/merged{target}"
        readonly = bool(volume["properties"].get("read_only"))
        script = 'mkdir -p "$1" && mount --bind "$2" "$1"' + (
            ' && mount -o remount,bind,ro "$1"' if readonly else ""
        )
        host.run(
            [
                "nsenter",
                "-t",
                str(sdata["init_pid"]),
                "-m",
                "sh",
                "-c",
                script,
                "sh",
                merged,
                volume["data"]["path"],
            ],
            what=f"attach volume to {server['name']}",
        )
        return {"target": target, "merged": merged, "server_netns": sdata["netns"]}

    def delete(self, ctx: Context, rec: dict[str, Any]) -> None:
        data = rec.get("data") or {}
        server = ctx.by_id(rec.get("properties", {}).get("instance_uuid"), SERVER)
        if server is None or not data:
            return
        sdata = server.get("data") or {}
        pid = int(sdata.get("init_pid") or 0)
        if instance.alive(pid) and instance.in_netns(pid, sdata.get("netns", "")):
            host.run(
                ["nsenter", "-t", str(pid), "-m", "umount", "-l", data["merged"]],
                what="detach a volume",
                check=False,
            )

    def attributes(self, ctx: Context, rec: dict[str, Any]) -> dict[str, Any]:
        return {"mountpoint": (rec.get("data") or {}).get("target")}
