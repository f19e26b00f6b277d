"""Authentication backends (noauth, builtin, keystone), the request context, and policy."""

from fornace.auth.context import RequestContext

__all__ = ["RequestContext"]
