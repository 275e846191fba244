#!/usr/bin/env bash
# A whole cluster on one machine, without Docker: PostgreSQL, N silos and M client gateways on loopback.
#
#   scripts/cluster.sh up [SILOS] [GATEWAYS]   build, start (default 2 silos, 2 gateways), wait until every gateway is ready
#   scripts/cluster.sh status                  what runs, with ports and readiness
#   scripts/cluster.sh down                    SIGTERM every process (silos leave the membership table), stop PostgreSQL
#
# Gateway j (1-based) serves http://127.0.0.1:$((OZON_HTTP_PORT + j - 1)) (default 8080, 8081, ...); silo i serves its
# health on 127.0.0.1:$((OZON_SILO_HTTP_PORT + i - 1)) (default 8180, ...), Orleans on OZON_SILO_PORT+i-1 (11111, ...)
# and OZON_ORLEANS_GATEWAY_PORT+i-1 (30000, ...).
# Environment: OZON_CLUSTER_DIR (default .cluster: logs, pids, data), ConnectionStrings__Postgres (an existing server
# instead of a throwaway one), OZON_PG_PORT (default 55432), OZON_CLUSTER_CONFIGURATION (Release) and OZON_CLUSTER_BUILD
# (1; 0 runs what is built), ASPNETCORE_ENVIRONMENT (default Development: login codes at GET /api/dev/sms),
# Gateway__Jwt__SigningKey (default: a demo key shared by every gateway). Any other Orleans__*, Returns__*, ... variable
# reaches every process.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${OZON_CLUSTER_DIR:-$root/.cluster}
http_port=${OZON_HTTP_PORT:-8080}
silo_http_port=${OZON_SILO_HTTP_PORT:-8180}
pg_port=${OZON_PG_PORT:-55432}
silo_port=${OZON_SILO_PORT:-11111}
orleans_gateway_port=${OZON_ORLEANS_GATEWAY_PORT:-30000}
configuration=${OZON_CLUSTER_CONFIGURATION:-Release}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
as_postgres=()
[[ $(id -u) == 0 ]] && as_postgres=(runuser -u postgres --)

postgres_up() {
  if [[ -n ${ConnectionStrings__Postgres:-} ]]; then connection=$ConnectionStrings__Postgres; return; fi
  [[ -x $pg_bin/initdb ]] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)." >&2; exit 1; }
  mkdir -p "$dir/pg"
  # As root, the server runs as postgres, which must reach its folder.
  [[ ${#as_postgres[@]} == 0 ]] || { chmod o+x "$dir"; chown postgres:postgres "$dir/pg"; }
  if [[ ! -f $dir/pg/data/PG_VERSION ]]; then
    (cd /tmp && "${as_postgres[@]}" "$pg_bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 >/dev/null)
  fi
  if ! "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg/data" status >/dev/null 2>&1; then
    # Each silo or gateway opens at most 60 connections (state 40, reminders 16, membership 4).
    (cd /tmp && "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg/data" -w -l "$dir/pg/server.log" \
      -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null)
  fi
  connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
}

# True when the pid file names a live process of ours (a stale file's pid may belong to something else by now).
ours() { # pid file
  local pid
  [[ -f $1 ]] && pid=$(cat "$1") && [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'OzonActors\.'
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() { # name, project (Silo or Gateway), ports to check, extra environment...
  local name=$1 project=$2 ports=$3 port; shift 3
  if ours "$dir/$name.pid"; then return; fi
  for port in $ports; do
    if port_taken "$port"; then echo "$name: port $port on 127.0.0.1 is taken; choose other ports (see the header of $0)." >&2; exit 1; fi
  done
  env ConnectionStrings__Postgres="$connection" \
    ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
    Gateway__Jwt__SigningKey="${Gateway__Jwt__SigningKey:-cluster-demo-signing-key-0123456789abcdef}" \
    Orleans__AdvertisedIP=127.0.0.1 "$@" \
    setsid dotnet "$root/$project/bin/$configuration/net10.0/OzonActors.$project.dll" --contentRoot "$root/$project" \
    >"$dir/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

wait_ready() { # name, url
  for _ in $(seq 1 240); do
    ours "$dir/$1.pid" || { echo "$1 exited; see $dir/$1.log" >&2; return 1; }
    if curl -fsS -o /dev/null "$2/health/ready" 2>/dev/null; then echo "$1 ready at $2"; return 0; fi
    sleep 0.5
  done
  echo "$1 not ready after 120 s; see $dir/$1.log" >&2
  return 1
}

up() {
  local silos=${1:-2} gateways=${2:-2} i
  mkdir -p "$dir"
  if [[ ${OZON_CLUSTER_BUILD:-1} != 0 ]]; then
    dotnet build -c "$configuration" -v q -nologo Silo/Silo.csproj >/dev/null
    dotnet build -c "$configuration" -v q -nologo Gateway/Gateway.csproj >/dev/null
  fi
  postgres_up
  for ((i = 1; i <= silos; i++)); do
    start "silo$i" Silo "$((silo_http_port + i - 1)) $((silo_port + i - 1)) $((orleans_gateway_port + i - 1))" \
      ASPNETCORE_URLS="http://127.0.0.1:$((silo_http_port + i - 1))" \
      Orleans__SiloPort=$((silo_port + i - 1)) Orleans__GatewayPort=$((orleans_gateway_port + i - 1))
  done
  for ((i = 1; i <= gateways; i++)); do
    start "gateway$i" Gateway "$((http_port + i - 1))" \
      ASPNETCORE_URLS="http://127.0.0.1:$((http_port + i - 1))" Gateway__Silo=Client
  done
  for ((i = 1; i <= silos; i++)); do wait_ready "silo$i" "http://127.0.0.1:$((silo_http_port + i - 1))"; done
  for ((i = 1; i <= gateways; i++)); do wait_ready "gateway$i" "http://127.0.0.1:$((http_port + i - 1))"; done
}

status() {
  local pid_file name
  for pid_file in "$dir"/*.pid; do
    [[ -f $pid_file ]] || continue
    name=$(basename "$pid_file" .pid)
    if ours "$pid_file"; then echo "$name: running (pid $(cat "$pid_file"))"; else echo "$name: stopped"; fi
  done
  if [[ -x $pg_bin/pg_ctl && -f $dir/pg/data/PG_VERSION ]]; then
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg/data" status >/dev/null 2>&1 && echo "postgres: running on 127.0.0.1:$pg_port" || echo "postgres: stopped"
  fi
}

down() {
  local pid_file pid
  # Gateways first (they hold no grains), then silos: SIGTERM lets each silo hand its grains over and leave the table.
  for pid_file in "$dir"/gateway*.pid "$dir"/silo*.pid; do
    [[ -f $pid_file ]] || continue
    pid=$(cat "$pid_file")
    if ! ours "$pid_file"; then rm -f "$pid_file"; continue; fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pid_file"
  done
  if [[ -x $pg_bin/pg_ctl && -f $dir/pg/data/PG_VERSION ]]; then
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$dir/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
}

case ${1:-} in
  up) shift; up "$@" ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up [SILOS] [GATEWAYS] | status | down" >&2; exit 2 ;;
esac
