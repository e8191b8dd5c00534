#!/usr/bin/env bash
# Minimal port of the official mariadb image's docker-entrypoint.sh.
#
# Env (MARIADB_* wins over the MYSQL_* alias; *_FILE variants are read from files):
#   MARIADB_ROOT_PASSWORD / MYSQL_ROOT_PASSWORD
#   MARIADB_ALLOW_EMPTY_ROOT_PASSWORD / MYSQL_ALLOW_EMPTY_PASSWORD (also MYSQL_ALLOW_EMPTY_ROOT_PASSWORD)
#   MARIADB_RANDOM_ROOT_PASSWORD / MYSQL_RANDOM_ROOT_PASSWORD
#   MARIADB_ROOT_HOST (default %), MARIADB_DATABASE / MYSQL_DATABASE,
#   MARIADB_USER / MYSQL_USER, MARIADB_PASSWORD / MYSQL_PASSWORD
#   IT_CDC_USER_GRANTS: global privileges for the created user (CDC/Debezium),
#     default "SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT,
#     BINLOG MONITOR, REPLICATION MASTER ADMIN"; set to "" to skip.
# First start: mariadb-install-db, then a socket-only temporary server applies the
# users/database and /docker-entrypoint-initdb.d/* (*.sh, *.sql, *.sql.gz, *.sql.xz,
# *.sql.zst), then the real server is exec'd. "--opt=x" alone means "mariadbd --opt=x".
set -Eeuo pipefail

log() { printf '%s [Note] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*"; }
err() { printf '%s [ERROR] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$*" >&2; exit 1; }

# file_env VAR [default]: VAR, else VAR_FILE, else MYSQL_ alias (and its _FILE), else default
file_env() {
  local var="$1" mysqlVar="${1/#MARIADB_/MYSQL_}" val="${2:-}"
  if [ -n "${!var:-}" ]; then val="${!var}"
  elif [ -n "$(eval echo "\${${var}_FILE:-}")" ]; then val="$(< "$(eval echo "\${${var}_FILE}")")"
  elif [ "$mysqlVar" != "$var" ] && [ -n "${!mysqlVar:-}" ]; then val="${!mysqlVar}"
  elif [ "$mysqlVar" != "$var" ] && [ -n "$(eval echo "\${${mysqlVar}_FILE:-}")" ]; then val="$(< "$(eval echo "\${${mysqlVar}_FILE}")")"
  fi
  export "$var"="$val"
}

if [ "${1:0:1}" = '-' ]; then
  set -- mariadbd "$@"
fi
case "$1" in mysqld|mariadbd) ;; *) exec "$@" ;; esac

# Started as root (e.g. --user root): fix ownership, then drop to mysql.
if [ "$(id -u)" = '0' ]; then
  mkdir -p /var/lib/mysql /run/mysqld
  chown -R mysql:mysql /var/lib/mysql /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$BASH_SOURCE" "$@"
fi

# Effective server settings (datadir/socket) after all config files and arguments.
DATADIR="$("$1" "${@:2}" --verbose --help 2>/dev/null | awk '$1 == "datadir" { print $2; exit }')"
SOCKET="$("$1" "${@:2}" --verbose --help 2>/dev/null | awk '$1 == "socket" { print $2; exit }')"
DATADIR="${DATADIR:-/var/lib/mysql/}"
SOCKET="${SOCKET:-/run/mysqld/mysqld.sock}"

if [ ! -d "$DATADIR/mysql" ]; then
  file_env MARIADB_ROOT_PASSWORD
  file_env MARIADB_ALLOW_EMPTY_ROOT_PASSWORD
  [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -n "${MYSQL_ALLOW_EMPTY_PASSWORD:-}" ] \
    && MARIADB_ALLOW_EMPTY_ROOT_PASSWORD="$MYSQL_ALLOW_EMPTY_PASSWORD"
  [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -n "${MYSQL_ALLOW_EMPTY_ROOT_PASSWORD:-}" ] \
    && MARIADB_ALLOW_EMPTY_ROOT_PASSWORD="$MYSQL_ALLOW_EMPTY_ROOT_PASSWORD"
  file_env MARIADB_RANDOM_ROOT_PASSWORD
  file_env MARIADB_ROOT_HOST '%'
  file_env MARIADB_DATABASE
  file_env MARIADB_USER
  file_env MARIADB_PASSWORD
  if [ -z "${IT_CDC_USER_GRANTS+x}" ]; then
    IT_CDC_USER_GRANTS='SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR, REPLICATION MASTER ADMIN'
  fi

  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    err 'Database is uninitialized and password option is not specified
	You need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
  fi
  if [ "$MARIADB_USER" = 'root' ]; then
    err 'MARIADB_USER="root", MARIADB_USER and MARIADB_PASSWORD are for configuring a regular user and cannot be used for the root user'
  fi
  if [ -n "$MARIADB_USER" ] && [ -z "$MARIADB_PASSWORD" ]; then
    log 'Warning: MARIADB_USER has been specified without a password; it will have no password'
  fi

  log "Initializing database files"
  mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
    --skip-test-db --skip-log-bin --old-mode='UTF8_IS_UTF8MB3' --default-time-zone=SYSTEM \
    --enforce-storage-engine= --expire-logs-days=0 --cross-bootstrap --skip-name-resolve \
    --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0 \
    "${@:2}" > /dev/null
  log "Database files initialized"

  log "Starting temporary server"
  "$@" --skip-networking --default-time-zone=SYSTEM --socket="$SOCKET" --wsrep_on=OFF \
    --expire-logs-days=0 --skip-slave-start --loose-innodb_buffer_pool_load_at_startup=0 \
    --skip-ssl --ssl-cert='' --ssl-key='' --ssl-ca='' &
  TEMP_PID=$!
  mariadb_cmd=(mariadb --protocol=socket --socket="$SOCKET" -uroot --database=mysql --skip-ssl)
  for i in $(seq 300); do
    "${mariadb_cmd[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$TEMP_PID" 2>/dev/null || err 'temporary server exited during start-up'
    sleep 0.1
  done
  log "Temporary server started."

  sql_escape() { sed -e "s/\\\\/\\\\\\\\/g" -e "s/'/\\\\'/g" <<<"$1"; }
  rootPw="$MARIADB_ROOT_PASSWORD"
  if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
    rootPw="$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true)"
    log "GENERATED ROOT PASSWORD: $rootPw"
  fi
  rootPwEsc="$(sql_escape "$rootPw")"
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DELETE FROM mysql.user WHERE user NOT IN ('mysql.sys', 'mariadb.sys', 'root') OR host NOT IN ('localhost');"
    echo "SET PASSWORD FOR 'root'@'localhost'=PASSWORD('${rootPwEsc}');"
    if [ "$MARIADB_ROOT_HOST" != 'localhost' ]; then
      echo "CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY '${rootPwEsc}';"
      echo "GRANT ALL ON *.* TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
      echo "GRANT PROXY ON ''@'%' TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
    fi
    echo "DROP DATABASE IF EXISTS test;"
    if [ -n "$MARIADB_DATABASE" ]; then
      echo "CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\`;"
    fi
    if [ -n "$MARIADB_USER" ]; then
      echo "CREATE USER '$(sql_escape "$MARIADB_USER")'@'%' IDENTIFIED BY '$(sql_escape "$MARIADB_PASSWORD")';"
      if [ -n "$IT_CDC_USER_GRANTS" ]; then
        echo "GRANT ${IT_CDC_USER_GRANTS} ON *.* TO '$(sql_escape "$MARIADB_USER")'@'%';"
      fi
      if [ -n "$MARIADB_DATABASE" ]; then
        echo "GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$(sql_escape "$MARIADB_USER")'@'%';"
      fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | "${mariadb_cmd[@]}"

  # From here on root has its password.
  export MYSQL_PWD="$rootPw"
  db_cmd=(mariadb --protocol=socket --socket="$SOCKET" -uroot --skip-ssl ${MARIADB_DATABASE:+--database="$MARIADB_DATABASE"})
  for f in /docker-entrypoint-initdb.d/*; do
    [ -e "$f" ] || continue
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then log "$0: running $f"; "$f"
        else log "$0: sourcing $f"; . "$f"; fi ;;
      *.sql)     log "$0: running $f"; "${db_cmd[@]}" < "$f" ;;
      *.sql.gz)  log "$0: running $f"; gunzip -c "$f" | "${db_cmd[@]}" ;;
      *.sql.xz)  log "$0: running $f"; xzcat "$f" | "${db_cmd[@]}" ;;
      *.sql.zst) log "$0: running $f"; zstd -dc "$f" | "${db_cmd[@]}" ;;
      *)         log "$0: ignoring $f" ;;
    esac
  done

  log "Stopping temporary server"
  mariadb --protocol=socket --socket="$SOCKET" -uroot --skip-ssl -e 'SHUTDOWN' \
    || kill "$TEMP_PID"
  wait "$TEMP_PID" || true
  unset MYSQL_PWD
  log "Temporary server stopped"
  echo
  log "MariaDB init process done. Ready for start up."
  echo
fi

exec "$@"
