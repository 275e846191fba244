#!/usr/bin/env bash
# Takes docs/dashboard.png, the README's picture of the Orleans Dashboard: starts a co-hosted gateway (in-memory storage)
# on free loopback ports, sends it login-code traffic, and photographs /dashboard/ with the system Chromium
# (tests/browser/dashboard-screenshot.mjs) while the traffic runs. Usage: scripts/dashboard-screenshot.sh [file.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/dashboard.png}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

dotnet build Gateway -nologo -v q >/dev/null
(cd tests/browser && { [[ -d node_modules/playwright-core ]] || npm ci --no-audit --no-fund >/dev/null; })

base=http://127.0.0.1:$(free_port)
log=$(mktemp)
ASPNETCORE_ENVIRONMENT=Development Orleans__SiloPort=$(free_port) Orleans__GatewayPort=$(free_port) \
  Orleans__AdvertisedIP=127.0.0.1 OzonId__MaxSendsPerAddressPerHour=100000 \
  dotnet Gateway/bin/Debug/net10.0/OzonActors.Gateway.dll --urls "$base" --contentRoot "$PWD/Gateway" >"$log" 2>&1 &
gateway=$!
traffic=""
trap 'kill $traffic $gateway 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 300); do curl -fs -o /dev/null "$base/health/ready" && break; kill -0 $gateway 2>/dev/null || break; sleep 0.2; done
curl -fs -o /dev/null "$base/health/ready" || { cat "$log"; exit 1; }

# Code requests and reads of the dev outbox, about ten a second, for two minutes at most.
(for i in $(seq 1200); do
  phone=7999$(printf %07d "$i")
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\",\"channel\":\"Sms\"}" "$base/api/auth/code"
  curl -s -o /dev/null "$base/api/dev/sms?phone=$phone"
  sleep 0.1
done) &
traffic=$!
node tests/browser/dashboard-screenshot.mjs "$base/" dev-internal-key "$out"
echo "$out"
