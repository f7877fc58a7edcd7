#!/usr/bin/env bash
# The ramp of a freshly started AgentApi, window by window: asks/s, p99, OS threads and CPU per window
# of 16-connection unique asks against the bench fakes. Extra NAME=VALUE arguments go to AgentApi's
# environment, to try a runtime knob (e.g. DOTNET_TieredPGO=0) without changing code.
# Usage: bench/ramp.sh [SECONDS=60] [WINDOW=5] [NAME=VALUE...]   (run bench/run.sh once first: it builds)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
total=60 window=5
[[ ${1:-} =~ ^[0-9]+$ ]] && { total=$1; shift; }
[[ ${1:-} =~ ^[0-9]+$ ]] && { window=$1; shift; }
port=${BENCH_PORT:-18301}
fake_url=http://127.0.0.1:$port app_url=http://127.0.0.1:$((port + 2))
work=$root/bench/results/ramp
rm -rf "$work"; mkdir -p "$work"

pids=()
cleanup() {
  local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # Keep it small: the console's last lines, no log archives.
  [ -f "$work/agentapi.out" ] && tail -n 200 "$work/agentapi.out" > "$work/agentapi.tail" && mv "$work/agentapi.tail" "$work/agentapi.out"
  rm -rf "$work/agentapi/logs/archive"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_listening() { until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do sleep 0.01; done; }

"$root/bench/Fakes/bin/Release/net10.0/AgentApi.Bench.Fakes" --urls "$fake_url" > "$work/fakes.out" 2>&1 &
pids+=($!); wait_listening "$port"
mkdir -p "$work/agentapi"
(cd "$work/agentapi" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$app_url" \
  GEMMA_PROVIDER=gemini GEMMA_API_KEY=bench-gemini-key GEMMA_BASE_URL="$fake_url/v1beta" \
  OPENAI_API_KEY=bench-openai-key OPENAI_BASE_URL="$fake_url/v1" LOG_LEVEL=Information LOG_DIR="$work/agentapi/logs" \
  "$@" "$root/bench/results/publish/AgentApi.Web" > "$work/agentapi.out" 2>&1) &
app=$!; pids+=("$app"); wait_listening $((port + 2))

ticks() { sed 's/.*) //' "/proc/$app/stat" | awk '{print $12 + $13}'; }
hz=$(getconf CLK_TCK)
printf '%8s %8s %9s %8s %8s %8s\n' window asks/s p99_ms threads cpu% rss_MB
for ((i = 1; i * window <= total; i++)); do
  before=$(ticks)
  WRK_OUT=$work/w$i.json wrk -t2 -c16 -d"${window}s" --timeout 30s -s "$root/bench/wrk/ask.lua" "$app_url/api/ask" -- miss "ramp-$$-$i" > /dev/null
  cpu=$(( ($(ticks) - before) * 100 / (hz * window) ))
  python3 - "$work/w$i.json" "$i" "$window" "$(awk '/^Threads/ {print $2}' "/proc/$app/status")" "$cpu" "$(awk '/^VmRSS/ {print $2}' "/proc/$app/status")" <<'EOF'
import json, sys
w = json.load(open(sys.argv[1])); i, window = int(sys.argv[2]), int(sys.argv[3])
print(f"{(i - 1) * window:>4}-{i * window:<3} {w['requests'] / (w['durationUs'] / 1e6):8.0f} {w['latencyUs']['p99'] / 1000:9.1f} {sys.argv[4]:>8} {sys.argv[5]:>8} {int(sys.argv[6]) // 1024:>8}")
EOF
done
