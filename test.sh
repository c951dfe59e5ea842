#!/usr/bin/env bash
# Runs every test of Switchboard on a fresh machine: installs what the tests need, builds,
# runs all test projects, and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use. Installed only when missing, so a second run starts at once.
APT_PACKAGES=()

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
