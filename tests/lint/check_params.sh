#!/usr/bin/env bash
# etc/NAME.conf must be exactly what the daemon's key table generates below its marker line, and
# must pass the daemon's own -t check (Postfix's check-postconf-* idea: docs checked against code).
# usage: check_params.sh BINARY ETC_FILE
set -euo pipefail
bin=$1 conf=$2
expected=$("$bin" --print-params=conf)
actual=$(sed -n '/^# --- generated ---$/,$p' "$conf" | tail -n +2)
if [ "$expected" != "$actual" ]; then
  echo "$conf differs from '$bin --print-params=conf' (regenerate it):"
  diff <(echo "$expected") <(echo "$actual") || true
  exit 1
fi
"$bin" -t -c "$conf"
echo "1 passed, 0 failed"
