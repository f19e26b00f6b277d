"""API throughput: list and show routes with 1,000 packages and 200 environments.

    python bench/api.py [--packages 1000] [--environments 200] [--seconds 5]
                        [--database-url postgresql://postgres@127.0.0.1/test]

Starts one ``fornace api`` process (one uvicorn worker), fills it through the
API, then loads each route with wrk (or Python threads when wrk is missing)
and prints requests per second, median and p99 latency, and the ratios to
the targets (>= 1,000 req/s, median < 5 ms) and to Murano's measured figures
(62-91 req/s on GET /v1/environments, 19 req/s on GET /v1/catalog/packages).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import api_process, measure  # noqa: E402

from fornace.testing.packages import package_zip  # noqa: E402

TOKEN = "bench:bench-project:admin"
TARGET_RPS, TARGET_MEDIAN_MS = 1000.0, 5.0
MURANO_RPS = {"GET /v1/environments": 91.0, "GET /v1/catalog/packages": 19.0}


def fill(url: str, packages: int, environments: int) -> tuple[str, str]:
    with httpx.Client(base_url=url, headers={"X-Auth-Token": TOKEN}, timeout=60) as client:
        t0 = time.perf_counter()
        env_id = ""
        for i in range(environments):
            resp = client.post("/v1/environments", json={"name": f"bench-env-{i:04d}"})
            resp.raise_for_status()
            env_id = resp.json()["id"]
        pkg_id = ""
        for i in range(packages):
            fqn = f"org.fornace.bench.App{i:04d}"
            resp = client.post("/v1/catalog/packages",
                               files={fqn: (f"{fqn}.zip", package_zip(fqn), "application/zip")})
            resp.raise_for_status()
            pkg_id = resp.json()["id"]
        print(f"filled {environments} environments and {packages} packages "
              f"in {time.perf_counter() - t0:.1f} s")
        return env_id, pkg_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=1000)
    parser.add_argument("--environments", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with api_process(args.database_url) as url:
        env_id, pkg_id = fill(url, args.packages, args.environments)
        routes = {
            "GET /v1/environments": "/v1/environments",
            "GET /v1/environments/{id}": f"/v1/environments/{env_id}",
            "GET /v1/catalog/packages": "/v1/catalog/packages",
            "GET /v1/catalog/packages/{id}": f"/v1/catalog/packages/{pkg_id}",
        }
        print(f"{'route':32} {'req/s':>9} {'median ms':>10} {'p99 ms':>8} {'errors':>7} "
              f"{'x target':>9} {'x Murano':>9}")
        for label, path in routes.items():
            r = measure(url + path, TOKEN, args.seconds, args.connections)
            murano = MURANO_RPS.get(label)
            vs_murano = f"{r.requests_per_second / murano:8.1f}x" if murano else "        -"
            print(f"{label:32} {r.requests_per_second:9.0f} {r.median_ms:10.2f} {r.p99_ms:8.2f} "
                  f"{r.errors:7d} {r.requests_per_second / TARGET_RPS:8.2f}x {vs_murano}")
        print(f"targets: >= {TARGET_RPS:.0f} req/s and median < {TARGET_MEDIAN_MS} ms "
              f"(load tool: {r.tool})")


if __name__ == "__main__":
    main()
