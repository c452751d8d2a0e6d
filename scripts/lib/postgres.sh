# shellcheck shell=bash
# A throw-away PostgreSQL server: a temporary data directory owned by an unprivileged user, listening on
# 127.0.0.1 only, on a free port. Used by scripts/test.sh (tests) and bench/ (PostgreSQL runs).
#
#   source scripts/lib/postgres.sh
#   start_postgres [server options...]   # sets PG_CONNECTION (database "postgres"), PG_BIN, PG_DIR, PG_PORT
#   create_database NAME                 # prints a connection string for a new empty database
#   stop_postgres                        # stops the server and deletes its files

# Debian keeps pg_ctl and initdb in /usr/lib/postgresql/<version>/bin, off the PATH.
pg_bin() { local d found=""; for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && found="$d"; done; echo "$found"; }

PG_RUN=()
start_postgres() {
  local password
  PG_BIN="$(pg_bin)"
  [ -n "$PG_BIN" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; return 1; }
  PG_DIR="$(mktemp -d /tmp/jobgateway-pg.XXXXXX)"
  PG_RUN=()
  if [ "$(id -u)" = 0 ]; then
    # The server refuses to run as root.
    local user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$PG_DIR"
    PG_RUN=(runuser -u "$user" --)
  fi
  chmod 700 "$PG_DIR"
  password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  PG_PORT="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))"
  echo "$password" > "$PG_DIR/pwfile"
  [ ${#PG_RUN[@]} -eq 0 ] || chown "${PG_RUN[2]}" "$PG_DIR/pwfile"
  (cd "$PG_DIR" && "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U jobgateway --pwfile="$PG_DIR/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1) \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  (cd "$PG_DIR" && "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-k $PG_DIR -h 127.0.0.1 -p $PG_PORT -c max_connections=300 $*" start >/dev/null) \
    || { cat "$PG_DIR/server.log"; return 1; }
  PG_PASSWORD="$password"
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=jobgateway;Password=$password;Database=postgres"
  echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DIR)" >&2
}

create_database() {
  (cd "$PG_DIR" && "${PG_RUN[@]}" "$PG_BIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U jobgateway "$1") >&2
  echo "Host=127.0.0.1;Port=$PG_PORT;Username=jobgateway;Password=$PG_PASSWORD;Database=$1"
}

stop_postgres() {
  [ -n "${PG_DIR:-}" ] || return 0
  (cd "$PG_DIR" && "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1) || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
