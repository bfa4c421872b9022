#!/usr/bin/env bash
# Starts, stops or checks the local SmolLM2 server (llama.cpp's OpenAI-compatible server) on 127.0.0.1:8089,
# model alias `smollm2`. `start` installs it first if needed and waits until it answers.
#   scripts/model-server.sh start|stop|status
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${ASSAY_MODEL_VENV:-$HOME/.cache/assay/model-venv}"
PORT="${ASSAY_MODEL_PORT:-8089}"
STATE="${ASSAY_MODEL_STATE:-$HOME/.cache/assay/model-server-$PORT}"
URL="http://127.0.0.1:$PORT/v1/models"

alive() { curl -fsS --max-time 2 "$URL" >/dev/null 2>&1; }

case "${1:-status}" in
  start)
    if alive; then echo "assay: model server already running on 127.0.0.1:$PORT" >&2; exit 0; fi
    "$HERE/model-setup.sh"
    MODEL="$("$HERE/model-path.sh")"
    mkdir -p "$(dirname "$STATE")"
    echo "assay: starting SmolLM2 on 127.0.0.1:$PORT (log: $STATE.log)" >&2
    nohup "$VENV/bin/python" -m llama_cpp.server --model "$MODEL" --model_alias smollm2 \
      --host 127.0.0.1 --port "$PORT" --n_ctx 2048 --interrupt_requests False --n_threads "${ASSAY_MODEL_THREADS:-2}" \
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
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
