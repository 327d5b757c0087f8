#!/usr/bin/env bash
# Create .venv from the lockfile (idempotent). Needs only python3 (>= 3.11) and network access to PyPI.
# An existing .venv keeps its interpreter: remove it to switch (rm -rf .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
# The interpreter: $PYTHON if set; else the distribution's CPython when it is >= 3.11 and can make a
# venv (Debian and Ubuntu build it with PGO and LTO: the parsers run ~16 % faster on it than on a
# default pyenv build, which has neither; see docs/scaling.md); else python3 from PATH.
PY="${PYTHON:-python3}"
if [ -z "${PYTHON:-}" ] && /usr/bin/python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
  PY=/usr/bin/python3
fi
UV_VERSION="0.13.9"
stamp=".venv/.bootstrap-$(sha256sum uv.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ -f "$stamp" ]; then exit 0; fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/uv --version 2>/dev/null | grep -q "${UV_VERSION}"; then
  .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip --upgrade >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
fi
# Exact versions from uv.lock (dev group included: pytest, hypothesis, ruff); keep uv itself (--inexact).
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync --frozen --inexact --python .venv/bin/python --quiet
rm -f .venv/.bootstrap-*
touch "$stamp"
