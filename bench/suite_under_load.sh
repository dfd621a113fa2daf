#!/usr/bin/env bash
# Run the whole test suite (the README's command) N times in a row while CPU burners keep every core busy.
#
#   bash bench/suite_under_load.sh [RUNS] [BURNERS]     # defaults: 2 runs, one burner per core
#
# Proves the suite holds on a busy machine: no test may depend on wall-clock limits that load can break.
# Each run's exit code and time are printed; the script exits non-zero if any run failed. The burners
# (plain `yes > /dev/null` processes) are stopped however the script ends.
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-2}"
burners="${2:-$(nproc)}"
export CI="${CI:-true}"

pids=()
stop_burners() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; }
trap stop_burners EXIT
for _ in $(seq "$burners"); do
  yes > /dev/null &
  pids+=("$!")
done
echo "== $burners CPU burner(s) running on $(nproc) core(s)"

failed=0
for run in $(seq "$runs"); do
  start=$(date +%s)
  echo "== suite run $run of $runs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  bash scripts/test.sh
  code=$?
  echo "== suite run $run: exit $code in $(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$code" -eq 0 ] || failed=1
done
exit "$failed"
