#!/usr/bin/env bash
# Cold starts of AgentApi, one after another: each launches a fresh process, waits until it is ready
# (GET /healthz/ready answers 200; the port alone with --port), then loads it with 16 connections of
# unique asks for SECONDS and prints the latency of that first load, and the RSS after it.
# Extra NAME=VALUE arguments go to AgentApi's environment, to try a runtime knob without changing code.
# Usage: bench/cold.sh [--port] [RUNS=3] [SECONDS=5] [NAME=VALUE...]   (run bench/run.sh once first: it builds)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
ready_path=/healthz/ready
[ "${1:-}" = --port ] && { ready_path=; shift; }
runs=3 secs=5
[[ ${1:-} =~ ^[0-9]+$ ]] && { runs=$1; shift; }
[[ ${1:-} =~ ^[0-9]+$ ]] && { secs=$1; shift; }
. bench/common.sh cold
app_url=http://127.0.0.1:$((port + 2))
ready() { listening $((port + 2)) && { [ -z "$ready_path" ] || curl -fs -o /dev/null "$app_url$ready_path"; }; }

start_fakes

printf '%4s %8s %8s %8s %8s %8s %8s %8s\n' run ready_s asks/s p50_ms p99_ms max_ms errors rss_MB
for ((i = 1; i <= runs; i++)); do
  mkdir -p "$work/agentapi-$i"
  launch=$(date +%s.%N)
  (cd "$work/agentapi-$i" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$app_url" \
    GEMMA_PROVIDER=gemini GEMMA_API_KEY=bench-gemini-key GEMMA_BASE_URL="$fake_url/v1beta" \
    OPENAI_API_KEY=bench-openai-key OPENAI_BASE_URL="$fake_url/v1" LOG_LEVEL=Information LOG_DIR="$work/agentapi-$i/logs" \
    "$@" "$root/bench/results/publish/AgentApi.Web" > "$work/agentapi-$i.out" 2>&1) &
  app=$!
  for _ in $(seq 9000); do ready && break; sleep 0.01; done
  ready || { echo "run $i: not ready 90 s after launch; its output:" >&2; tail -n 20 "$work/agentapi-$i.out" >&2; exit 1; }
  ready_s=$(awk "BEGIN {printf \"%.2f\", $(date +%s.%N) - $launch}")
  WRK_OUT=$work/w$i.json wrk -t2 -c16 -d"${secs}s" --timeout 30s -s "$root/bench/wrk/ask.lua" "$app_url/api/ask" -- miss "cold-$$-$i" > /dev/null
  rss=$(awk '/^VmHWM/ {print int($2 / 1024)}' "/proc/$app/status")
  kill "$app"; wait "$app" 2>/dev/null || true
  python3 - "$work/w$i.json" "$i" "$ready_s" "$rss" <<'EOF'
import json, sys
w = json.load(open(sys.argv[1])); l = w["latencyUs"]; e = sum(w["errors"].values())
print(f"{sys.argv[2]:>4} {sys.argv[3]:>8} {w['requests'] / (w['durationUs'] / 1e6):8.0f} {l['p50'] / 1000:8.2f} {l['p99'] / 1000:8.1f} {l['max'] / 1000:8.1f} {e:8d} {sys.argv[4]:>8}")
EOF
done
