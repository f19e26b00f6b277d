"""Environment templates as the API returns them."""

from __future__ import annotations

from typing import Any

from fornace.api.schemas._time import timestamp
from fornace.db.models import EnvironmentTemplate
from fornace.db.repositories.templates import services_of


def template_out(template: EnvironmentTemplate) -> dict[str, Any]:
    return {"id": template.id, "name": template.name, "tenant_id": template.tenant_id,
            "version": template.version, "description_text": template.description_text or "",
            "is_public": template.is_public, "created": timestamp(template.created),
            "updated": timestamp(template.updated)}


def template_detail(template: EnvironmentTemplate) -> dict[str, Any]:
    return {**template_out(template), "services": services_of(template)}
