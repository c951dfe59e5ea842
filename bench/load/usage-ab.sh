#!/usr/bin/env bash
# The usage log's cost, A/B: one published Switchboard started fresh with its SQLite usage log and with
# `storage: none`, alternately, each warmed 10 s and then measured 10 s by wrk at 32 connections against nginx
# (the same mock upstream as run.sh), for 3 rounds. Prints req/s and the gateway's CPU per request.
#
#   dotnet publish src/Switchboard.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /tmp/sb
#   bench/load/usage-ab.sh /tmp/sb/switchboard
set -u
BIN=${1:?usage: usage-ab.sh PATH/TO/switchboard}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-ab.XXXXXX")
NGINX_PORT=${NGINX_PORT:-18180} SB_PORT=${SB_PORT:-14200}
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup EXIT

python3 "$HERE/payloads.py" write "$TMP" "$NGINX_PORT"
mkdir -p "$TMP"/{client_body,proxy,fastcgi,uwsgi,scgi}
"$NGINX" -c "$TMP/nginx.conf" -g 'daemon off;' 2>"$TMP/nginx.stderr" & PIDS+=($!)
for _ in $(seq 300); do curl -s -o /dev/null -X POST "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" -d '{}' && break; sleep 0.01; done
cat >"$TMP/switchboard.yaml" <<YAML
server: { host: 127.0.0.1, port: $SB_PORT }
providers:
  openai: { base_url: "http://127.0.0.1:$NGINX_PORT/v1", api_key: sk-bench }
YAML
wrk32() { BODY_FILE="$TMP/req_openai.json" HEADERS="Authorization: Bearer sk-bench" wrk -t2 -c32 -d10s -s "$HERE/post.lua" "http://127.0.0.1:$SB_PORT/v1/chat/completions"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for round in 1 2 3; do
  for store in "sqlite:$TMP/usage-$round.db" none; do
    SWITCHBOARD_DATABASE_URL=$store "$BIN" serve --config "$TMP/switchboard.yaml" >>"$TMP/switchboard.log" 2>&1 &
    sb=$!
    until curl -sf "http://127.0.0.1:$SB_PORT/health/ready" >/dev/null; do sleep 0.01; done
    wrk32 >/dev/null
    before=$(cpu_ticks "$sb")
    rps=$(wrk32 | awk '/Requests\/sec/ {print $2}')
    after=$(cpu_ticks "$sb")
    awk -v r="$round" -v s="${store%%:*}" -v rps="$rps" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "round %s, %-6s: %8.0f req/s, %5.1f µs of gateway CPU per request\n", r, s, rps, t / hz * 1e6 / (rps * 10) }'
    kill "$sb"; wait "$sb" 2>/dev/null
  done
done
