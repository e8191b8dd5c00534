#!/usr/bin/env bash
# Minimal port of the official postgres image's docker-entrypoint.sh.
#
# Env: POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust),
#      POSTGRES_USER (default postgres; created as the bootstrap superuser),
#      POSTGRES_DB (default $POSTGRES_USER), POSTGRES_INITDB_ARGS,
#      POSTGRES_INITDB_WALDIR, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
#      PGDATA; *_FILE variants of POSTGRES_PASSWORD/USER/DB/INITDB_ARGS.
# First start: initdb, enables logical decoding (wal_level=logical,
# max_replication_slots=max_wal_senders=10), runs /docker-entrypoint-initdb.d/*
# (*.sh, *.sql, *.sql.gz, *.sql.xz, *.sql.zst) against a socket-only temporary
# server, then starts the real server with the given command
# (e.g. "postgres -c fsync=off"); "-c x=y" alone is treated as "postgres -c x=y".
set -Eeuo pipefail

file_env() {
  local var="$1" fileVar="${1}_FILE" def="${2:-}" val
  if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
    echo >&2 "error: both $var and $fileVar are set (but are exclusive)"; exit 1
  fi
  val="$def"
  if [ "${!var:-}" ]; then val="${!var}"; elif [ "${!fileVar:-}" ]; then val="$(< "${!fileVar}")"; fi
  export "$var"="$val"
  unset "$fileVar"
}

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

# Started as root (e.g. --user root): fix ownership, then drop to postgres.
if [ "$1" = 'postgres' ] && [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ "$1" != 'postgres' ]; then
  exec "$@"
fi

mkdir -p "$PGDATA"
chmod 0700 "$PGDATA" 2>/dev/null || :

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"

  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
    cat >&2 <<'EOM'
Error: Database is uninitialized and superuser password is not specified.
       Set POSTGRES_PASSWORD to a non-empty value for the superuser,
       or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password.
EOM
    exit 1
  fi

  if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
    POSTGRES_INITDB_ARGS="--waldir $POSTGRES_INITDB_WALDIR $POSTGRES_INITDB_ARGS"
  fi

  # --no-sync: test fixture, durability of the bootstrap is irrelevant and it saves time.
  # shellcheck disable=SC2086
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --encoding=UTF8 --no-sync $POSTGRES_INITDB_ARGS

  cat >> "$PGDATA/postgresql.conf" <<EOC

# ---- connect-aws-it test image defaults ----
listen_addresses = '*'
# logical decoding for CDC (Debezium / pgoutput); override with -c on the command line
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
max_connections = 200
jit = off
EOC
  {
    echo
    echo "# connect-aws-it test image: password auth from any host"
    echo "host all all all $POSTGRES_HOST_AUTH_METHOD"
    echo "host replication all all $POSTGRES_HOST_AUTH_METHOD"
  } >> "$PGDATA/pg_hba.conf"

  # Temporary server, unix socket only, so nothing can connect before init is done.
  export PGUSER="$POSTGRES_USER" PGPASSWORD="$POSTGRES_PASSWORD"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start

  psql_cmd=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --no-password)
  if [ "$POSTGRES_DB" != 'postgres' ]; then
    "${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
	CREATE DATABASE :"db" ;
	EOSQL
  fi
  psql_cmd+=(--dbname "$POSTGRES_DB")

  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then echo "$0: running $f"; "$f"
        else echo "$0: sourcing $f"; . "$f"; fi ;;
      *.sql)     echo "$0: running $f"; "${psql_cmd[@]}" -f "$f"; echo ;;
      *.sql.gz)  echo "$0: running $f"; gunzip -c "$f" | "${psql_cmd[@]}"; echo ;;
      *.sql.xz)  echo "$0: running $f"; xzcat "$f" | "${psql_cmd[@]}"; echo ;;
      *.sql.zst) echo "$0: running $f"; zstd -dc "$f" | "${psql_cmd[@]}"; echo ;;
      *)         echo "$0: ignoring $f" ;;
    esac
  done

  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  echo
  echo 'PostgreSQL init process complete; ready for start up.'
  echo
fi

exec "$@"
