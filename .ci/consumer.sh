#!/usr/bin/env bash
# Run by .ci/run after its one dotnet pack: checks what each package in artifacts/packages carries
# (.ci/check_packages.py), then restores tests/consumer, an ASP.NET Core host outside the solution that takes the
# packages by PackageReference, into a throwaway NuGet packages folder (so no cached package of the same version can
# stand in for what was just packed), and runs it on the file store and, when ROOTCX_VAULT_POSTGRESQL is set, on
# PostgreSQL. Exits 0 when every step passed.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 .ci/check_packages.py .

version=$(basename "$(ls artifacts/packages/RootCx.Vault.[0-9]*.nupkg)" .nupkg)
version=${version#RootCx.Vault.}

work=$(mktemp -d /tmp/rootcx-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES="$work/nuget-packages"

# A restore left from another version or packages folder must not be reused.
rm -rf tests/consumer/obj tests/consumer/bin
dotnet build tests/consumer -c Release -p:RootCxVaultVersion="$version" --nologo -v quiet -o "$work/bin" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log"; echo "consumer: restore or build from artifacts/packages failed"; exit 1; }

mkdir -p "$work/file"
dotnet "$work/bin/RootCx.Vault.Consumer.dll" file "$work/file"
if [ -n "${ROOTCX_VAULT_POSTGRESQL:-}" ]; then
  mkdir -p "$work/postgresql"
  dotnet "$work/bin/RootCx.Vault.Consumer.dll" postgresql "$work/postgresql"
else
  echo "consumer: ROOTCX_VAULT_POSTGRESQL is not set, so the PostgreSQL run is left out"
fi
