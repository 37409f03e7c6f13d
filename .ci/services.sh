#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 for the test suite: start them when they are
# installed but stopped, install them with apt-get when absent (needs root, as on CI). As root,
# also install Debian's chromium (the payment pages' browser test drives /usr/bin/chromium).
set -euo pipefail

PG_PORT=5432
REDIS_PORT=6379

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "services: need root to run: $*" >&2; return 1; fi
}

pg_up() {
  python3 - "$PG_PORT" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
}

redis_up() {
  python3 - "$REDIS_PORT" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
try:
    s.connect(("127.0.0.1", int(sys.argv[1]))); s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)
PY
}

wait_for() {
  for _ in $(seq 1 30); do "$1" && return 0; sleep 1; done
  return 1
}

apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "services: installing PostgreSQL"
    apt_install postgresql
  fi
  echo "services: starting PostgreSQL"
  for version in $(ls /etc/postgresql); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  wait_for pg_up || { echo "services: PostgreSQL did not come up on 127.0.0.1:$PG_PORT" >&2; exit 1; }
  # A fresh Debian cluster wants a password over TCP; give the postgres role the one tests use.
  as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" || true
fi

if ! redis_up; then
  if ! command -v redis-server >/dev/null; then
    echo "services: installing Redis"
    apt_install redis-server
  fi
  echo "services: starting Redis"
  mkdir -p /tmp/tourdesk-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp/tourdesk-redis --logfile /tmp/tourdesk-redis/redis.log
  wait_for redis_up || { echo "services: Redis did not come up on 127.0.0.1:$REDIS_PORT" >&2; exit 1; }
fi

if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "services: installing chromium (and an emoji font) for the browser test"
  apt_install chromium fonts-noto-color-emoji || echo "services: chromium not installed" >&2
fi

echo "services: PostgreSQL and Redis are up on 127.0.0.1"
