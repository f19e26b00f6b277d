"""Materialises a plan's Files for its scripts, in murano-agent's layout.

Each file is stored once as ``<root>/store/<file id>`` and appears to a script as
the symlink ``<root>/scripts/<script>/<Name>`` pointing there. Scripts rely on the link:
Murano's own ``putFile.sh`` moves ``$(readlink destinationFile)``. Inline files
(``BodyType`` Text or Base64) are written as given, Base64 ones as raw bytes.
Downloadable files (2.1+) are cloned with git (``git://``, ``git+http``,
``*.git``) or fetched over HTTP(S) into the folder ``<root>/store/<file id>/``.
Names and ids were checked by :mod:`fornace.agent.plan`.
"""

from __future__ import annotations

import base64
import binascii
import os
import shutil
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from fornace.agent.errors import GENERIC_ERROR, AgentException

_DOWNLOAD_TIMEOUT = 300


class FilesManager:
    def __init__(self, files: dict[str, Any], root: Path) -> None:
        self._files = files
        self.store = root / "store"
        self.scripts = root / "scripts"
        for folder in (root, self.store, self.scripts):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def script_folder(self, script: str) -> Path:
        folder = self.scripts / script
        folder.mkdir(exist_ok=True)
        return folder

    def put_file(self, file_ref: str | dict[str, Any], script: str) -> Path:
        """Place one file of ``script``; returns its path."""
        if isinstance(file_ref, dict):
            file_id = next(iter(file_ref))
        else:
            file_id = file_ref
        file_def = self._files[file_id]
        stored = self.store / file_id
        if not os.path.lexists(stored):
            if file_def.get("Type") == "Downloadable":
                self._download(file_def["URL"], stored)
            else:
                stored.write_bytes(self._body(file_id, file_def))
        link: Path = self.script_folder(script) / str(file_def["Name"])
        link.parent.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(link):
            link.symlink_to(stored.absolute())
        return link

    @staticmethod
    def _body(file_id: str, file_def: dict[str, Any]) -> bytes:
        if file_def.get("BodyType", "Text") == "Base64":
            try:
                return base64.b64decode(file_def["Body"], validate=False)
            except (binascii.Error, ValueError) as exc:
                raise AgentException(GENERIC_ERROR, f"File {file_id} has an invalid "
                                                    f"Base64 body: {exc}") from exc
        return str(file_def["Body"]).encode()

    @staticmethod
    def _download(url: str, folder: Path) -> None:
        parts = urllib.parse.urlsplit(url)
        if not parts.scheme or not parts.netloc:
            raise AgentException(GENERIC_ERROR, f"Provided URL is not valid {url}")
        try:
            if url.startswith(("git://", "git+http://", "git+https://")) or url.endswith(".git"):
                git = shutil.which("git")
                if git is None:
                    raise AgentException(GENERIC_ERROR, f"Cannot clone {url}: git is not "
                                                        "installed on this instance")
                subprocess.run([git, "clone", url.removeprefix("git+"), str(folder)],
                               check=True, capture_output=True, timeout=_DOWNLOAD_TIMEOUT)
            elif parts.scheme in ("http", "https"):
                folder.mkdir(parents=True, exist_ok=True)
                name = Path(parts.path).name or "download"
                with urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response, \
                        open(folder / name, "wb") as out:
                    shutil.copyfileobj(response, out)
            else:
                raise AgentException(GENERIC_ERROR, f"Cannot download {url}: only git and "
                                                    "HTTP(S) URLs are supported")
        except (OSError, subprocess.SubprocessError) as exc:
            raise AgentException(GENERIC_ERROR, f"Error to download the file {url}: {exc}") \
                from exc
