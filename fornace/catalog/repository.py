"""Package repositories: a folder or an HTTP(S) base URL laid out as Murano's.

    <base>/apps/<FQN>.zip               a package (no version)
    <base>/apps/<FQN>.<version>.zip     a package, one version
    <base>/bundles/<name>.bundle        a bundle (JSON or YAML)

A folder repository also accepts an unpacked package folder in place of a zip
(``apps/<FQN>/`` or ``apps/<FQN>.<version>/``). Everything fetched is validated
with the same loader as uploads.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin

import httpx

from fornace.catalog.archive import ArchiveLimits
from fornace.catalog.bundles import BundleEntry, parse_bundle
from fornace.catalog.errors import PackageError, PackageNotFound, RepositoryError
from fornace.catalog.loader import load_folder, load_package
from fornace.catalog.package import LoadedPackage

log = logging.getLogger(__name__)

BUNDLE_SIZE_LIMIT = 1024 * 1024


def check_name(name: str, kind: str) -> None:
    """Murano's rule: a name with '/' (other than a URL) or equal to '.'/'..' is refused."""
    if not name or "/" in name or name in (".", "..") or "\\" in name:
        raise PackageError(f"invalid {kind} name {name!r}",
                           hint=f"give the {kind}'s FullName, e.g. com.example.Demo")


def file_name(name: str, version: str, extension: str) -> str:
    return f"{name}.{version}{extension}" if version else f"{name}{extension}"


class PackageRepository(Protocol):
    """Where dependencies and bundles are fetched from."""

    location: str

    def fetch_package(self, name: str, version: str = "") -> LoadedPackage: ...

    def fetch_bundle(self, name: str) -> list[BundleEntry]: ...

    def fetch_url(self, url: str) -> LoadedPackage: ...


class FolderRepository:
    def __init__(self, root: str | Path, *, limits: ArchiveLimits | None = None) -> None:
        self.root = Path(root)
        self.location = str(self.root)
        self.limits = limits or ArchiveLimits()

    def fetch_package(self, name: str, version: str = "") -> LoadedPackage:
        check_name(name, "package")
        apps = self.root / "apps"
        archive = apps / file_name(name, version, ".zip")
        folder = apps / file_name(name, version, "")
        if archive.is_file():
            return load_package(archive.read_bytes(), limits=self.limits)
        if (folder / "manifest.yaml").is_file():
            return load_folder(folder, limits=self.limits)
        raise PackageNotFound(name, version=version, location=self.location)

    def fetch_bundle(self, name: str) -> list[BundleEntry]:
        check_name(name, "bundle")
        path = self.root / "bundles" / f"{name}.bundle"
        if not path.is_file():
            raise PackageNotFound(name, location=self.location, kind="bundle")
        return parse_bundle(path.read_bytes(), file=f"bundles/{name}.bundle")

    def fetch_url(self, url: str) -> LoadedPackage:
        raise PackageError(f"a folder repository cannot fetch {url}",
                           hint="use an HTTP repository for bundle entries with Url")


class HttpRepository:
    """A repository served over HTTP(S); ``base_url`` should end with '/'."""

    def __init__(self, base_url: str, *, client: httpx.Client | None = None,
                 limits: ArchiveLimits | None = None, timeout: float = 30.0) -> None:
        self.location = base_url if base_url.endswith("/") else base_url + "/"
        self.limits = limits or ArchiveLimits()
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _download(self, url: str, limit: int, name: str, version: str, kind: str) -> bytes:
        try:
            with self._client.stream("GET", url) as response:
                if response.status_code == 404:
                    raise PackageNotFound(name, version=version, location=self.location,
                                          kind=kind)
                if response.status_code != 200:
                    raise RepositoryError(
                        f"GET {url} answered HTTP {response.status_code}",
                        hint="check the repository URL and that the server is up")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise PackageError(
                            f"{url} is larger than the {limit} byte limit",
                            hint="make the package smaller or raise package_size_limit_mb")
                return bytes(body)
        except httpx.HTTPError as exc:
            raise RepositoryError(f"cannot fetch {url}: {exc}",
                                  hint="check the repository URL and the network") from exc

    def _url(self, folder: str, name: str, version: str, extension: str) -> str:
        if name.startswith(("http://", "https://")):
            return name
        check_name(name, "bundle" if folder == "bundles/" else "package")
        return urljoin(self.location, folder + file_name(name, version, extension))

    def fetch_package(self, name: str, version: str = "") -> LoadedPackage:
        url = self._url("apps/", name, version, ".zip")
        log.info("Fetching package %s from %s", name, url)
        data = self._download(url, self.limits.size, name, version, "package")
        return load_package(data, limits=self.limits)

    def fetch_bundle(self, name: str) -> list[BundleEntry]:
        url = self._url("bundles/", name, "", ".bundle")
        data = self._download(url, BUNDLE_SIZE_LIMIT, name, "", "bundle")
        return parse_bundle(data, file=f"bundles/{name}.bundle")

    def fetch_url(self, url: str) -> LoadedPackage:
        data = self._download(url, self.limits.size, url, "", "package")
        return load_package(data, limits=self.limits)


def open_repository(location: str | Path, *, limits: ArchiveLimits | None = None,
                    client: httpx.Client | None = None) -> PackageRepository:
    """An HTTP repository for http(s) URLs, a folder repository otherwise."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        return HttpRepository(text, client=client, limits=limits)
    if not Path(text).is_dir():
        raise RepositoryError(f"repository {text} is neither a URL nor a folder",
                              hint="give an http(s):// base URL or a folder with apps/")
    return FolderRepository(text, limits=limits)
