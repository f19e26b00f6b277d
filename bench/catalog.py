"""Catalog benchmark: load_package throughput and (with --api) upload throughput.

Builds N packages shaped like a typical murano-apps application: three
classes in two files, a UI definition (Version 2.2, two forms), two
shell scripts and an execution-plan template under Resources/, and a
~12 KiB PNG logo. Then:

* measures ``load_package`` on every archive (packages per second, one core);
* with ``--api URL`` uploads every archive through ``POST /v1/catalog/packages``
  (multipart with ``__metadata__``, as python-muranoclient does) and prints
  packages per second and the ratio to the 100 packages/s target.

    python bench/catalog.py                       # loader only, 1000 packages
    python bench/catalog.py --api http://127.0.0.1:8082 --token admin --workers 4
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fornace.catalog import build_archive, load_package  # noqa: E402

TARGET_PER_SECOND = 100

CLASS_MAIN = """Namespaces:
  =: {ns}
  std: io.murano
  res: io.murano.resources
  sys: io.murano.system
  conf: io.murano.configuration

Name: {name}

Extends: std:Application

Properties:
  name:
    Contract: $.string().notNull()
  instance:
    Contract: $.class(res:Instance).notNull()
  port:
    Contract: $.int().check($ > 0 and $ < 65536)
    Default: {port}
  settings:
    Contract: $.class({name}Settings)

Methods:
  .init:
    Body:
      - $._environment: $.find(std:Environment).require()

  deploy:
    Body:
      - If: not $.getAttr(deployed, false)
        Then:
          - $._environment.reporter.report($this, 'Creating VM for {name}')
          - $securityGroupIngress:
              - ToPort: $.port
                FromPort: $.port
                IpProtocol: tcp
                External: true
          - $._environment.securityGroupManager.addGroupIngress($securityGroupIngress)
          - $.instance.deploy()
          - $resources: new(sys:Resources)
          - $script: $resources.string('deploy.sh').replace('%PORT%', str($.port))
          - conf:Linux.runCommand($.instance.agent, $script, helpText => 'Install {name}')
          - $template: $resources.yaml('Configure.template').bind(dict(port => $.port))
          - $.instance.agent.call($template, $resources)
          - $address: $.instance.ipAddresses[0]
          - $._environment.reporter.report($this, format('{name} at {{0}}:{{1}}', $address, $.port))
          - $.setAttr(deployed, true)

  restart:
    Scope: Public
    Body:
      - conf:Linux.runCommand($.instance.agent, 'service {lower} restart')
"""

CLASS_EXTRA = """Namespaces:
  =: {ns}

Name: {name}Settings

Properties:
  logLevel:
    Contract: $.string().check($ in list(debug, info, warning))
    Default: info
  maxClients:
    Contract: $.int().check($ > 0)
    Default: 100
---
Namespaces:
  =: {ns}
  test: io.murano.test

Name: {name}Test

Extends: test:TestFixture

Methods:
  testDefaults:
    Body:
      - $settings: new({name}Settings)
      - $.assertEqual(info, $settings.logLevel)
"""

UI = """Version: 2.2

Application:
  ?:
    type: {ns}.{name}
  port: $.appConfiguration.port
  instance:
    ?:
      type: io.murano.resources.LinuxMuranoInstance
    name: generateHostname($.instanceConfiguration.unitNamingPattern, 1)
    flavor: $.instanceConfiguration.flavor
    image: $.instanceConfiguration.osImage
    keyname: $.instanceConfiguration.keyPair
    availabilityZone: $.instanceConfiguration.availabilityZone
    assignFloatingIp: $.appConfiguration.assignFloatingIP

Forms:
  - appConfiguration:
      fields:
        - name: port
          type: integer
          label: Port
          initial: {port}
          minValue: 1
          maxValue: 65535
        - name: assignFloatingIP
          type: boolean
          label: Assign Floating IP
          initial: false
          required: false
  - instanceConfiguration:
      fields:
        - name: flavor
          type: flavor
          label: Instance flavor
        - name: osImage
          type: image
          imageType: linux
          label: Instance image
        - name: keyPair
          type: keypair
          label: Key Pair
          required: false
        - name: availabilityZone
          type: azone
          label: Availability zone
        - name: unitNamingPattern
          type: string
          label: Instance Naming Pattern
          required: false
          initial: '{lower}-#'
"""

TEMPLATE = """FormatVersion: 2.0.0
Version: 1.0.0
Name: Configure

Parameters:
  port: $port

Body: |
  return configure(args.port).stdout

Scripts:
  configure:
    Type: Application
    Version: 1.0.0
    EntryPoint: configure.sh
    Files: []
    Options:
      captureStdout: true
      captureStderr: true
"""


def png_logo(seed: int, side: int = 64) -> bytes:
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0,
                                                              0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def build_package(index: int) -> bytes:
    ns = f"org.bench.app{index:04d}"
    name = f"Service{index:04d}"
    values = {"ns": ns, "name": name, "lower": name.lower(), "port": 8000 + index % 1000}
    manifest = (f"Format: 1.3\nType: Application\nFullName: {ns}.{name}\n"
                f"Name: Benchmark service {index}\nDescription: Service {index} for the "
                f"catalog benchmark.\nAuthor: Fornace bench\nTags: [bench, service]\n"
                f"Classes:\n  {ns}.{name}: {name}.yaml\n  {ns}.{name}Settings: Extra.yaml\n"
                f"  {ns}.{name}Test: Extra.yaml\n")
    script = "#!/bin/bash\nset -e\n" + "".join(
        f"echo 'step {i} of service {index} on port %PORT%'\n" for i in range(60))
    files = {
        "manifest.yaml": manifest.encode(),
        f"Classes/{name}.yaml": CLASS_MAIN.format(**values).encode(),
        "Classes/Extra.yaml": CLASS_EXTRA.format(**values).encode(),
        "UI/ui.yaml": UI.format(**values).encode(),
        "Resources/deploy.sh": script.encode(),
        "Resources/Configure.template": TEMPLATE.encode(),
        "Resources/scripts/configure.sh": script.replace("%PORT%", "$1").encode(),
        "logo.png": png_logo(index),
    }
    return build_archive(files)


def measure_loader(archives: list[bytes]) -> float:
    started = time.perf_counter()
    for archive in archives:
        load_package(archive)
    return len(archives) / (time.perf_counter() - started)


def measure_api(archives: list[bytes], url: str, token: str, workers: int) -> tuple[float, int]:
    import httpx

    # Part names (the FQN, as python-muranoclient sends) are worked out before timing.
    named = [(load_package(a).fully_qualified_name, a) for a in archives]

    def send(client: httpx.Client, fqn: str, archive: bytes) -> int:
        response = client.post("/v1/catalog/packages",
                               data={"__metadata__": json.dumps({"is_public": False})},
                               files={fqn: (f"{fqn}.zip", archive, "application/zip")})
        return response.status_code

    with httpx.Client(base_url=url, headers={"X-Auth-Token": token}, timeout=60) as client:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            codes = list(pool.map(lambda item: send(client, *item), named))
        elapsed = time.perf_counter() - started
    failures = sum(1 for code in codes if code != 200)
    return len(archives) / elapsed, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--api", help="base URL of a running Fornace API")
    parser.add_argument("--token", default="admin", help="X-Auth-Token for --api")
    parser.add_argument("--workers", type=int, default=4, help="concurrent uploads")
    args = parser.parse_args(argv)

    archives = [build_package(i) for i in range(args.count)]
    sizes = sorted(len(a) for a in archives)
    print(f"built {len(archives)} packages, median archive {sizes[len(sizes) // 2]} bytes")
    rate = measure_loader(archives)
    print(f"load_package: {rate:.1f} packages/s ({1000 / rate:.2f} ms each)")
    if args.api:
        api_rate, failures = measure_api(archives, args.api, args.token, args.workers)
        print(f"upload via {args.api}: {api_rate:.1f} packages/s, {failures} failed, "
              f"{api_rate / TARGET_PER_SECOND:.2f}x the {TARGET_PER_SECOND} packages/s target")
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
