#!/usr/bin/env bash
# AgentApi benchmark (issue 16): builds Release, starts the provider fakes, the floor and AgentApi on
# loopback, loads them with wrk, prints one table and the target ratios, writes bench/results/latest.json.
# Usage: bench/run.sh [--quick]        (see bench/README.md for what each scenario measures)
# Settings, from the environment:
#   BENCH_DURATION  seconds per measured scenario (8; quick 3)
#   BENCH_WARMUP    seconds of warm-up load on AgentApi before measuring it (60; quick 10); the keys
#                   instance gets the same, the floor a third, the fake 3 s
#   BENCH_SOAK      seconds of the soak (180; quick 20)
#   BENCH_COLD      seconds of load measured on a freshly started AgentApi once it is ready (5)
#   BENCH_SLOW_MS   provider delay of the slow-provider scenario (50)
#   BENCH_PORT      first of four loopback ports (18301: fakes, floor, AgentApi, AgentApi with caller keys)
#   BENCH_NO_BUILD  1 = use the existing Release builds (AgentApi's in bench/results/publish)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

if [ "$quick" = 1 ]; then
  duration=${BENCH_DURATION:-3}; warmup=${BENCH_WARMUP:-10}; soak=${BENCH_SOAK:-20}
else
  duration=${BENCH_DURATION:-8}; warmup=${BENCH_WARMUP:-60}; soak=${BENCH_SOAK:-180}
fi
cold=${BENCH_COLD:-5}
slow_ms=${BENCH_SLOW_MS:-50}
stampede_size=200
port=${BENCH_PORT:-18301}
fake_port=$port floor_port=$((port + 1)) app_port=$((port + 2)) keys_port=$((port + 3))
fake_url=http://127.0.0.1:$fake_port floor_url=http://127.0.0.1:$floor_port
app_url=http://127.0.0.1:$app_port keys_url=http://127.0.0.1:$keys_port
caller_key=bench-caller-key
# A prefix no earlier run used, so "miss" queries are never in a cache.
run_id=$(date +%s)-$$

results=$root/bench/results
work=$results/work
publish=$results/publish
rm -rf "$work"
mkdir -p "$work"
records=$work/records.jsonl
: > "$records"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- Processes: everything started here is stopped by PID on exit ---------------------------------
declare -a started_pids=()
declare -A pid_of=()
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_listening() { # port timeout-seconds
  local deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.01
  done
}
# start NAME DIR PORT COMMAND...: COMMAND may begin with "env NAME=VALUE ..."; returns once it listens
start() {
  local name=$1 dir=$2 listen=$3; shift 3
  mkdir -p "$dir"
  (cd "$dir" && exec "$@" > "$work/$name.out" 2>&1) &
  local pid=$!
  started_pids+=("$pid"); pid_of[$name]=$pid
  if ! wait_listening "$listen" 60; then
    log "$name did not listen on $listen; its output:"; tail -n 30 "$work/$name.out" >&2; exit 1
  fi
}
stop() { # NAME: records its peak RSS, then stops it
  local pid=${pid_of[$1]}
  printf '{"process":"%s","peakRssKb":%s}\n' "$1" "$(peak_rss "$pid")" >> "$work/processes.jsonl"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
peak_rss() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
counters() { curl -fsS "$fake_url/_bench/counters"; }
set_delay() { curl -fsS -X POST "$fake_url/_bench/delay?ms=$1"; }
wrk_threads() { if [ "$1" -lt 2 ]; then echo 1; else echo 2; fi; }

# wrk_run URL CONNECTIONS SECONDS OUT ARGS...: ARGS go to bench/wrk/ask.lua (mode, prefix, caller key)
wrk_run() {
  local url=$1 conns=$2 secs=$3 out=$4; shift 4
  WRK_OUT=$out wrk -t"$(wrk_threads "$conns")" -c"$conns" -d"${secs}s" --timeout 30s \
    -s "$root/bench/wrk/ask.lua" "$url" -- "$@" > "$out.txt" 2>&1
}
warm() { # NAME URL CONNECTIONS SECONDS ARGS...: in windows of at most 10 s, each recorded (the ramp)
  local name=$1 url=$2 conns=$3 left=$4 window=0 secs; shift 4
  local mode=$1 prefix=${2:-warm}; shift; [ $# -gt 0 ] && shift
  log "warming $name for $left s"
  while [ "$left" -gt 0 ]; do
    secs=$((left < 10 ? left : 10)); left=$((left - secs)); window=$((window + 1))
    wrk_run "$url" "$conns" "$secs" "$work/warm-$name-$window.json" "$mode" "$prefix-w$window" "$@"
    printf '{"target":"%s","window":%d,"connections":%d,"wrk":%s}\n' "$name" "$window" "$conns" "$(cat "$work/warm-$name-$window.json")" >> "$work/ramp.jsonl"
  done
}

# One row of the table is taken between sample_begin TARGET and sample_end SCENARIO TARGET CONNECTIONS RESULT [EXTRA].
# CPU in clock ticks: the target's and the fakes' own, this script's children (wrk, the stampede, curl),
# and the whole machine's, so that what other users of the machine took shows as "other".
harness_ticks() { sed 's/.*) //' "/proc/$$/stat" | awk '{print $14 + $15}'; }
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
sample_begin() {
  sample_calls=$(counters); sample_target=$(cpu_ticks "${pid_of[$1]}"); sample_fakes=$(cpu_ticks "${pid_of[fakes]}")
  sample_harness=$(harness_ticks); sample_machine=$(machine_ticks); sample_t0=$(date +%s.%N)
}
sample_end() {
  local scenario=$1 target=$2 conns=$3 result=$4 extra=${5:-null}
  local t1 target_ticks fakes_ticks harness machine
  t1=$(date +%s.%N); target_ticks=$(cpu_ticks "${pid_of[$target]}"); fakes_ticks=$(cpu_ticks "${pid_of[fakes]}")
  harness=$(harness_ticks); machine=$(machine_ticks)
  sleep 0.5 # asks still in flight when the load stopped reach the fakes before the count
  printf '{"scenario":"%s","target":"%s","connections":%s,"wrk":%s,"callsBefore":%s,"callsAfter":%s,"wallSeconds":%s,"clockTicks":%s,"cpuTicks":{"target":%s,"fakes":%s,"harness":%s,"machine":%s},"peakRssKb":{"target":%s,"fakes":%s},"loadAverage":%s,"extra":%s}\n' \
    "$scenario" "$target" "$conns" "$(cat "$result")" "$sample_calls" "$(counters)" "$(awk "BEGIN {print $t1 - $sample_t0}")" "$(getconf CLK_TCK)" \
    "$((target_ticks - sample_target))" "$((fakes_ticks - sample_fakes))" "$((harness - sample_harness))" "$((machine - sample_machine))" \
    "$(peak_rss "${pid_of[$target]}")" "$(peak_rss "${pid_of[fakes]}")" "$(cut -d' ' -f1 /proc/loadavg)" "$extra" >> "$records"
}
measure() { # SCENARIO TARGET URL CONNECTIONS SECONDS ARGS...: ARGS go to bench/wrk/ask.lua
  local scenario=$1 target=$2 url=$3 conns=$4 secs=$5; shift 5
  log "measuring $scenario: $conns connection(s), $secs s"
  sample_begin "$target"
  wrk_run "$url" "$conns" "$secs" "$work/$scenario.json" "$@"
  sample_end "$scenario" "$target" "$conns" "$work/$scenario.json" "${extra:-null}"
}

# --- Prerequisites and build -------------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk (Debian package)"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi
for tool in curl python3 awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/run.sh needs $tool" >&2; exit 1; }
done
for p in $fake_port $floor_port $app_port $keys_port; do
  port_free "$p" || { echo "port $p is in use: set BENCH_PORT to a free range of four" >&2; exit 1; }
done

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release"
  for project in bench/Fakes bench/Floor; do
    dotnet build "$project" -c Release --nologo -v q -clp:ErrorsOnly > "$work/build.out" 2>&1 \
      || { cat "$work/build.out" >&2; exit 1; }
  done
  # AgentApi as it is deployed: published, so ReadyToRun (AgentApi.Web.csproj) takes effect.
  rm -rf "$publish"
  dotnet publish AgentApi.Web -c Release --use-current-runtime --self-contained false -o "$publish" --nologo -v q -clp:ErrorsOnly > "$work/build.out" 2>&1 \
    || { cat "$work/build.out" >&2; exit 1; }
fi
bin() { echo "$root/$1/bin/Release/net10.0/$2"; }
begin_time=$(date -u +%Y-%m-%dT%H:%M:%SZ); begin_load=$(cut -d' ' -f1-3 /proc/loadavg)

# --- The fakes, measured alone -----------------------------------------------------------------------
gemini_path=/v1beta/models/gemma-3-1b-it:generateContent
start fakes "$work/fakes" "$fake_port" env ASPNETCORE_URLS="$fake_url" "$(bin bench/Fakes AgentApi.Bench.Fakes)"
warm fakes "$fake_url$gemini_path" 16 3 gemini
measure fake-direct fakes "$fake_url$gemini_path" 16 "$duration" gemini

# --- The floor ---------------------------------------------------------------------------------------
start floor "$work/floor" "$floor_port" env ASPNETCORE_URLS="$floor_url" \
  FLOOR_GEMINI_URL="$fake_url$gemini_path" FLOOR_OPENAI_URL="$fake_url/v1/chat/completions" \
  "$(bin bench/Floor AgentApi.Bench.Floor)"
warm floor "$floor_url/api/ask" 16 $((warmup / 3 > 3 ? warmup / 3 : 3)) miss "$run_id-floor-warm"
measure floor-miss-c1 floor "$floor_url/api/ask" 1 "$duration" miss "$run_id-floor-c1"
measure floor-miss-c16 floor "$floor_url/api/ask" 16 "$duration" miss "$run_id-floor-c16"

# --- AgentApi: production logging (Information, console and both files), providers on the fakes ------
agentapi() { # NAME PORT [NAME=VALUE...]: starts AgentApi from its own directory, so no .env is read
  local name=$1 listen=$2; shift 2
  start "$name" "$work/$name" "$listen" env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$listen" \
    GEMMA_PROVIDER=gemini GEMMA_API_KEY=bench-gemini-key GEMMA_BASE_URL="$fake_url/v1beta" \
    OPENAI_API_KEY=bench-openai-key OPENAI_BASE_URL="$fake_url/v1" \
    LOG_LEVEL=Information LOG_DIR="$work/$name/logs" "$@" "$publish/AgentApi.Web"
}

# Cold start: load from the moment readiness turns 200 (the instance warms itself up first, WARMUP_ASKS).
log "starting AgentApi cold"
launch=$(date +%s.%N)
agentapi agentapi "$app_port"
listening=$(date +%s.%N)
for _ in $(seq 9000); do curl -fs -o /dev/null "$app_url/healthz/ready" && break; sleep 0.01; done
curl -fs -o /dev/null "$app_url/healthz/ready" || { log "AgentApi not ready 90 s after launch; its output:"; tail -n 30 "$work/agentapi.out" >&2; exit 1; }
ready=$(date +%s.%N)
extra="{\"secondsToListen\":$(awk "BEGIN {print $listening - $launch}"),\"secondsToReady\":$(awk "BEGIN {print $ready - $launch}")}" \
  measure agentapi-cold-c16 agentapi "$app_url/api/ask" 16 "$cold" miss "$run_id-cold"
warm agentapi "$app_url/api/ask" 16 "$warmup" miss "$run_id-app-warm"
measure agentapi-miss-c1 agentapi "$app_url/api/ask" 1 "$duration" miss "$run_id-app-c1"
measure agentapi-miss-c16 agentapi "$app_url/api/ask" 16 "$duration" miss "$run_id-app-c16"
curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "{\"query\":\"$run_id-hot: what is the capital of France?\"}" "$app_url/api/ask"
measure agentapi-hit-c16 agentapi "$app_url/api/ask" 16 "$duration" hit "$run_id-hot"

# --- Slow providers: both targets at 64 connections ---------------------------------------------------
set_delay "$slow_ms"
warm floor-slow "$floor_url/api/ask" 64 3 miss "$run_id-floor-slow-warm"
measure floor-slow-c64 floor "$floor_url/api/ask" 64 "$duration" miss "$run_id-floor-slow"
warm agentapi-slow "$app_url/api/ask" 64 3 miss "$run_id-app-slow-warm"
measure agentapi-slow-c64 agentapi "$app_url/api/ask" 64 "$duration" miss "$run_id-app-slow"

# --- Stampede: identical cold asks released together, providers slow enough that all overlap ----------
set_delay 200
log "stampede: $stampede_size identical cold asks"
sample_begin agentapi
python3 "$root/bench/stampede.py" "$app_url/api/ask" "$stampede_size" "$run_id stampede: what is the capital of France?" > "$work/stampede.json"
sample_end agentapi-stampede agentapi "$stampede_size" "$work/stampede.json"
set_delay 0
curl -fsS "$app_url/healthz/cache" > "$work/cache-before-soak.json" || echo null > "$work/cache-before-soak.json"

# --- Caller keys and a rate limit high enough not to trigger (their cost in the figures) -------------
log "starting AgentApi with caller keys and a rate limit"
agentapi agentapi-keys "$keys_port" AGENTAPI_API_KEYS="$caller_key" RATE_LIMIT_PER_MINUTE=100000000
warm agentapi-keys "$keys_url/api/ask" 16 "$warmup" miss "$run_id-keys-warm" "$caller_key"
measure agentapi-keys-miss-c16 agentapi-keys "$keys_url/api/ask" 16 "$duration" miss "$run_id-keys" "$caller_key"
stop agentapi-keys

# --- Soak: unique asks at 16 connections, the cache full and evicting; RSS sampled every 5 s ----------
log "soak: $soak s"
(while kill -0 "${pid_of[agentapi]}" 2>/dev/null; do
   printf '%s %s\n' "$(date +%s.%N)" "$(rss "${pid_of[agentapi]}")"; sleep 5
 done > "$work/soak-rss.txt") &
sampler=$!; started_pids+=("$sampler")
measure agentapi-soak-c16 agentapi "$app_url/api/ask" 16 "$soak" miss "$run_id-soak"
kill "$sampler" 2>/dev/null || true
curl -fsS "$app_url/healthz/cache" > "$work/cache-after-soak.json" || echo null > "$work/cache-after-soak.json"

for name in fakes floor agentapi; do stop "$name"; done
# Keep the run's logs small: the last lines of each console, the active log files, no archives.
for out in "$work"/agentapi*.out; do tail -n 200 "$out" > "$out.tail" && mv "$out.tail" "$out"; done
rm -rf "$work"/agentapi*/logs/archive
end_load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$root/bench/report.py" --work "$work" --out "$results/latest.json" --mode "$([ "$quick" = 1 ] && echo quick || echo full)" \
  --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --began "$begin_time" \
  --load "$begin_load" "$end_load" --settings "duration=$duration warmup=$warmup soak=$soak cold=$cold slowMs=$slow_ms"
