# Sourced by .ci/run (and by hand before the PostgreSQL benchmarks): starts a throwaway PostgreSQL cluster on
# 127.0.0.1 and a random high port, exports ROOTCX_VAULT_POSTGRESQL, and stops and deletes the cluster on exit.
# Installs Debian's postgresql package when no server binaries are present. The server refuses to run as root, so
# as root it runs as the postgres user.

start_throwaway_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null || return 1
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi

  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  ROOTCX_PG_DIR=$(mktemp -d /tmp/rootcx-pg.XXXXXX)
  ROOTCX_PG_CTL=("${as[@]}" "$bin/pg_ctl" -D "$ROOTCX_PG_DIR/data")
  trap stop_throwaway_postgres EXIT
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$ROOTCX_PG_DIR"
  "${as[@]}" "$bin/initdb" -D "$ROOTCX_PG_DIR/data" --auth=trust -E UTF8 --locale=C -U postgres >/dev/null || return 1

  local port attempt
  for attempt in 1 2 3; do
    port=$((20000 + RANDOM % 20000))
    if "${ROOTCX_PG_CTL[@]}" -l "$ROOTCX_PG_DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $ROOTCX_PG_DIR" start >/dev/null; then
      export ROOTCX_VAULT_POSTGRESQL="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      return 0
    fi
  done
  return 1
}

stop_throwaway_postgres() {
  "${ROOTCX_PG_CTL[@]}" -m fast stop >/dev/null 2>&1
  rm -rf "$ROOTCX_PG_DIR"
}
