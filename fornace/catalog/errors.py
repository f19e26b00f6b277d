"""Catalog errors.

    PackageError (fornace.errors.InvalidInput)      a package archive or folder is refused;
                                                    ``file`` names the file inside the package
     +-- BundleError                                a bundle file is malformed
    PackageNotFound (fornace.errors.NotFound)       a repository has no such package or bundle;
                                                    ``name`` is the FQN, ``required_by`` who asked
    RepositoryError (fornace.errors.ServiceUnavailable)
                                                    a repository could not be read (network, HTTP)
"""

from __future__ import annotations

from fornace.errors import InvalidInput, NotFound, ServiceUnavailable


class PackageError(InvalidInput):
    reference = "package-invalid"

    def __init__(self, message: str, *, file: str | None = None, hint: str | None = None,
                 reference: str | None = None):
        text = f"{file}: {message}" if file else message
        super().__init__(text, hint=hint, reference=reference)
        self.file = file


class BundleError(PackageError):
    reference = "bundle-invalid"


class PackageNotFound(NotFound):
    reference = "package-not-found"

    def __init__(self, name: str, *, version: str = "", location: str = "",
                 required_by: str | None = None, kind: str = "package"):
        what = f"{kind} {name}" + (f" version {version}" if version else "")
        text = f"{what} was not found" + (f" in {location}" if location else "")
        if required_by:
            text = f"{what} (required by {required_by}) was not found" + (
                f" in {location}" if location else "")
        super().__init__(text, hint=f"add {name} to the repository or import it first")
        self.name = name
        self.version = version
        self.required_by = required_by


class RepositoryError(ServiceUnavailable):
    reference = "repository-unavailable"
