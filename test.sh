#!/usr/bin/env bash
# Runs every test of Switchboard on a fresh machine: installs what the tests need, builds,
# runs all test projects, and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use. Installed only when missing, so a second run starts at once.
# chromium: the dashboard tests drive Debian's browser with Playwright (its driver ships in the NuGet package; no browser download).
APT_PACKAGES=(postgresql chromium)

install_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if ((${#missing[@]} > 0)); then
    echo "Installing ${missing[*]} ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || {
      echo "Could not install ${missing[*]}: run as root on Debian, or install them yourself." >&2
      exit 1
    }
  fi
}

install_packages

# The storage tests run every case against a real PostgreSQL as well as SQLite. Unless the caller points them
# at a server of its own (SWITCHBOARD_TEST_POSTGRES, an Npgsql connection string or a postgres:// URL), a
# throwaway one is started here: a fresh cluster under /tmp, on 127.0.0.1 only, stopped and removed at exit.
pg_dir=""
stop_postgres() {
  if [[ -n "$pg_dir" && -d "$pg_dir" ]]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$pg_dir"
  fi
}

# initdb and postgres refuse to run as root: as root, run them as the postgres user the package created.
as_postgres() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_postgres() {
  if [[ -n "${SWITCHBOARD_TEST_POSTGRES:-}" ]]; then
    echo "PostgreSQL for the storage tests: SWITCHBOARD_TEST_POSTGRES as given."
    return
  fi
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [[ -z "$pg_bin" ]]; then
    echo "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin): install the postgresql package." >&2
    exit 1
  fi
  # A fixed port, or the next free one when another run (or anything else) holds it.
  local port=${SWITCHBOARD_TEST_POSTGRES_PORT:-54329}
  while port_in_use "$port"; do port=$((port + 1)); done

  pg_dir=$(mktemp -d /tmp/switchboard-pg.XXXXXX)
  trap stop_postgres EXIT
  trap 'exit 130' INT TERM
  if ((EUID == 0)); then chown postgres: "$pg_dir"; fi
  echo switchboard >"$pg_dir/password"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U switchboard --pwfile="$pg_dir/password" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 || {
    cat "$pg_dir/initdb.log" >&2; echo "initdb failed." >&2; exit 1
  }
  # A test server: nothing here needs to survive a crash, so no fsync.
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$pg_dir/server.log" >&2; echo "PostgreSQL did not start." >&2; exit 1; }
  as_postgres "$pg_bin/psql" -h "$pg_dir" -p "$port" -U switchboard -d postgres -q -c "CREATE DATABASE switchboard_test" || exit 1
  export SWITCHBOARD_TEST_POSTGRES="postgres://switchboard:switchboard@127.0.0.1:$port/switchboard_test"
  echo "PostgreSQL for the storage tests: 127.0.0.1:$port (stopped at exit)."
}

start_postgres

results=TestResults
rm -rf "$results"
dotnet build Switchboard.slnx -c Release -warnaserror || { echo "0 passed, 1 failed"; exit 1; }
dotnet test Switchboard.slnx -c Release --no-build \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

# dotnet test prints one summary per project; CI reads one line with the totals of all of them.
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*>' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "=\""); sub(/".*/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] }')
if ((status != 0 && failed == 0)); then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit $status
