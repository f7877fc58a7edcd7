#!/usr/bin/env bash
# What one ask costs the process that answers it: CPU time (user + system, from /proc), context switches
# and system calls per ask, under 16 connections after a warm-up. On a shared machine these move far less
# between runs than asks/s do, so they are how a change is judged A/B: two publish folders, runs interleaved.
# Usage: bench/cost.sh [--hit] [RUNS=3] [FOLDER_A [FOLDER_B]]
#   FOLDER_*: a `dotnet publish` of AgentApi.Web (default: bench/results/publish, which bench/run.sh builds);
#   the word `floor` measures bench/Floor instead. System calls need `perf` (left out without it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=miss
[ "${1:-}" = --hit ] && { mode=hit; shift; }
runs=3
[[ ${1:-} =~ ^[0-9]+$ ]] && { runs=$1; shift; }
targets=()
for target in "${@:-$root/bench/results/publish}"; do
  [ "$target" = floor ] && targets+=(floor) || targets+=("$(realpath "$target")")
done
. bench/common.sh cost
url=http://127.0.0.1:$((port + 2))
command -v wrk > /dev/null || { echo "wrk is missing: run bench/run.sh once (it installs it)" >&2; exit 1; }

start_fakes

# One measurement: launch, warm 10 s, then 6 s of load; prints "asks/s cpu_us ctxsw syscalls".
measure() {
  local target=$1 out=$work/run
  rm -rf "$out"; mkdir -p "$out"
  if [ "$target" = floor ]; then
    (cd "$out" && exec env ASPNETCORE_URLS="$url" FLOOR_GEMINI_URL="$fake_url/v1beta/models/gemma-3-1b-it:generateContent" \
      FLOOR_OPENAI_URL="$fake_url/v1/chat/completions" "$root/bench/Floor/bin/Release/net10.0/AgentApi.Bench.Floor" > "$out/app.out" 2>&1) &
  else
    (cd "$out" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$url" \
      GEMMA_PROVIDER=gemini GEMMA_API_KEY=bench-gemini-key GEMMA_BASE_URL="$fake_url/v1beta" \
      OPENAI_API_KEY=bench-openai-key OPENAI_BASE_URL="$fake_url/v1" LOG_LEVEL=Information LOG_DIR="$out/logs" \
      "$target/AgentApi.Web" > "$out/app.out" 2>&1) &
  fi
  local app=$!; pids+=("$app")
  local ready_path=/healthz/ready
  [ "$target" = floor ] && ready_path=/
  # The floor answers 404 on /, which is enough: it is listening (curl without -f).
  for _ in $(seq 9000); do listening $((port + 2)) && curl -s -o /dev/null "$url$ready_path" \
    && { [ "$target" = floor ] || curl -fs -o /dev/null "$url$ready_path"; } && break; sleep 0.01; done
  listening $((port + 2)) || { echo "$target did not start; its output:" >&2; tail -n 20 "$out/app.out" >&2; exit 1; }
  curl -fs -o /dev/null -H 'Content-Type: application/json' -d '{"query":"cost-hot: what is the capital of France?"}' "$url/api/ask"
  WRK_OUT=$out/warm.json wrk -t2 -c16 -d10s -s bench/wrk/ask.lua "$url/api/ask" -- "$mode" cost-hot > /dev/null
  switches() { cat /proc/"$app"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s }'; }
  ticks() { awk '{ print $14 + $15 }' /proc/"$app"/stat; }
  local s0 t0 s1 t1 calls=""
  s0=$(switches); t0=$(ticks)
  WRK_OUT=$out/load.json wrk -t2 -c16 -d6s -s bench/wrk/ask.lua "$url/api/ask" -- "$mode" cost-hot > /dev/null &
  local load=$!
  if command -v perf > /dev/null; then
    perf stat -e raw_syscalls:sys_enter -p "$app" -o "$out/perf.txt" -- sleep 5 > /dev/null 2>&1 || true
    calls=$(awk '/raw_syscalls/ { gsub(",", "", $1); print $1 }' "$out/perf.txt" 2> /dev/null || true)
  fi
  wait "$load"; s1=$(switches); t1=$(ticks)
  kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true
  python3 - "$out/load.json" "$((t1 - t0))" "$((s1 - s0))" "${calls:-0}" "$(getconf CLK_TCK)" <<'PY'
import json, sys
w = json.load(open(sys.argv[1])); n = w["requests"]; secs = w["durationUs"] / 1e6
ticks, switches, calls, hz = (int(x) for x in sys.argv[2:6])
print(f"{n / secs:.0f} {ticks / hz / n * 1e6:.1f} {switches / n:.2f} {calls / (n * 5 / secs) if calls else 0:.1f}")
PY
}

printf '%-40s %4s %8s %12s %10s %10s\n' target run asks/s cpu_us/ask ctxsw/ask calls/ask
for ((i = 1; i <= runs; i++)); do
  for target in "${targets[@]}"; do
    read -r rps cpu switches calls <<< "$(measure "$target")"
    [ -n "${cpu:-}" ] || exit 1
    printf '%-40s %4d %8s %12s %10s %10s\n' "${target#"$root"/}" "$i" "$rps" "$cpu" "$switches" "$calls" | tee -a "$work/rows"
  done
done
echo "lowest CPU per ask ($mode, 16 connections):"
for target in "${targets[@]}"; do
  awk -v t="${target#"$root"/}" '$1 == t { if (min == "" || $4 < min) min = $4 } END { printf "  %-38s %s us\n", t, min }' "$work/rows"
done
