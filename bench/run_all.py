"""Run every benchmark in bench/ with its defaults, one after the other (``make bench``).

Each script prints its own figures; this exits non-zero if any script fails. Extra
arguments (``--strict``) are passed to ``pipeline.py``.

    uv run --no-sync python bench/run_all.py [--strict]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts() -> list[Path]:
    """Every bench script: the .py files here not starting with ``_``, except this one."""
    own = Path(__file__).resolve()
    return sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_") and p != own)


def main(argv: list[str]) -> int:
    failed = []
    for script in scripts():
        print(f"== {script.name}", flush=True)
        extra = argv if script.name == "pipeline.py" else []
        code = subprocess.call([sys.executable, str(script), *extra])  # noqa: S603 - our own scripts
        if code != 0:
            failed.append(f"{script.name} (exit {code})")
        print(flush=True)
    if failed:
        print("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
