"""Development mode: the token itself names the caller.

``user:project`` or ``user:project:role1,role2``; a bare token is an admin of
project ``admin``. Nothing is verified: never expose this mode to a network.
"""

from __future__ import annotations

from collections.abc import Mapping

from fornace.auth.context import RequestContext
from fornace.errors import NotAuthenticated


class NoAuthBackend:
    def __init__(self, admin_role: str = "admin") -> None:
        self.admin_role = admin_role

    def authenticate(self, headers: Mapping[str, str], request_id: str) -> RequestContext:
        token = headers.get("x-auth-token", "").strip()
        if not token:
            raise NotAuthenticated(
                "the request has no X-Auth-Token header",
                hint="in noauth mode send 'X-Auth-Token: user:project[:role,role]'",
                reference="token-missing",
            )
        parts = [p.strip() for p in token.split(":")]
        if len(parts) == 1:
            user, project, roles = parts[0], "admin", [self.admin_role]
        elif len(parts) in (2, 3) and parts[0] and parts[1]:
            user, project = parts[0], parts[1]
            roles = [r.strip() for r in parts[2].split(",")] if len(parts) == 3 else ["member"]
        else:
            raise NotAuthenticated(
                f"malformed noauth token ({len(parts)} ':'-separated parts, "
                "user and project must not be empty)",
                hint="in noauth mode send 'X-Auth-Token: user:project' or "
                     "'user:project:role1,role2' (or a bare word for an admin of project admin)",
                reference="token-malformed",
            )
        return RequestContext.build(user, project, roles, admin_role=self.admin_role,
                                    token=token, request_id=request_id)
