#!/usr/bin/env bash
# Self-contained builds for servers without .NET installed: linux-x64 and linux-arm64 (Kunpeng / Phytium).
#   deploy/publish.sh            → out/publish/{linux-x64,linux-arm64}/{silo,web}
set -euo pipefail
cd "$(dirname "$0")/.."
for rid in linux-x64 linux-arm64; do
  for project in Silo Web; do
    dotnet publish "src/$project" -c Release -r "$rid" --self-contained true -p:PublishSingleFile=false \
      -o "out/publish/$rid/${project,,}" --nologo
  done
done
echo "Published to out/publish/"
