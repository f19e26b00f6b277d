"""Catalog errors.

    PackageError (fornace.errors.InvalidInput)   a package archive or folder is refused;
                                                 ``file`` names the file inside the package
"""

from __future__ import annotations

from fornace.errors import InvalidInput


class PackageError(InvalidInput):
    reference = "package-invalid"

    def __init__(self, message: str, *, file: str | None = None, hint: str | None = None,
                 reference: str | None = None):
        text = f"{file}: {message}" if file else message
        super().__init__(text, hint=hint, reference=reference)
        self.file = file
