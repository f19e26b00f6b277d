"""Policy: Murano's rule names and defaults (placeholder until oslo.policy lands).

``authorize(ctx, rule)`` raises Forbidden when the rule denies the call.
"""

from __future__ import annotations

from fornace.auth.context import RequestContext
from fornace.errors import Forbidden

ADMIN_RULES = frozenset({
    "list_environments_all_tenants",
    "publicize_package",
    "add_category",
    "delete_category",
})


def authorize(ctx: RequestContext, rule: str) -> None:
    if rule in ADMIN_RULES and not ctx.is_admin:
        raise Forbidden(
            f"policy does not allow {rule} for this caller",
            hint="this call needs the admin role",
            reference="policy-denied",
        )


def allowed(ctx: RequestContext, rule: str) -> bool:
    try:
        authorize(ctx, rule)
    except Forbidden:
        return False
    return True
