#!/usr/bin/env bash
# Creates bench/peers/.venv with the pinned peer solvers (requirements.txt) from PyPI.
# Idempotent: when the venv already matches requirements.txt it returns at once.
# Needs Python >= 3.11 (PyVRP 0.14 uses tomllib); set PYTHON to choose the interpreter.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements.txt"
stamp="$venv/.requirements.sha256"
python="${PYTHON:-python3}"

want="$(sha256sum "$req" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "peers venv up to date: $venv"
    exit 0
fi

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: $python is older than 3.11; PyVRP 0.14 needs 3.11+ (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
# Fails loudly if a wheel imported badly (e.g. no wheel for this platform).
"$venv/bin/python" -c 'import pyvrp, ortools, vroom, vrp_cli'
echo "$want" > "$stamp"
"$venv/bin/python" -m pip freeze --disable-pip-version-check | grep -iE '^(pyvrp|ortools|pyvroom|vrp-cli)=='
echo "peers venv ready: $venv"
