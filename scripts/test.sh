#!/usr/bin/env bash
# Runs every test of the solution and ends with one line: "N passed, N failed".
# Installs what the tests need when it is missing (Debian packages; npm packages are restored by the build).
# PostgreSQL: set OZON_TEST_POSTGRES to a server's connection string, or the tests start a throwaway server
# from the installed binaries (/usr/lib/postgresql/*/bin).
set -uo pipefail
cd "$(dirname "$0")/.."

install_missing() {
  local missing=() pair
  for pair in "$@"; do
    # "check:package": check is a command name or an absolute path.
    local check=${pair%%:*} package=${pair##*:}
    if [[ $check == /* ]]; then compgen -G "$check" >/dev/null || missing+=("$package")
    else command -v "$check" >/dev/null || missing+=("$package"); fi
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  if [[ $(id -u) != 0 ]]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"
    else echo "Please install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2; return 0; fi
  fi
  echo "Installing ${missing[*]}..."
  $sudo apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# docker-compose validates the compose file; chromium runs the browser tests; node and npm run the SignalR client tests.
needs=(docker-compose:docker-compose /usr/bin/chromium:chromium node:nodejs npm:npm)
[[ -n ${OZON_TEST_POSTGRES:-} ]] || needs+=("/usr/lib/postgresql/*/bin/initdb:postgresql")
install_missing "${needs[@]}"

results=$(mktemp -d)
dotnet test OzonActors.sln --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0 failed=0
for trx in "$results"/*.trx; do
  [[ -f $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
  failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
done
rm -rf "$results"

if ((status != 0 && failed == 0)); then failed=1; echo "dotnet test failed outside any test (build or host error)." >&2; fi
echo "$passed passed, $failed failed"
((status == 0 && failed == 0 && passed > 0))
