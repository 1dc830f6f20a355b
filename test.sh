#!/usr/bin/env bash
# KeyProjects: the whole test suite, with every set-up step it needs on a fresh Debian machine.
#   - Chromium for the browser tests (Debian package; Playwright drives it, it never downloads a browser), and CJK fonts
#   - PostgreSQL 15 server binaries (tests start a throwaway cluster from them unless
#     KEYPROJECTS_TEST_POSTGRES names a server or a Docker engine answers for Testcontainers)
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# Chinese fonts, so the browser tests' screenshots show the pages as users read them.
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
# systemd-analyze, to verify the deployment kit's units; Compose, to validate its compose file (no engine needed).
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
# openssl, which deploy/make-key-certificate.sh uses to make the key ring's certificate (tested as the README runs it).
command -v openssl >/dev/null 2>&1 || need+=(openssl)
compose=()
docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 || compose+=(docker-compose)
if [ $((${#need[@]} + ${#compose[@]})) -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing ${need[*]} ${compose[*]}: run as root, or install them first." >&2
    exit 1
  fi
  echo "Installing ${need[*]} ${compose[*]}…"
  apt-get update -qq
  [ ${#need[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  # Compose without the container engine it recommends: the file is only validated here.
  [ ${#compose[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${compose[@]}" >/dev/null
fi

dotnet build KeyProjects.sln -c Release -warnaserror -nologo -clp:NoSummary
dotnet test KeyProjects.sln -c Release --no-build --nologo --logger "console;verbosity=normal" "$@"
