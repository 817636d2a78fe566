"""Run every framework checker over directories of cases and print one tally.

    python run_all.py <dir> [--expect-reject <dir>]

Every case under the first directory must pass its frameworks' validation; every case under
the --expect-reject directory must be rejected (the harness's own test: a checker that
accepted those would be checking nothing). Each checker runs in its own process (the
frameworks keep global state); its per-case lines are passed through, and the last line is the
sum over both directories: "N passed, M failed".
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKERS = ["megatron", "torchtitan", "deepspeed", "maxtext", "peft"]
TALLY = re.compile(r"^(\d+) passed, (\d+) failed$")


def run_directory(root: str, expect_reject: bool) -> tuple[int, int]:
    passed = failed = 0
    for name in CHECKERS:
        process = subprocess.run(
            [sys.executable, str(HERE / f"check_{name}.py"), root],
            capture_output=True, text=True,
        )
        lines = process.stdout.strip().splitlines()
        tally = TALLY.match(lines[-1]) if lines else None
        if tally is None:
            failed += 1
            print(f"FAIL {name}: the checker did not finish (exit {process.returncode})")
            print(process.stderr.strip()[-3000:])
            continue
        for line in lines[:-1]:
            if expect_reject and line.startswith("PASS "):
                print(f"FAIL {name} accepted {line[5:]}, which it must reject")
            elif expect_reject and line.startswith("FAIL "):
                print(f"PASS {name} rejects {line[5:]}")
            else:
                print(line)
        case_passed, case_failed = int(tally.group(1)), int(tally.group(2))
        if expect_reject:
            case_passed, case_failed = case_failed, case_passed
        passed += case_passed
        failed += case_failed
    return passed, failed


def main() -> int:
    args = sys.argv[1:]
    reject_dir = None
    if "--expect-reject" in args:
        index = args.index("--expect-reject")
        if index + 1 >= len(args):
            print("--expect-reject needs a directory", file=sys.stderr)
            return 2
        reject_dir = args[index + 1]
        del args[index:index + 2]
    if len(args) != 1 or not Path(args[0]).is_dir() or (reject_dir and not Path(reject_dir).is_dir()):
        print(f"usage: {sys.argv[0]} <directory of cases> [--expect-reject <directory of cases>]",
              file=sys.stderr)
        return 2
    print(f"== must pass: {args[0]}")
    passed, failed = run_directory(args[0], expect_reject=False)
    if reject_dir:
        print(f"== must be rejected: {reject_dir}")
        more_passed, more_failed = run_directory(reject_dir, expect_reject=True)
        passed += more_passed
        failed += more_failed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
