"""The request context every auth backend produces and every layer below consumes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    """Who is calling. ``token`` is kept for the engine (trusts), never logged."""

    user_id: str
    project_id: str
    roles: tuple[str, ...] = ()
    is_admin: bool = False
    token: str | None = field(default=None, repr=False)
    request_id: str = ""
    user_name: str | None = None
    project_name: str | None = None

    @classmethod
    def build(
        cls,
        user_id: str,
        project_id: str,
        roles: tuple[str, ...] | list[str] = (),
        *,
        admin_role: str = "admin",
        token: str | None = None,
        request_id: str = "",
        user_name: str | None = None,
        project_name: str | None = None,
    ) -> RequestContext:
        roles_t = tuple(r for r in roles if r)
        return cls(
            user_id=user_id,
            project_id=project_id,
            roles=roles_t,
            is_admin=admin_role in roles_t,
            token=token,
            request_id=request_id,
            user_name=user_name,
            project_name=project_name,
        )
