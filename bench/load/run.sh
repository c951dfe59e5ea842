#!/usr/bin/env bash
# Load benchmark: nginx as a fixed mock upstream, wrk as the client, Switchboard (Release) in between,
# optionally the peer gateway (@portkey-ai/gateway 1.15.2) with --peer. See bench/README.md.
#
#   bench/load/run.sh [--duration SECONDS] [--warmup SECONDS] [--peer] [--slow-streams N] [--no-slow]
set -euo pipefail

DURATION=10 WARMUP=3 PEER=0 SLOW_N=1000
NGINX_PORT=${NGINX_PORT:-18080} SB_PORT=${SB_PORT:-14100} SLOW_PORT=${SLOW_PORT:-18090} PEER_PORT=${PEER_PORT:-18787}
PEER_PKG="@portkey-ai/gateway@1.15.2"
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --peer) PEER=1; shift ;;
    --slow-streams) SLOW_N=$2; shift 2 ;;
    --no-slow) SLOW_N=0; shift ;;
    -h|--help) sed -n 2,5p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-load.XXXXXX")
PIDS=()
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

# ---- 1. tools ----------------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update && apt-get install -y "${need[@]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for c in curl python3 dotnet; do command -v $c >/dev/null || { echo "$c is required" >&2; exit 1; }; done

PEER_MAIN=""
if [ "$PEER" = 1 ]; then
  log "installing $PEER_PKG"
  mkdir -p "$TMP/peer"
  if (cd "$TMP/peer" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund "$PEER_PKG" >"$TMP/peer/npm.log" 2>&1) \
     && [ -f "$TMP/peer/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
    PEER_MAIN="$TMP/peer/node_modules/@portkey-ai/gateway/build/start-server.js"
  else
    echo "PEER SKIPPED: could not install $PEER_PKG from npm (log below)" >&2
    tail -5 "$TMP/peer/npm.log" >&2 || true
  fi
fi

# ---- 2. mock upstream --------------------------------------------------------------------------------
python3 "$HERE/payloads.py" write "$TMP" "$NGINX_PORT"
mkdir -p "$TMP"/{client_body,proxy,fastcgi,uwsgi,scgi}
"$NGINX" -t -q -c "$TMP/nginx.conf" -g 'daemon off;' 2>/dev/null || "$NGINX" -t -c "$TMP/nginx.conf" -g 'daemon off;'
"$NGINX" -c "$TMP/nginx.conf" -g 'daemon off;' 2>"$TMP/nginx.stderr" &
PIDS+=($!)

wait_http() { # url, then up to 30 s
  for _ in $(seq 3000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" 2>/dev/null || true)" = 200 ] && return 0
    sleep 0.01
  done
  echo "timed out waiting for $1" >&2; return 1
}
for _ in $(seq 300); do curl -s -o /dev/null -X POST "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" -d '{}' && break; sleep 0.01; done

# ---- 3. Switchboard ----------------------------------------------------------------------------------
log "building Switchboard (Release)"
# Published as it would be deployed: Release, with ReadyToRun code so start-up does not wait for the JIT.
dotnet publish "$ROOT/src/Switchboard.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$TMP/publish" -nologo -v q >"$TMP/build.log" 2>&1 || { tail -30 "$TMP/build.log"; exit 1; }
SB_BIN="$TMP/publish/switchboard"
cat >"$TMP/switchboard.yaml" <<YAML
server: { host: 127.0.0.1, port: $SB_PORT }
storage: "sqlite:$TMP/usage.db"
providers:
  openai: { base_url: "http://127.0.0.1:$NGINX_PORT/v1", api_key: sk-bench }
  anthropic: { base_url: "http://127.0.0.1:$NGINX_PORT", api_key: sk-ant-bench }
  streamer: { type: openai-compatible, base_url: "http://127.0.0.1:$NGINX_PORT/stream/v1", api_key: sk-bench }
  slow: { type: openai-compatible, base_url: "http://127.0.0.1:$SLOW_PORT/v1", api_key: sk-bench }
YAML
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
start_sb() { # sets SB_PID and START_MS
  local t0; t0=$(date +%s%N)
  "$SB_BIN" serve --config "$TMP/switchboard.yaml" >>"$TMP/switchboard.log" 2>&1 &
  SB_PID=$!; PIDS+=($SB_PID)
  wait_http "http://127.0.0.1:$SB_PORT/health/ready"
  START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}
start_sb
FIRST_START_MS=$START_MS
log "Switchboard ready in ${START_MS} ms (pid $SB_PID)"
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
SB_IDLE_KB=$(rss_kb "$SB_PID")

PEER_PID=""
if [ -n "$PEER_MAIN" ]; then
  (cd "$TMP/peer" && exec node "$PEER_MAIN" --port="$PEER_PORT" >"$TMP/peer.log" 2>&1) &
  PEER_PID=$!; PIDS+=($PEER_PID)
  if wait_http "http://127.0.0.1:$PEER_PORT/"; then PEER_IDLE_KB=$(rss_kb "$PEER_PID"); log "peer ready (pid $PEER_PID)"
  else echo "PEER SKIPPED: it did not answer on port $PEER_PORT" >&2; tail -5 "$TMP/peer.log" >&2; PEER_PID=""; fi
fi

# sanity: every path answers 200 before we load it
check() { # name url body headers...
  local name=$1 url=$2 body=$3; shift 3
  local args=() h; for h in "$@"; do args+=(-H "$h"); done
  local code; code=$(curl -s -o "$TMP/check.out" -w '%{http_code}' -X POST "$url" -H 'Content-Type: application/json' "${args[@]}" --data-binary "@$body")
  [ "$code" = 200 ] || { echo "$name: HTTP $code: $(head -c 400 "$TMP/check.out")" >&2; return 1; }
}
SB=http://127.0.0.1:$SB_PORT/v1/chat/completions
DIRECT=http://127.0.0.1:$NGINX_PORT
PEER_HDRS=("x-portkey-provider: openai" "x-portkey-custom-host: http://127.0.0.1:$NGINX_PORT/v1" "Authorization: Bearer sk-bench")
PEER_SHDRS=("x-portkey-provider: openai" "x-portkey-custom-host: http://127.0.0.1:$NGINX_PORT/stream/v1" "Authorization: Bearer sk-bench")
check direct "$DIRECT/v1/chat/completions" "$TMP/req_openai.json"
check same-dialect "$SB" "$TMP/req_openai.json" "Authorization: Bearer sk-bench"
check translated "$SB" "$TMP/req_claude.json" "Authorization: Bearer sk-bench"
check streaming "$SB" "$TMP/req_stream.json" "Authorization: Bearer sk-bench"
grep -q 'data: \[DONE\]' "$TMP/check.out" || { echo "streaming: no [DONE] in the answer" >&2; exit 1; }
if [ -n "$PEER_PID" ]; then
  check peer "http://127.0.0.1:$PEER_PORT/v1/chat/completions" "$TMP/req_openai.json" "${PEER_HDRS[@]}" \
    || { echo "PEER SKIPPED: its answer was not 200" >&2; PEER_PID=""; }
fi

# ---- 4. wrk ------------------------------------------------------------------------------------------
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v*0.001; else if (v ~ /ms$/) printf "%.3f", v+0; else if (v ~ /s$/) printf "%.3f", v*1000; else print "-" }'; }
RESULTS=$TMP/results.tsv
: >"$RESULTS"
# run_wrk case conns url body gateway_pid headers...  -> appends: case conns rps p50 p99 ovh_us peak_kb errors
run_wrk() {
  local name=$1 conns=$2 url=$3 body=$4 gpid=$5; shift 5
  local threads=1; [ "$conns" -gt 1 ] && threads=2
  local hdrs; hdrs=$(IFS='|'; echo "$*")
  log "$name, $conns connection(s): warm-up ${WARMUP}s, run ${DURATION}s"
  BODY_FILE=$body HEADERS=$hdrs wrk -t"$threads" -c"$conns" -d"${WARMUP}s" -s "$HERE/post.lua" "$url" >/dev/null
  [ -n "$gpid" ] && echo 5 >"/proc/$gpid/clear_refs" 2>/dev/null || true
  local out; out=$(BODY_FILE=$body HEADERS=$hdrs wrk -t"$threads" -c"$conns" -d"${DURATION}s" --latency -s "$HERE/post.lua" "$url")
  echo "$out" >>"$TMP/wrk.log"
  local rps p50 p99 ovh peak=- errs
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  p50=$(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
  p99=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  ovh=$(echo "$out" | awk '/^OVERHEAD_P50_US/ {print $2}')
  errs=$(echo "$out" | awk '/^NON200/ {n+=$2} /Socket errors/ {gsub(",",""); n+=$4+$6+$8+$10} END {print n+0}')
  [ -n "$gpid" ] && peak=$(hwm_kb "$gpid")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$conns" "$rps" "$p50" "$p99" "${ovh:--}" "$peak" "$errs" >>"$RESULTS"
}
AUTH="Authorization: Bearer sk-bench"
for c in 1 32; do
  run_wrk direct "$c" "$DIRECT/v1/chat/completions" "$TMP/req_openai.json" "" "$AUTH"
  run_wrk direct-stream "$c" "$DIRECT/stream/v1/chat/completions" "$TMP/req_stream_direct.json" "" "$AUTH"
  run_wrk same-dialect "$c" "$SB" "$TMP/req_openai.json" "$SB_PID" "$AUTH"
  run_wrk translated "$c" "$SB" "$TMP/req_claude.json" "$SB_PID" "$AUTH"
  run_wrk streaming "$c" "$SB" "$TMP/req_stream.json" "$SB_PID" "$AUTH"
  if [ -n "$PEER_PID" ]; then
    run_wrk peer-same-dialect "$c" "http://127.0.0.1:$PEER_PORT/v1/chat/completions" "$TMP/req_openai.json" "$PEER_PID" "${PEER_HDRS[@]}"
  fi
done

# ---- 5. time to first streamed byte, on the process the wrk runs warmed up ----------------------------
ttfb() { # url body headers... -> median ms over 50
  local url=$1 body=$2; shift 2
  local args=() h; for h in "$@"; do args+=(-H "$h"); done
  for _ in $(seq 50); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' -X POST "$url" -H 'Content-Type: application/json' "${args[@]}" --data-binary "@$body"
  done | sort -n | awk '{a[NR]=$1} END {printf "%.3f", (a[int((NR+1)/2)] + a[int(NR/2)+1]) / 2 * 1000}'
}
log "time to first streamed byte (50 requests each)"
TTFB_DIRECT=$(ttfb "$DIRECT/stream/v1/chat/completions" "$TMP/req_stream_direct.json" "$AUTH")
TTFB_SB=$(ttfb "$SB" "$TMP/req_stream.json" "$AUTH")
TTFB_PEER=-
[ -n "$PEER_PID" ] && TTFB_PEER=$(ttfb "http://127.0.0.1:$PEER_PORT/v1/chat/completions" "$TMP/req_stream_direct.json" "${PEER_SHDRS[@]}")
SB_RSS_AFTER_KB=$(rss_kb "$SB_PID")

# ---- 6. the usage log off, to see what recording every request to SQLite costs -----------------------
restart_sb() { kill "$SB_PID"; wait "$SB_PID" 2>/dev/null || true; start_sb; }
export SWITCHBOARD_DATABASE_URL=none
restart_sb
unset SWITCHBOARD_DATABASE_URL
log "Switchboard without a store ready (pid $SB_PID); 10 s more warm-up, since this process starts cold and the one it is compared with has run every case"
BODY_FILE="$TMP/req_openai.json" HEADERS="$AUTH" wrk -t2 -c32 -d10s -s "$HERE/post.lua" "$SB" >/dev/null
run_wrk same-dialect-no-usage 32 "$SB" "$TMP/req_openai.json" "$SB_PID" "$AUTH"
USAGE_ROWS=$(python3 - "$TMP/usage.db" <<'PY' 2>/dev/null || echo "?"
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from usage_records").fetchone()[0])
PY
)

# ---- 7. 1,000 slow streams ---------------------------------------------------------------------------
SLOW_RESULT="not run (--no-slow)" SLOW_PEAK=-
if [ "$SLOW_N" -gt 0 ]; then
  python3 "$HERE/slow_upstream.py" "$SLOW_PORT" 0.1 >"$TMP/slow.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$SLOW_PORT") 2>/dev/null && break; sleep 0.01; done
  # a fresh Switchboard (with the store again), so the peak is this run's and not left over from the wrk runs
  kill "$SB_PID"; wait "$SB_PID" 2>/dev/null || true
  start_sb
  log "fresh Switchboard for the slow streams ready in ${START_MS} ms (pid $SB_PID)"
  check slow "$SB" "$TMP/req_slow.json" "$AUTH"
  log "$SLOW_N concurrent slow streams (20 chunks, 100 ms apart) through Switchboard"
  echo 5 >"/proc/$SB_PID/clear_refs" 2>/dev/null || true
  SLOW_RESULT=$(python3 "$HERE/slow_client.py" 127.0.0.1 "$SB_PORT" /v1/chat/completions "$TMP/req_slow.json" "$SLOW_N")
  SLOW_PEAK=$(( $(hwm_kb "$SB_PID") / 1024 ))
fi

# ---- 8. the table ------------------------------------------------------------------------------------
echo
echo "Switchboard load benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, wrk ${DURATION}s after ${WARMUP}s warm-up, load average (1/5/15 min) before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
echo
awk -F'\t' -v ttfb_d="$TTFB_DIRECT" -v ttfb_s="$TTFB_SB" -v ttfb_p="$TTFB_PEER" '
  { k=$1 SUBSEP $2; rps[k]=$3; p50[k]=$4; p99[k]=$5; ovh[k]=$6; peak[k]=$7; err[k]=$8; rows[++n]=k }
  END {
    printf "| case | conns | req/s | p50 ms | p99 ms | added p50 / p99 ms | TTFB ms | peak RSS MB | ×direct (req/s) | ×peer (req/s) | overhead hdr p50 µs | errors |\n"
    printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    for (i=1; i<=n; i++) {
      k=rows[i]; split(k, a, SUBSEP); c=a[1]; conns=a[2]
      base = (c=="streaming" || c=="direct-stream") ? "direct-stream" : "direct"
      b = base SUBSEP conns
      added = (c==base) ? "-" : sprintf("%+.3f / %+.3f", p50[k]-p50[b], p99[k]-p99[b])
      t = (c=="direct-stream") ? ttfb_d : (c=="streaming") ? ttfb_s : (c=="peer-same-dialect" && ttfb_p!="-") ? ttfb_p " (stream)" : "-"
      pk = (peak[k]=="-") ? "-" : sprintf("%.0f", peak[k]/1024)
      xd = (c==base || c ~ /^peer/) ? "-" : sprintf("%.2f", rps[k]/rps[b])
      pk2 = "peer-same-dialect" SUBSEP conns
      xp = (c ~ /^peer/ || c ~ /^direct/ || !(pk2 in rps)) ? "-" : sprintf("%.1f", rps[k]/rps[pk2])
      printf "| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, conns, rps[k], p50[k], p99[k], added, t, pk, xd, xp, ovh[k], err[k]
    }
  }' "$RESULTS"
echo
echo "| figure | value |"
echo "| --- | --- |"
awk -F'\t' '$1=="same-dialect" && $2==32 {on=$3} $1=="same-dialect-no-usage" {off=$3} END { if (off > 0) printf "| same dialect, 32 connections, usage logged to SQLite / no store | %.0f / %.0f req/s = %.0f%% |\n", on, off, on / off * 100 }' "$RESULTS"
echo "| usage records in the SQLite store after the runs | ${USAGE_ROWS} |"
echo "| Switchboard start to ready (launch of the built binary to first 200 on /health/ready) | ${FIRST_START_MS} ms (second start, before the slow streams: ${START_MS} ms) |"
echo "| Switchboard RSS idle (after ready, before load) / after the wrk runs | $((SB_IDLE_KB / 1024)) MB / $((SB_RSS_AFTER_KB / 1024)) MB |"
[ -n "$PEER_PID" ] && echo "| peer RSS idle | $((PEER_IDLE_KB / 1024)) MB |"
echo "| time to first streamed byte, median of 50 curl: direct / Switchboard / peer | ${TTFB_DIRECT} / ${TTFB_SB} / ${TTFB_PEER} ms |"
echo "| ${SLOW_N} concurrent slow streams through Switchboard | ${SLOW_RESULT}; peak RSS ${SLOW_PEAK} MB |"
if [ "$PEER" = 1 ] && [ -z "$PEER_PID" ]; then echo "| peer | skipped (see messages above) |"; fi
