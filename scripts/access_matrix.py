"""Write the authorisation matrix into docs/reliability.md, from the table the test walks.

    .venv/bin/python scripts/access_matrix.py            # print the Markdown table
    .venv/bin/python scripts/access_matrix.py --write    # update docs/reliability.md
    .venv/bin/python scripts/access_matrix.py --check    # exit 1 if the docs are stale

The table is ``tests/integration/api/access_matrix.py`` (``CASES``); the section sits
between ``<!-- access-matrix:begin -->`` and ``<!-- access-matrix:end -->``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "docs" / "reliability.md"
BEGIN, END = "<!-- access-matrix:begin -->\n", "<!-- access-matrix:end -->"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    from tests.integration.api.access_matrix import markdown

    table = markdown()
    if not argv:
        sys.stdout.write(table)
        return 0
    text = TARGET.read_text("utf-8")
    if BEGIN not in text or END not in text:
        sys.stderr.write(f"{TARGET}: the markers {BEGIN.strip()} … {END} are missing\n")
        return 2
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    updated = head + BEGIN + table + END + tail
    if argv == ["--check"]:
        if updated != text:
            sys.stderr.write(f"{TARGET} is stale: run scripts/access_matrix.py --write\n")
            return 1
        return 0
    if argv == ["--write"]:
        TARGET.write_text(updated, "utf-8")
        return 0
    sys.stderr.write("usage: access_matrix.py [--write | --check]\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
