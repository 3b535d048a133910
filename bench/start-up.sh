#!/usr/bin/env bash
# How fast `./weft run` starts: from the command to the login page served, to its 4 simulated hosts
# READY, and the resident memory then. One warm-up run (it may build), then RUNS measured runs, each
# with a fresh WEFT_HOME and nothing changed since the last build; prints each run and the medians.
# Each line also shows the 1-minute load average before the run: on a shared machine a loaded CPU
# falsifies start-up figures.
# Usage: ./weft bench start-up [RUNS]  or  bench/start-up.sh [RUNS]
#        (on a shared machine, under /work/bin/build-lock)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-5}"
port="${WEFT_BENCH_PORT:-18180}"
password="Start-up-bench-password-1"

now() { date +%s.%N; }
java_version() { "${JAVA_HOME:-/usr}/bin/java" -version 2>&1 | head -n1; }
load() { cut -d' ' -f1 /proc/loadavg; }
one_run() { # prints: login_s hosts_s rss_mb load_before
  local home; home="$(mktemp -d)"
  local load_before; load_before="$(load)"
  local t0; t0="$(now)"
  WEFT_HOME="$home" WEFT_PORT="$port" WEFT_ADMIN_PASSWORD="$password" ./weft run >"$home/out.log" 2>&1 &
  local pid=$! t_login="" t_hosts=""
  for _ in $(seq 1 1200); do
    if [ -z "$t_login" ] && curl -sf -o /dev/null "http://localhost:$port/login"; then t_login="$(now)"; fi
    if [ -n "$t_login" ]; then
      local ready
      ready="$(curl -s -u "admin:$password" "http://localhost:$port/api/v1/hosts" | grep -o '"state":"READY"' | wc -l)"
      if [ "$ready" -ge 4 ]; then t_hosts="$(now)"; break; fi
    fi
    kill -0 "$pid" 2>/dev/null || { echo "weft run exited: $(tail -5 "$home/out.log")" >&2; exit 1; }
    sleep 0.05
  done
  local rss; rss="$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$home"
  echo "$(echo "$t_login - $t0" | bc) $(echo "$t_hosts - $t0" | bc) $rss $load_before"
}

echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, $(java_version)"
echo "warm-up: $(one_run)   (login s, hosts ready s, RSS MB, load average before)"
results=()
for i in $(seq 1 "$runs"); do
  r="$(one_run)"; results+=("$r"); echo "run $i: $r"
done
median() { printf '%s\n' "${results[@]}" | awk -v c="$1" '{print $c}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median of $runs: login $(median 1) s, 4 hosts ready $(median 2) s, RSS $(median 3) MB (load average before the runs: median $(median 4))"
