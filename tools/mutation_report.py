"""Per-module table of a mutmut run: killed / total / score, read from mutmut's result files.

Run by `make mutate` after `mutmut run`; usable alone: `python tools/mutation_report.py [--min 90]`.
A mutant counts as killed when a test failed (or timed out) with it applied; "survived" means every test
passed, "no tests" that no selected test calls the mutated function, "not checked" that the run stopped early.
Exit code 1 when --min is given and a module scores below it.
"""

import argparse
import json
import sys
from pathlib import Path

KILLED = {1, 3, 36, -24, 24, 152, 255}  # test failure, pytest internal error, timeouts (as mutmut counts them)
SURVIVED = {0}
NO_TESTS = {5, 33}


def module_counts(meta: Path) -> dict:
    """Counts of one module's mutants from its `mutants/<path>.meta` JSON file."""
    codes = list(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values())
    killed = sum(c in KILLED for c in codes)
    return {
        "total": len(codes),
        "killed": killed,
        "survived": sum(c in SURVIVED for c in codes),
        "no tests": sum(c in NO_TESTS for c in codes),
        "not checked": sum(c is None for c in codes),
        "score": 100.0 * killed / len(codes) if codes else float("nan"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", default="mutants", help="mutmut's work folder (default: mutants)")
    parser.add_argument("--min", type=float, default=None, help="fail when a module scores below this percent")
    args = parser.parse_args(argv)
    metas = sorted(Path(args.mutants).glob("course_lib/*.py.meta"))
    if not metas:
        print(f"No mutmut results under {args.mutants}/course_lib/: run `mutmut run` first (or `make mutate`).")
        return 1
    cols = ["killed", "total", "score", "survived", "no tests", "not checked"]
    print(f"{'module':<12}" + "".join(f"{c:>13}" for c in cols))
    low = []
    for meta in metas:
        name = meta.name.removesuffix(".py.meta")
        c = module_counts(meta)
        if c["total"] == 0:
            continue
        cells = [f"{c[k]:.1f}%" if k == "score" else str(c[k]) for k in cols]
        print(f"{name:<12}" + "".join(f"{x:>13}" for x in cells))
        if args.min is not None and c["score"] < args.min:
            low.append(name)
    if low:
        print(f"Below {args.min:g}% killed: {', '.join(low)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
