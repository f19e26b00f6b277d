"""The local cloud driver: Heat templates reconciled into instances on this host.

``push`` works in two passes under the stack's lock:

1. plan, touching nothing: parse the template, resolve every resource's
   properties (values of resources still to be made are UNKNOWN), check them,
   and decide per resource: keep, update in place, replace or create;
2. apply: delete what is gone or replaced (dependents first), then create and
   update in dependency waves, servers of a wave in parallel; refresh the
   security group rules; resolve the outputs.

Progress is saved after every wave, so a crash leaves a state that ``delete``
and ``fornace cloud gc`` can clean.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from fornace.clouds.base import ResourceDescription, StackDescription, StackStatus
from fornace.clouds.errors import CloudError, HostNotReady, ResourceFailed, StackNotFound
from fornace.clouds.local import catalog, gc, instance, network, registry, userdata
from fornace.clouds.local.context import NETWORK, SUBNET, Context, Options, display_name
from fornace.clouds.local.server import apply_firewalls
from fornace.clouds.local.state import CloudState, stack_name_checked
from fornace.clouds.local.template import (
    UNKNOWN,
    Resolver,
    Template,
    contains_unknown,
    parse,
    walk,
)

log = logging.getLogger(__name__)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class LocalCloud:
    """A :class:`~fornace.clouds.base.CloudDriver` for instances on this Linux host."""

    def __init__(
        self,
        data_dir: Path | str,
        *,
        bind_mounts: list[tuple[str, str] | tuple[str, str, bool]] | None = None,
        max_parallel: int = 16,
    ) -> None:
        self.state = CloudState(Path(data_dir))
        binds = tuple(_bind_mount(b) for b in bind_mounts or ())
        self.options = Options(bind_mounts=binds, max_parallel=max_parallel)

    # -- the seam ----------------------------------------------------------
    def push(
        self,
        stack_name: str,
        template: dict[str, Any],
        parameters: dict[str, Any] | None = None,
        files: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        stack_name_checked(stack_name)
        if isinstance(template, dict) and not (
            template.get("resources") or template.get("Resources")
        ):
            self.delete(stack_name)
            return {}
        with self.state.stack_lock(stack_name):
            try:
                return self._push(stack_name, template, parameters, files)
            finally:
                if self.state.load_stack(stack_name) is None:  # refused before anything was made
                    self.state.drop_stack(stack_name)

    def _push(
        self,
        stack_name: str,
        template: dict[str, Any],
        parameters: dict[str, Any] | None,
        files: dict[str, str] | None,
    ) -> dict[str, Any]:
        if True:
            old = self.state.load_stack(stack_name)
            stack_id = old["id"] if old else str(uuid.uuid4())
            tmpl = parse(
                template,
                parameters,
                files,
                {"OS::stack_name": stack_name, "OS::stack_id": stack_id, "OS::project_id": ""},
            )
            ctx = self._context(stack_name)
            ctx.records = {
                n: dict(r, stack=stack_name, name=n)
                for n, r in (old or {}).get("resources", {}).items()
            }
            plan = self._plan(ctx, tmpl)
            _require_privileges()
            stack = old or {
                "name": stack_name,
                "id": stack_id,
                "created_at": _now(),
                "resources": {},
            }
            creating = old is None
            stack.update(
                template=template,
                parameters=dict(parameters or {}),
                files=dict(files or {}),
                updated_at=_now(),
                status_reason="",
                status=StackStatus.CREATE_IN_PROGRESS
                if creating
                else StackStatus.UPDATE_IN_PROGRESS,
            )
            if creating:  # so that delete and gc find a stack that a crash interrupted
                self._save(stack, ctx)
            try:
                self._apply(ctx, tmpl, plan, stack)
                notes = apply_firewalls(ctx)
                for name, note in notes.items():
                    ctx.records[name]["reason"] = note
                stack["outputs"] = self._outputs(ctx, tmpl)
            except CloudError as exc:
                stack["status"] = (
                    StackStatus.CREATE_FAILED if creating else StackStatus.UPDATE_FAILED
                )
                stack["status_reason"] = str(exc)
                self._save(stack, ctx)
                log.info("stack %s: %s (%s)", stack_name, stack["status"], exc)
                raise
            stack["status"] = (
                StackStatus.CREATE_COMPLETE if creating else StackStatus.UPDATE_COMPLETE
            )
            self._save(stack, ctx)
            log.info("stack %s: %s", stack_name, stack["status"])
            return dict(stack["outputs"])

    def outputs(self, stack_name: str) -> dict[str, Any]:
        stack = self.state.load_stack(stack_name)
        return dict((stack or {}).get("outputs") or {})

    def delete(self, stack_name: str) -> None:
        with self.state.stack_lock(stack_name):
            stack = self.state.load_stack(stack_name)
            ctx = self._context(stack_name)
            if stack is not None:
                ctx.records = {
                    n: dict(r, stack=stack_name, name=n)
                    for n, r in stack.get("resources", {}).items()
                }
                stack["status"] = StackStatus.DELETE_IN_PROGRESS
                self._save(stack, ctx)
                try:
                    self._delete_records(ctx, list(ctx.records), stack)
                except CloudError as exc:
                    stack["status"] = StackStatus.DELETE_FAILED
                    stack["status_reason"] = str(exc)
                    self._save(stack, ctx)
                    raise
            self._delete_strays(ctx)
            instance.empty_trash()
            self.state.drop_stack(stack_name)
            if stack is not None:
                log.info("stack %s: deleted", stack_name)

    def describe(self, stack_name: str) -> StackDescription:
        stack = self.state.load_stack(stack_name)
        if stack is None:
            raise StackNotFound(
                f"Stack {stack_name!r} does not exist.",
                hint="`fornace cloud list` shows the stacks of the local cloud.",
            )
        ctx = self._context(stack_name)
        ctx.records = {
            n: dict(r, stack=stack_name, name=n) for n, r in stack.get("resources", {}).items()
        }
        described = []
        for name, rec in sorted(ctx.records.items()):
            handler = registry.handler_for(rec["type"], name)
            described.append(
                ResourceDescription(
                    name=name,
                    type=rec["type"],
                    physical_id=rec["id"],
                    status=rec.get("status", ""),
                    status_reason=rec.get("reason", ""),
                    attributes=handler.attributes(ctx, rec),
                )
            )
        return StackDescription(
            name=stack_name,
            id=stack["id"],
            status=StackStatus(stack["status"]),
            status_reason=stack.get("status_reason", ""),
            resources=tuple(described),
            outputs=dict(stack.get("outputs") or {}),
            template=stack.get("template") or {},
            parameters=stack.get("parameters") or {},
        )

    def list_stacks(self) -> list[str]:
        return self.state.stack_names()

    def list_flavors(self) -> list[dict[str, Any]]:
        return catalog.flavors()

    def list_images(self) -> list[dict[str, Any]]:
        return catalog.images()

    def list_keypairs(self) -> list[dict[str, Any]]:
        return catalog.keypairs(self.state.root / "keypairs")

    def list_availability_zones(self) -> list[dict[str, Any]]:
        return catalog.availability_zones()

    def list_networks(self) -> list[dict[str, Any]]:
        ctx = self._context("")
        return [
            {
                "id": r["id"],
                "name": display_name(r),
                "status": "ACTIVE",
                "admin_state_up": True,
                "shared": False,
                "router:external": False,
                "subnets": [s["id"] for s in ctx.subnets_of(r["id"])],
                "stack": r["stack"],
            }
            for r in ctx.others
            if r.get("type") == NETWORK and r.get("data")
        ]

    def list_subnets(self) -> list[dict[str, Any]]:
        ctx = self._context("")
        return [
            {
                "id": r["id"],
                "name": display_name(r),
                "network_id": r["data"]["network_id"],
                "cidr": r["data"]["cidr"],
                "gateway_ip": r["data"]["gateway"],
                "ip_version": 4,
                "dns_nameservers": r["properties"].get("dns_nameservers") or [],
            }
            for r in ctx.others
            if r.get("type") == SUBNET and r.get("data")
        ]

    def available_cidr(
        self, seed: str = "", template: str = "10.0.0.0/16", prefix: int = 24
    ) -> str:
        """A subnet of ``template`` that neither the host nor this cloud uses yet.

        What Murano's NetworkExplorer.getAvailableCidr gives NeutronNetwork when
        it generates its subnet; ``seed`` (a network id) spreads the choices.
        """
        pool = ipaddress.IPv4Network(template)
        taken = [net for net, _dev in network.host_routes()]
        taken += [
            ipaddress.IPv4Network(r["data"]["cidr"])
            for r in self._context("").others
            if r.get("type") == SUBNET and (r.get("data") or {}).get("cidr")
        ]
        candidates = list(pool.subnets(new_prefix=prefix))
        start = int(hashlib.sha1(seed.encode()).hexdigest(), 16) % len(candidates) if seed else 0
        for candidate in candidates[start:] + candidates[:start]:
            if not any(candidate.overlaps(t) for t in taken):
                return str(candidate)
        raise CloudError(
            f"No free /{prefix} is left in {template} on this host.",
            hint="Delete unused environments or choose another address range.",
        )

    # -- planning ----------------------------------------------------------
    def _context(self, stack_name: str) -> Context:
        others = []
        for name, stack in self.state.all_stacks().items():
            if name == stack_name:
                continue
            for rname, rec in stack.get("resources", {}).items():
                others.append(dict(rec, stack=name, name=rname))
        return Context(self.state, self.options, stack_name, {}, others)

    def _plan(self, ctx: Context, tmpl: Template) -> dict[str, str]:
        """Resolve and check everything; return ``{resource: action}``. Touches nothing."""
        old = dict(ctx.records)
        planned: dict[str, dict[str, Any]] = {}
        actions: dict[str, str] = {}
        ctx.records = planned  # lookups during planning see the planned resources

        def get_id(name: str) -> Any:
            return planned[name]["id"]

        def get_attr(name: str, attr: str, path: list[Any]) -> Any:
            rec = planned[name]
            handler = registry.handler_for(rec["type"], name)
            if actions[name] in ("create", "replace") and not handler.static(rec):
                return UNKNOWN
            return walk(handler.attributes(ctx, rec).get(attr), path)

        resolver = Resolver(tmpl, get_id, get_attr)
        for wave in tmpl.order():
            for name in wave:
                definition = tmpl.resources[name]
                where = f"resource {name!r}"
                handler = registry.handler_for(definition.type, where)
                props = resolver.resolve(definition.properties, where)
                handler.check(ctx, where, props)
                before = old.get(name)
                if (
                    before is None
                    or before.get("type") != definition.type
                    or not before.get("id")
                    or before.get("status") == "CREATE_FAILED"
                ):
                    action = "create"
                elif props == before.get("properties") and not contains_unknown(props):
                    action = "keep"
                else:
                    keys = set(props) | set(before.get("properties") or {})
                    changed = {
                        k
                        for k in keys
                        if props.get(k) != (before.get("properties") or {}).get(k)
                        or contains_unknown(props.get(k))
                    }
                    action = "update" if changed <= handler.updatable else "replace"
                if action in ("keep", "update") and before and not handler.healthy(before):
                    log.info("stack %s: %s is not running any more, replacing it", ctx.stack, name)
                    action = "replace"
                if action in ("create", "replace"):
                    registry.host_check(handler, where, props)
                actions[name] = action
                planned[name] = {
                    "name": name,
                    "stack": ctx.stack,
                    "type": definition.type,
                    "id": before["id"]
                    if action in ("keep", "update") and before
                    else str(uuid.uuid4()),
                    "properties": props,
                    "data": (before or {}).get("data") if action in ("keep", "update") else {},
                    "depends": sorted(definition.depends_on),
                }
        for name in old:
            if name not in actions:
                actions[name] = "delete"
        ctx.records = old
        return actions

    # -- applying ----------------------------------------------------------
    def _apply(
        self, ctx: Context, tmpl: Template, actions: dict[str, str], stack: dict[str, Any]
    ) -> None:
        doomed = [n for n, a in actions.items() if a in ("delete", "replace")]
        self._delete_records(ctx, doomed, stack)

        resolver = _live_resolver(ctx, tmpl)
        for wave in tmpl.order():
            work = []
            for name in wave:
                definition = tmpl.resources[name]
                action = actions[name]
                rec = ctx.records.get(name)
                props = resolver.resolve(definition.properties, f"resource {name!r}")
                depends = sorted(definition.depends_on)
                if action == "keep" and rec is not None:
                    rec["depends"] = depends
                    continue
                if action == "update" and rec is not None:
                    handler = registry.handler_for(definition.type, name)
                    rec["data"] = handler.update(ctx, rec, props)
                    rec.update(properties=props, depends=depends, status="UPDATE_COMPLETE")
                    continue
                work.append((name, definition.type, props, depends))
            self._create_wave(ctx, work, stack)

    def _create_wave(
        self,
        ctx: Context,
        work: list[tuple[str, str, dict[str, Any], list[str]]],
        stack: dict[str, Any],
    ) -> None:
        if not work:
            return

        def create(item: tuple[str, str, dict[str, Any], list[str]]) -> dict[str, Any]:
            name, rtype, props, depends = item
            rid = str(uuid.uuid4())
            data = registry.handler_for(rtype, name).create(ctx, name, rid, props)
            return {
                "name": name,
                "stack": ctx.stack,
                "type": rtype,
                "id": rid,
                "properties": props,
                "data": data,
                "depends": depends,
                "status": "CREATE_COMPLETE",
                "reason": "",
            }

        failures: list[CloudError] = []
        for name, outcome in _run_all(
            create, [(item[0], item) for item in work], self.options.max_parallel
        ):
            if isinstance(outcome, CloudError):
                failures.append(outcome)
            elif isinstance(outcome, BaseException):
                log.error("resource %s failed: %r", name, outcome)
                failures.append(ResourceFailed(f"Resource {name!r} failed.", cause=repr(outcome)))
            else:
                ctx.records[name] = outcome
        self._save(stack, ctx)
        if failures:
            raise failures[0]

    def _delete_records(self, ctx: Context, names: list[str], stack: dict[str, Any]) -> None:
        """Delete resources, dependents first, a wave at a time."""
        pending = {n for n in names if n in ctx.records}
        while pending:
            needed = {
                d
                for n in ctx.records
                if n in pending
                for d in ctx.records[n].get("depends") or []
                if d in pending
            }
            wave = sorted(pending - needed) or sorted(pending)

            def delete(name: str) -> None:
                rec = ctx.records[name]
                registry.handler_for(rec["type"], name).delete(ctx, rec)

            errors: list[BaseException] = []
            for name, outcome in _run_all(
                delete, [(n, n) for n in wave], self.options.max_parallel
            ):
                if isinstance(outcome, BaseException):
                    errors.append(outcome)
                else:
                    del ctx.records[name]
            pending -= set(wave)
            self._save(stack, ctx)
            if errors:
                first = errors[0]
                raise (
                    first
                    if isinstance(first, CloudError)
                    else ResourceFailed("A resource could not be deleted.", cause=repr(first))
                )

    def _delete_strays(self, ctx: Context) -> None:
        """Instances and volumes of this stack that a crash left unrecorded."""
        for short, (stack, _resource) in gc.instance_owners(self.state).items():
            if stack == ctx.stack:
                gc.remove_instance(self.state, short)
        for short, volume_stack in gc.volume_owners(self.state).items():
            if volume_stack == ctx.stack:
                shutil.rmtree(self.state.volume_dir(short), ignore_errors=True)
                (self.state.root / "volumes" / f"{short}.owner").unlink(missing_ok=True)

    def _outputs(self, ctx: Context, tmpl: Template) -> dict[str, Any]:
        resolver = _live_resolver(ctx, tmpl)
        return {
            key: resolver.resolve(value, f"output {key!r}") for key, value in tmpl.outputs.items()
        }

    def _save(self, stack: dict[str, Any], ctx: Context) -> None:
        stack["resources"] = {
            n: {k: v for k, v in r.items() if k not in ("name", "stack")}
            for n, r in ctx.records.items()
        }
        self.state.save_stack(stack["name"], stack)


def _require_privileges() -> None:
    from fornace.clouds.local.doctor import privileged

    if not privileged():
        raise HostNotReady(
            "The local cloud needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to build instances.",
            cause=f"uid {os.geteuid()} without CAP_SYS_ADMIN or CAP_NET_ADMIN",
            hint="Run the engine as root, or use a cloud driver that talks to OpenStack.",
        )


def _live_resolver(ctx: Context, tmpl: Template) -> Resolver:
    """Intrinsic functions against the resources as they exist now."""

    def get_attr(name: str, attr: str, path: list[Any]) -> Any:
        rec = ctx.records[name]
        return walk(registry.handler_for(rec["type"], name).attributes(ctx, rec).get(attr), path)

    return Resolver(tmpl, lambda name: ctx.records[name]["id"], get_attr)


def _bind_mount(entry: tuple[str, str] | tuple[str, str, bool]) -> tuple[str, str, bool]:
    """A ``bind_mounts`` entry, checked: an existing host folder, an absolute path inside."""
    source, target = str(entry[0]), str(entry[1])
    readonly = bool(entry[2]) if len(entry) > 2 else False
    if not os.path.isabs(source) or not os.path.exists(source):
        raise HostNotReady(
            f"Bind mount source {source!r} is not an existing absolute path.",
            hint="Create the folder first, or fix the local cloud's bind_mounts option.",
        )
    return os.path.realpath(source), userdata.safe_path(target, "bind_mounts"), readonly


T = TypeVar("T")
R = TypeVar("R")


def _run_all(
    work: Callable[[T], R], items: list[tuple[str, T]], parallel: int
) -> list[tuple[str, R | BaseException]]:
    """Run ``work`` on every item (in threads when more than one); outcomes in order."""

    def guarded(item: T) -> R | BaseException:
        try:
            return work(item)
        except Exception as exc:  # noqa: BLE001 - handed back to the caller
            return exc

    if len(items) == 1 or parallel <= 1:
        return [(name, guarded(item)) for name, item in items]
    with ThreadPoolExecutor(max_workers=min(parallel, len(items))) as pool:
        futures = [(name, pool.submit(guarded, item)) for name, item in items]
        return [(name, future.result()) for name, future in futures]
