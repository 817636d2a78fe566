"""Shared pieces of the emit checkers: the case-directory layout and the result tally.

A case is a directory holding `case.json` plus one or more framework files:

    <case>/case.json          {"description": str, "world_size": int, "gpu_arch_major": int,
                               "accelerators_per_node": int (default 8)}
    <case>/megatron.args      one shell-quoted line of Megatron-LM command-line arguments
    <case>/megatron.env       KEY=VALUE lines: the launch environment (CUDA_DEVICE_MAX_CONNECTIONS)
    <case>/torchtitan.args    one shell-quoted line: --module M --config C --section.key value ...
    <case>/deepspeed.json     the DeepSpeed config file
    <case>/deepspeed.args     one shell-quoted line of Megatron-DeepSpeed arguments (layout only)
    <case>/maxtext.yml        overrides of MaxText's base.yml
    <case>/peft.json          {"lora": {LoraConfig kwargs}, "training_arguments": {TrainingArguments kwargs}}

A checker for framework F runs every case that has F's file and prints one line per case
("PASS <case>" or "FAIL <case>: <the framework's error>"), then "N passed, M failed".
"""
from __future__ import annotations

import contextlib
import io
import json
import shlex
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    world_size: int
    gpu_arch_major: int
    accelerators_per_node: int
    description: str

    def file(self, name: str) -> Path:
        return self.path / name

    def args(self, name: str) -> list[str]:
        """One shell-quoted line (continuation backslashes allowed) split as a shell would."""
        text = self.file(name).read_text().replace("\\\n", " ")
        return shlex.split(text, comments=True)

    def env(self, name: str) -> dict[str, str]:
        values: dict[str, str] = {}
        path = self.file(name)
        if not path.exists():
            return values
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("export "):
                line = line[len("export "):]
            key, sep, value = line.partition("=")
            if not sep or not key:
                raise ValueError(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
            values[key.strip()] = value.strip()
        return values


def load_case(path: Path) -> Case:
    meta_path = path / "case.json"
    meta = json.loads(meta_path.read_text())
    meta.setdefault("accelerators_per_node", 8)
    for key in ("world_size", "gpu_arch_major", "accelerators_per_node"):
        if not isinstance(meta.get(key), int) or meta[key] < 1:
            raise ValueError(f"{meta_path}: {key} must be a positive integer, got {meta.get(key)!r}")
    return Case(
        name=path.name,
        path=path,
        world_size=meta["world_size"],
        gpu_arch_major=meta["gpu_arch_major"],
        accelerators_per_node=meta["accelerators_per_node"],
        description=meta.get("description", ""),
    )


def cases_with(root: Path, filename: str) -> list[Path]:
    """Case directories under root (root itself may be a case) that hold filename."""
    if (root / "case.json").exists():
        candidates = [root]
    else:
        candidates = sorted(p for p in root.iterdir() if (p / "case.json").exists())
    return [p for p in candidates if (p / filename).exists()]


def _first_line(error: BaseException) -> str:
    return _clip(f"{type(error).__name__}: {error}")


def _summary(lines: list[str], fallback: str) -> str:
    """The argument parser's message (argparse's "error:" line or tyro's boxed text) as one line."""
    texts = [line.strip(" │╭╮╰╯─-\t") for line in lines]
    texts = [t for t in texts if t]
    for index, text in enumerate(texts):
        if "error:" in text:
            return _clip(text[text.index("error:"):])
        if "Unrecognized options" in text or "Error parsing" in text:
            return _clip(" ".join(texts[index:index + 3]))
    return _clip(" ".join(texts)) if texts else fallback


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run(framework: str, version: str, filename: str, check: Callable[[Case], None]) -> int:
    """Run check over every case holding filename; print one line per case and the tally."""
    positional = [a for a in sys.argv[1:] if a != "--trace"]
    if len(positional) != 1:
        print(f"usage: {sys.argv[0]} [--trace] <case directory or directory of cases>", file=sys.stderr)
        return 2
    root = Path(positional[0])
    if not root.is_dir():
        print(f"{framework}: {root} is not a directory", file=sys.stderr)
        return 2
    print(f"{framework} {version}")
    passed = failed = 0
    trace = "--trace" in sys.argv
    for path in cases_with(root, filename):
        # The frameworks print their whole argument dump; keep it for failures and --trace.
        captured = io.StringIO()
        error: BaseException | None = None
        try:
            with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                try:
                    check(load_case(path))
                except BaseException as raised:  # the framework's own assertion or exception
                    error = raised
                    if trace:
                        traceback.print_exc()
        finally:
            output = captured.getvalue()
        if error is None:
            passed += 1
            if trace:
                print(output, end="")
            print(f"PASS {path.name}")
        else:
            failed += 1
            tail = output.strip().splitlines()[-12:]
            if trace:
                for line in tail:
                    print(f"    {line}")
            if isinstance(error, SystemExit):  # argparse reports a bad flag on stderr, then exits
                message = _summary(output.splitlines(), f"exit {error.code}")
                print(f"FAIL {path.name}: {framework} rejected the arguments: {message.strip()}")
            else:
                print(f"FAIL {path.name}: {_first_line(error)}")
        sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1
