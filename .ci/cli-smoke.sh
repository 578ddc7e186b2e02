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

# migrate: the file store to a fresh database on the PostgreSQL server .ci/run started, with no master key, then verify
# there with the key. Self-contained: it checks its own output for the value.
if [ -n "${ROOTCX_VAULT_POSTGRESQL:-}" ]; then
  pg() { sed -n "s/.*$1=\([^;]*\).*/\1/p" <<<"$ROOTCX_VAULT_POSTGRESQL"; }
  pg_database="rcx_cli_smoke_$$"
  psql "host=$(pg Host) port=$(pg Port) user=$(pg Username) dbname=$(pg Database)" -qc "CREATE DATABASE $pg_database;" >/dev/null
  pg_target="postgresql:${ROOTCX_VAULT_POSTGRESQL/Database=$(pg Database)/Database=$pg_database}"
  env -u ROOTCX_MASTER_KEY "$tool" migrate --to "$pg_target" >"$work/migrate.out" 2>&1 \
    || { echo "cli smoke: migrate to PostgreSQL failed"; cat "$work/migrate.out"; exit 1; }
  grep -q '1 copied, 0 already in the target; 0 problem(s)' "$work/migrate.out" || { echo "cli smoke: migrate did not copy the secret"; cat "$work/migrate.out"; exit 1; }
  "$tool" verify --store "$pg_target" >"$work/migrate-verify.out" 2>&1 \
    || { echo "cli smoke: verify after migrate failed"; cat "$work/migrate-verify.out"; exit 1; }
  if grep -qF "$value" "$work/migrate.out" "$work/migrate-verify.out"; then
    echo "cli smoke: the value appeared in migrate's output"
    exit 1
  fi
  echo "cli smoke: migrate to PostgreSQL and verify there passed"
fi

# The tool's own output never holds the value (the child's printenv above is the one place it may appear).
if grep -qF "$value" "$work/set.out" "$work/list.out" "$work/run.err" "$work/verify.out" "$work/export.out" "$work/import.out" "$work/restored.err"; then
  echo "cli smoke: the value appeared in the tool's output"
  exit 1
fi
echo "cli smoke: keygen, set, list, run, verify, export and import passed"
