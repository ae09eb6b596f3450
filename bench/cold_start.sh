#!/usr/bin/env bash
# Cold start of the README's first command on a fresh clone, in seconds.
#
# Clones the committed HEAD of this repository into a temporary directory, runs `./dev start`
# there and measures the seconds until the URL it prints answers at /healthz; stops it; then
# runs `./dev start` again in the same clone (warm restart: .venv and var/ already there).
#
#   bench/cold_start.sh
#
# Environment:
#   PORT=8123          port for ./dev start (default: a free port; the README's default is 8000)
#   COLD_PIP_CACHE=1   give pip an empty cache (every wheel is downloaded, as on a new machine);
#                      default: pip's usual cache, whatever it holds
#   SOURCE=/path       repository to clone (default: the one holding this script)
#   TIMEOUT=900        seconds to wait for each start before giving up
#   KEEP_CLONE=1       leave the clone (and its logs) in place and print where
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
source_repo=${SOURCE:-$here}
timeout=${TIMEOUT:-900}
python=${PYTHON:-python3}
port=${PORT:-$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

work=$(mktemp -d "${TMPDIR:-/tmp}/solidaire-cold-start.XXXXXX")
clone="$work/solidaire"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    # ./dev start was started as the leader of its own process group: end that group only.
    kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  stop_server
  if [ -n "${KEEP_CLONE:-}" ]; then
    echo "clone and logs kept in $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# The service must see none of the caller's configuration: a fresh clone uses its defaults.
unset DATABASE_URL MIGRATION_DATABASE_URL SOLIDAIRE_VAR SECRET_KEY DATABASE_APP_ROLE HOST VIRTUAL_ENV PYTHONPATH || true
if [ -n "${COLD_PIP_CACHE:-}" ]; then
  export PIP_CACHE_DIR="$work/pip-cache"
  pip_note="empty pip cache (COLD_PIP_CACHE=1: every package downloaded)"
else
  pip_note="pip's usual cache (${PIP_CACHE_DIR:-~/.cache/pip}): $(du -sh "${PIP_CACHE_DIR:-$HOME/.cache/pip}" 2>/dev/null | cut -f1 || true)"
  [ "${pip_note%: }" = "$pip_note" ] || pip_note="${pip_note}empty or absent"
fi

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# run_once LABEL: starts ./dev start in the clone and sets url_s, ready_s (seconds) and url.
run_once() {
  local label=$1 log="$work/$1.log" started t url_seen=""
  url_s="-"; ready_s="-"; install_s="-"; url=""
  local had_install_marker=""
  [ -e "$clone/.venv/.installed-run" ] && had_install_marker=1
  started=$(now)
  ( cd "$clone" && exec setsid env PORT="$port" ./dev start ) >"$log" 2>&1 &
  server_pid=$!
  while :; do
    t=$(now)
    if [ "$(elapsed "$started" "$t" | cut -d. -f1)" -ge "$timeout" ]; then
      echo "$label: no answer within $timeout s; the last lines of its output:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$label: ./dev start exited before answering; its output:" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    if [ -z "$had_install_marker" ] && [ "$install_s" = "-" ] && [ -e "$clone/.venv/.installed-run" ]; then
      install_s=$(elapsed "$started" "$t")
    fi
    if [ -z "$url_seen" ] && url=$(grep -o -m1 'http://[^ ]*/' "$log" 2>/dev/null); then
      url_seen=1
      url_s=$(elapsed "$started" "$t")
      case "$url" in
        *":$port/"*) ;;
        *) echo "$label: warning: ./dev start printed $url, not port $port (PORT not honoured?)" >&2 ;;
      esac
    fi
    if [ -n "$url_seen" ] && curl -fsS -o /dev/null --max-time 2 "${url}healthz" 2>/dev/null; then
      ready_s=$(elapsed "$started" "$(now)")
      break
    fi
    sleep 0.1
  done
  stop_server
}

echo "== Cold start of './dev start' (the README's first command) on a fresh clone"
git clone --quiet "$source_repo" "$clone"
commit=$(git -C "$clone" log -1 --format='%h %s')
echo "clone of $source_repo at $commit"
echo "into $clone; port $port; $(nproc) cores; $("$python" --version 2>&1) ($python)"
echo "pip: $pip_note"
if [ ! -x "$clone/dev" ]; then
  echo "the committed HEAD has no executable ./dev: nothing to measure" >&2
  exit 1
fi

run_once cold
cold=("$install_s" "$url_s" "$ready_s")
echo "cold: URL printed after $url_s s, $url answered /healthz after $ready_s s"
run_once warm
warm=("$install_s" "$url_s" "$ready_s")
echo "warm: URL printed after $url_s s, $url answered /healthz after $ready_s s"

echo
echo "== Results (seconds from running './dev start' until ...)"
printf '%-40s %14s %14s %16s\n' "run" "install done" "URL printed" "/healthz is 200"
printf '%-40s %14s %14s %16s\n' "----------------------------------------" "--------------" "--------------" "----------------"
printf '%-40s %14s %14s %16s\n' "cold: fresh clone, no .venv" "${cold[0]}" "${cold[1]}" "${cold[2]}"
printf '%-40s %14s %14s %16s\n' "warm: second start, same clone" "${warm[0]}" "${warm[1]}" "${warm[2]}"
echo "(install done: when .venv/.installed-run appeared, the marker ./dev writes after pip; '-' when not seen."
echo " pip: $pip_note)"
