#!/usr/bin/env bash
# Starts, stops or checks the local SmolLM2 server (llama.cpp's OpenAI-compatible server) on 127.0.0.1:8089,
# model alias `smollm2`. `start` installs it first if needed and waits until it answers.
# With `embed`, the same model serves /v1/embeddings on 127.0.0.1:8090 (alias `smollm2-embed`; llama.cpp returns
# one vector per token, which Assay mean-pools).
#   scripts/model-server.sh start|stop|status [embed]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${ASSAY_MODEL_VENV:-$HOME/.cache/assay/model-venv}"
if [ "${2:-}" = "embed" ]; then
  PORT="${ASSAY_EMBED_PORT:-8090}"; ALIAS=smollm2-embed; EXTRA=(--embedding True --n_ctx 512 --n_threads 1)
else
  PORT="${ASSAY_MODEL_PORT:-8089}"; ALIAS=smollm2; EXTRA=(--n_ctx 2048 --n_threads "${ASSAY_MODEL_THREADS:-2}")
fi
STATE="${ASSAY_MODEL_STATE:-$HOME/.cache/assay/model-server-$PORT}"
URL="http://127.0.0.1:$PORT/v1/models"

alive() { curl -fsS --max-time 2 "$URL" >/dev/null 2>&1; }

case "${1:-status}" in
  start)
    if alive; then echo "assay: model server already running on 127.0.0.1:$PORT" >&2; exit 0; fi
    "$HERE/model-setup.sh"
    MODEL="$("$HERE/model-path.sh")"
    mkdir -p "$(dirname "$STATE")"
    echo "assay: starting SmolLM2 ($ALIAS) on 127.0.0.1:$PORT (log: $STATE.log)" >&2
    nohup "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias "$ALIAS" \
      --host 127.0.0.1 --port "$PORT" --interrupt_requests False "${EXTRA[@]}" \
      > "$STATE.log" 2>&1 &
    echo $! > "$STATE.pid"
    for _ in $(seq 1 120); do
      if alive; then echo "assay: model server ready" >&2; exit 0; fi
      if ! kill -0 "$(cat "$STATE.pid")" 2>/dev/null; then
        echo "assay: the model server exited; its log follows" >&2; tail -20 "$STATE.log" >&2; exit 1
      fi
      sleep 0.5
    done
    echo "assay: the model server did not answer within 60 s (log: $STATE.log)" >&2; exit 1
    ;;
  stop)
    if [ -f "$STATE.pid" ] && kill -0 "$(cat "$STATE.pid")" 2>/dev/null; then
      kill "$(cat "$STATE.pid")"; rm -f "$STATE.pid"; echo "assay: model server stopped" >&2
    fi
    ;;
  status)
    if alive; then echo "running on 127.0.0.1:$PORT"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status [embed]" >&2; exit 2 ;;
esac
