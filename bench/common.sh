# Sourced by bench/cold.sh and bench/cost.sh (after `cd` to the repository root and setting `root`):
# the loopback ports, a fresh work folder under bench/results/, the processes started (stopped, by PID,
# when the script ends or is interrupted) and the provider fakes.
# Usage: . bench/common.sh NAME   (work folder bench/results/NAME)
port=${BENCH_PORT:-18301}
fake_url=http://127.0.0.1:$port
work=$root/bench/results/$1
rm -rf "$work"; mkdir -p "$work"

pids=()
cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_fakes() {
  "$root/bench/Fakes/bin/Release/net10.0/AgentApi.Bench.Fakes" --urls "$fake_url" > "$work/fakes.out" 2>&1 &
  pids+=($!); until listening "$port"; do sleep 0.01; done
}
