"""Known vulnerabilities in the locked packages: pip-audit over ``uv.lock``, against OSV.

    .venv/bin/python scripts/audit.py                    # what CI runs (make audit)
    .venv/bin/python scripts/audit.py --require          # fail when OSV cannot be reached
    .venv/bin/python scripts/audit.py --osv-url URL      # another OSV-compatible service

Every package version in the lock file (all platforms and Pythons it resolves for, dev
tools included) is asked of OSV's query API by pip-audit with ``--strict``, so a package
that could not be looked up fails the audit instead of being skipped quietly.

The service is asked one question first. When it cannot be reached at all — the machine
type CI runs on reaches package registries only, not api.osv.dev — the audit says so and
exits 0 without auditing (a skip with its reason, as a skipped test has one); ``--require``
turns that into a failure, for machines that must audit. Exit status: 0 nothing known or
skipped, 1 a known vulnerability (pip-audit's table names the package, the advisory and the
fixed version), 2 bad input or an unreachable service under ``--require``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
OSV_URL = "https://api.osv.dev/v1/query"
PROBE_SECONDS = 15.0


def locked_requirements(lock_text: str, source: str = "uv.lock") -> list[str]:
    """``name==version`` for every package the lock takes from a registry, sorted.

    The project itself (an editable or virtual source) is not a published package and is
    left out. Raises ``ValueError`` naming ``source`` when the text is not a uv lock file.
    """
    try:
        lock = tomllib.loads(lock_text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{source}: not a TOML file ({error})") from None
    packages = lock.get("package")
    if not isinstance(packages, list):
        raise ValueError(f"{source}: no [[package]] entries: is it a uv lock file?")
    pins = set()
    for number, package in enumerate(packages, start=1):
        name, version = package.get("name"), package.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            raise ValueError(f"{source}: package #{number} lacks a name or a version")
        if "registry" in package.get("source", {}):
            pins.add(f"{name}=={version}")
    return sorted(pins)


def without_repeated_names(pins: list[str]) -> list[list[str]]:
    """``pins`` in as few lists as keep each name once: pip-audit refuses a name twice.

    A lock resolves some packages to one version per Python (numpy 2.4 below 3.12, 2.5
    from it); both are audited, in separate runs.
    """
    batches: list[list[str]] = []
    seen: dict[str, int] = {}
    for pin in pins:
        name = pin.split("==", 1)[0]
        index = seen[name] = seen.get(name, -1) + 1
        if index == len(batches):
            batches.append([])
        batches[index].append(pin)
    return batches


def service_problem(osv_url: str, probe: str) -> str | None:
    """Why the OSV service at ``osv_url`` cannot be used now, or None when it answers."""
    name, version = probe.split("==", 1)
    query = {"package": {"name": name, "ecosystem": "PyPI"}, "version": version}
    try:
        answer = httpx.post(osv_url, json=query, timeout=PROBE_SECONDS)
    except httpx.HTTPError as error:
        return f"{osv_url} cannot be reached ({type(error).__name__}: {error})"
    if answer.status_code != 200:
        return f"{osv_url} answered HTTP {answer.status_code} to a query for {probe}"
    try:
        json.loads(answer.text or "{}")
    except ValueError:
        return f"{osv_url} answered something other than JSON to a query for {probe}"
    return None


def pip_audit(pins: list[str], osv_url: str, requirements: Path, cache: Path) -> int:
    """pip-audit's exit status over ``pins`` (written to ``requirements``), one query per
    package; its report goes to stdout."""
    requirements.write_text("".join(f"{pin}\n" for pin in pins), "utf-8")
    command = [
        sys.executable, "-m", "pip_audit", "--requirement", str(requirements),
        "--disable-pip", "--no-deps", "--strict", "--progress-spinner", "off",
        "--vulnerability-service", "osv", "--osv-url", osv_url,
        "--cache-dir", str(cache), "--desc", "on", "--aliases", "on",
    ]  # fmt: skip
    return subprocess.run(command, check=False).returncode  # noqa: S603 - our own argv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=REPO / "uv.lock", help="the uv lock file")
    parser.add_argument("--osv-url", default=OSV_URL, help="OSV's query API (POST)")
    parser.add_argument(
        "--require", action="store_true", help="exit 2 when the service cannot be reached"
    )
    args = parser.parse_args(argv)
    try:
        pins = locked_requirements(args.lock.read_text("utf-8"), str(args.lock))
    except OSError as error:
        print(f"audit: cannot read {args.lock}: {error.strerror}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"audit: {error}", file=sys.stderr)
        return 2
    if not pins:
        print(f"audit: {args.lock} lists no package from a registry: nothing to audit")
        return 0
    problem = service_problem(args.osv_url, pins[0])
    if problem is not None:
        verdict = "failed" if args.require else "skipped"
        print(f"audit {verdict}: {problem}; {len(pins)} locked packages not audited")
        return 2 if args.require else 0
    print(f"audit: {len(pins)} locked packages from {args.lock.name} against {args.osv_url}")
    sys.stdout.flush()
    with tempfile.TemporaryDirectory(prefix="asyncfirst-audit-") as work:
        folder = Path(work)
        return max(
            pip_audit(batch, args.osv_url, folder / f"requirements-{number}.txt", folder / "http")
            for number, batch in enumerate(without_repeated_names(pins))
        )


if __name__ == "__main__":
    sys.exit(main())
