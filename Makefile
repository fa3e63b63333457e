# One place for the project's commands. `make demo` and `make test` are the README's two commands.
export UV_PYTHON_DOWNLOADS := never
# bytecode compiled at install (~9 s): where PYTHONDONTWRITEBYTECODE is set, as on CI, every
# process otherwise compiled what it imported (OR-Tools with pandas: 1.8 s, 0.4 s compiled)
export UV_COMPILE_BYTECODE := 1
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: demo serve test install dev browser lint types imports unit docs check format audit bench clean

install:  ## the package and its runtime dependencies, exactly as locked
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --locked --no-dev

dev:  ## the package plus the test and lint tools, exactly as locked
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --locked

browser:  ## Debian's Chromium for the browser tests (root on Debian, as on CI)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: install  ## the tour of the demo organisation, then the hub on http://127.0.0.1:8000
	$(UV) run --no-sync asyncfirst demo
	$(UV) run --no-sync asyncfirst serve

serve: install  ## the hub's REST API on http://127.0.0.1:8000 (demo data on first start)
	$(UV) run --no-sync asyncfirst serve

lint:
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .

types:
	$(UV) run --no-sync mypy

imports:
	$(UV) run --no-sync lint-imports

unit:
	$(UV) run --no-sync pytest -q

check: lint types imports audit unit  ## everything CI runs

test: dev browser check  ## install and run lint, types, import contracts and the whole test suite

docs:  ## regenerate docs/cli-reference.md and the authorisation matrix from the code
	$(UV) run --no-sync python scripts/cli_reference.py
	$(UV) run --no-sync python scripts/access_matrix.py --write

format:
	$(UV) run --no-sync ruff format .
	$(UV) run --no-sync ruff check --fix .

audit:  ## known vulnerabilities in the locked packages (pip-audit against OSV; says so when OSV is out of reach)
	$(UV) run --no-sync python scripts/audit.py

bench: dev
	$(UV) run --no-sync python bench/run_all.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache
