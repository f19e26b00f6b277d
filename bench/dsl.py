"""MuranoPL interpreter throughput: method calls, loop iterations, object creation.

    python bench/dsl.py [--quick]

Prints each figure and its ratio to the target (50x what Murano achieved:
286 calls/s, 265 While and 631 For iterations/s, 150 objects/s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fornace.dsl.testing import Runner  # noqa: E402
from fornace.dsl.yaql_context import Limits  # noqa: E402

CLASSES = Path(__file__).parent / "dsl_classes"
TARGETS = {"calls/s": 15_000, "While iterations/s": 15_000, "For iterations/s": 15_000,
           "objects/s": 7_500}
MURANO = {"calls/s": 286, "While iterations/s": 265, "For iterations/s": 631, "objects/s": 150}


def fib_calls(n: int) -> int:
    a, b = 1, 1  # calls(n) = 2 * fib(n + 1) - 1
    for _ in range(n):
        a, b = b, a + b
    return 2 * a - 1


def measure(runner: Runner, method: str, n: int, units: int, repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        runner.executor.reset_deadline()
        started = time.perf_counter()
        getattr(runner, method)(n)
        elapsed = time.perf_counter() - started
        best = max(best, units / elapsed)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, one repetition")
    args = parser.parse_args()
    repeat = 1 if args.quick else 3
    fib_n = 16 if args.quick else 20
    loops = 5_000 if args.quick else 30_000
    objects = 1_000 if args.quick else 5_000
    limits = Limits(loop_iterations=10**7, iterators=10**7, max_range=10**7,
                    memory_quota=64 * 1024 * 1024, execution_time=600)
    runner = Runner("bench.Bench", [CLASSES], limits=limits)
    figures = {
        "calls/s": measure(runner, "runFib", fib_n, fib_calls(fib_n), repeat),
        "While iterations/s": measure(runner, "runWhile", loops, loops, repeat),
        "For iterations/s": measure(runner, "runFor", loops, loops, repeat),
        "objects/s": measure(runner, "runCreate", objects, objects, repeat),
    }
    ok = True
    print(f"{'measure':<22}{'value':>12}{'target':>10}{'vs target':>11}{'vs Murano':>11}")
    for name, value in figures.items():
        ratio = value / TARGETS[name]
        ok = ok and ratio >= 1
        print(f"{name:<22}{value:>12,.0f}{TARGETS[name]:>10,}{ratio:>10.2f}x"
              f"{value / MURANO[name]:>10.0f}x")
    runner.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
