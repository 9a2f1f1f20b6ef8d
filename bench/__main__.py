"""Run every benchmark module: `python -m bench [name ...]`."""

import importlib
import pkgutil
import sys
import traceback

import bench


def main(argv: list[str]) -> int:
    wanted = set(argv)
    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    failed = 0
    bench.setup_django()
    try:
        for name in names:
            if wanted and name not in wanted and name.removeprefix("bench_") not in wanted:
                continue
            module = importlib.import_module(f"bench.{name}")
            try:
                module.run()
            except Exception:  # one broken benchmark must not hide the others' figures
                failed += 1
                print(f"{name}: failed", file=sys.stderr)
                traceback.print_exc()
    finally:
        bench.teardown_django()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
