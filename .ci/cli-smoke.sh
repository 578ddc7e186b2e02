#!/usr/bin/env bash
# Run by .ci/run after its dotnet pack: installs the rootcx-vault tool from artifacts/packages into a temporary
# tool path as an operator would, and drives it on a temporary file store. Exits 0 when every step did what it says.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/rootcx-cli-smoke.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The package .ci/run's one dotnet pack wrote to artifacts/packages (packed here when run alone), at its version.
ls artifacts/packages/RootCx.Vault.Cli.*.nupkg >/dev/null 2>&1 || dotnet pack src/RootCx.Vault.Cli --nologo -v quiet >/dev/null
package=$(basename "$(ls artifacts/packages/RootCx.Vault.Cli.*.nupkg)" .nupkg)
dotnet tool install --tool-path "$work/tools" --add-source artifacts/packages --version "${package#RootCx.Vault.Cli.}" \
  RootCx.Vault.Cli >/dev/null
tool="$work/tools/rootcx-vault"

cd "$work"
export ROOTCX_VAULT_STORE="file:$work/store"
ROOTCX_MASTER_KEY=$("$tool" keygen)
export ROOTCX_MASTER_KEY
[[ "$ROOTCX_MASTER_KEY" =~ ^[0-9a-f]{64}$ ]] || { echo "cli smoke: keygen did not print 64 hex characters"; exit 1; }

value="smoke-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$value" | "$tool" set smoke-app SMOKE_TOKEN >"$work/set.out" 2>&1
"$tool" list smoke-app >"$work/list.out" 2>&1
grep -q '^SMOKE_TOKEN ' "$work/list.out" || { echo "cli smoke: list does not show SMOKE_TOKEN"; exit 1; }
"$tool" run --app smoke-app -- printenv SMOKE_TOKEN >"$work/run.out" 2>"$work/run.err"
[ "$(cat "$work/run.out")" = "$value" ] || { echo "cli smoke: run did not give the child SMOKE_TOKEN"; exit 1; }
"$tool" verify >"$work/verify.out" 2>&1 || { echo "cli smoke: verify failed"; cat "$work/verify.out"; exit 1; }

# A backup under a passphrase, restored into an empty store under another master key.
export ROOTCX_BACKUP_PASSPHRASE="smoke passphrase $(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$tool" export --out "$work/backup.rcxb" >"$work/export.out" 2>&1 || { echo "cli smoke: export failed"; cat "$work/export.out"; exit 1; }
restored=(--store "file:$work/restored")
restored_key=$("$tool" keygen)
ROOTCX_MASTER_KEY=$restored_key "$tool" import "$work/backup.rcxb" --mode merge "${restored[@]}" >"$work/import.out" 2>&1 \
  || { echo "cli smoke: import failed"; cat "$work/import.out"; exit 1; }
grep -q '1 added' "$work/import.out" || { echo "cli smoke: import did not add SMOKE_TOKEN"; cat "$work/import.out"; exit 1; }
ROOTCX_MASTER_KEY=$restored_key "$tool" run --app smoke-app "${restored[@]}" -- printenv SMOKE_TOKEN >"$work/restored.out" 2>"$work/restored.err"
[ "$(cat "$work/restored.out")" = "$value" ] || { echo "cli smoke: the restored store does not give the child SMOKE_TOKEN"; exit 1; }
if grep -qF "$value" "$work/backup.rcxb"; then
  echo "cli smoke: the value appears in the backup in the clear"
  exit 1
fi

# The tool's own output never holds the value (the child's printenv above is the one place it may appear).
if grep -qF "$value" "$work/set.out" "$work/list.out" "$work/run.err" "$work/verify.out" "$work/export.out" "$work/import.out" "$work/restored.err"; then
  echo "cli smoke: the value appeared in the tool's output"
  exit 1
fi
echo "cli smoke: keygen, set, list, run, verify, export and import passed"
