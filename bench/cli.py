"""CLI start-up time: ``fornace --help`` and ``fornace environment-list``.

    python bench/cli.py [--runs 10]

Starts one ``fornace api`` process on a scratch data dir with a few
environments, runs each command ``--runs`` times as a fresh process (as a
user's shell would), and prints the median and best wall time, the
interpreter's own start-up (``python -c pass``) for scale, and the ratio to
the < 300 ms target. It also reports which heavy server modules the client
command imported (there should be none).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import api_process  # noqa: E402

TARGET_MS = 300.0
HEAVY = ("fastapi", "sqlalchemy", "yaql", "starlette", "pydantic", "uvicorn")


def timed(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return statistics.median(samples), min(samples)


def heavy_modules(url: str, env: dict[str, str]) -> list[str]:
    code = (f"import sys; from fornace.cli.main import main\n"
            f"try:\n    main(['--url', {url!r}, '--token', 'admin', 'environment-list'])\n"
            f"except SystemExit:\n    pass\n"
            f"heavy = {{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})\n"
            f"print('HEAVY:' + ','.join(sorted(heavy)))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip().splitlines()
    line = next((x for x in out if x.startswith("HEAVY:")), "HEAVY:")
    return [m for m in line[len("HEAVY:"):].split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORNACE_")}
    env["FORNACE_CLIENT_CONFIG"] = os.devnull
    fornace = [sys.executable, "-m", "fornace.cli.main"]
    with api_process() as url:
        with httpx.Client(base_url=url, headers={"X-Auth-Token": "admin"}) as http:
            for i in range(20):
                http.post("/v1/environments", json={"name": f"bench-{i}"}).raise_for_status()
        rows = [("python -c pass", timed([sys.executable, "-c", "pass"], env, args.runs)),
                ("fornace --help", timed([*fornace, "--help"], env, args.runs)),
                ("fornace environment-list (20 envs)",
                 timed([*fornace, "--url", url, "--token", "admin", "environment-list"], env,
                       args.runs))]
        heavy = heavy_modules(url, env)
    print(f"{'command':38} {'median ms':>10} {'best ms':>9} {'target ratio':>13}")
    for name, (median, best) in rows:
        print(f"{name:38} {median:10.0f} {best:9.0f} {median / TARGET_MS:12.2f}x")
    print(f"(ratio = median / {TARGET_MS:.0f} ms target; below 1.00x meets it)")
    print("server modules imported by environment-list:", ", ".join(heavy) or "none")


if __name__ == "__main__":
    main()
