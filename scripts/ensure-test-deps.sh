#!/usr/bin/env bash
# The tests use a real redis-server, a real Mosquitto, a real PostgreSQL, a real headless Chromium and the
# offline speech tools (pocketsphinx, espeak-ng, sox) (Debian packages). Install
# what is missing when we can (root or sudo with apt-get); otherwise say exactly what to install. Then make
# sure PostgreSQL runs and lets the tests in as `postgres` on 127.0.0.1:5432 without a password. Cheap when
# all is present and running.
set -euo pipefail

sudo_cmd=""
need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "$1 (as root)" >&2
      exit 1
    fi
    sudo_cmd="sudo"
  fi
}

install_missing() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  [ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null 2>&1 || missing+=(mosquitto)
  # Offline speech: recogniser, its US English model, synthesiser, audio conversion.
  command -v pocketsphinx_continuous >/dev/null 2>&1 || missing+=(pocketsphinx)
  [ -f /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict ] || missing+=(pocketsphinx-en-us)
  command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
  command -v sox >/dev/null 2>&1 || missing+=(sox)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "The tests need: ${missing[*]} (Debian package names). Install them and run again." >&2
    exit 1
  fi
  need_root "The tests need: ${missing[*]}. Run: apt-get install -y ${missing[*]}"
  echo "Installing what the tests need: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

postgres_answers() {
  psql -h 127.0.0.1 -p 5432 -U postgres -w -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1
}

# The newest cluster Debian's postgresql-common created (e.g. /etc/postgresql/15/main).
postgres_version() {
  ls -d /etc/postgresql/*/main 2>/dev/null | sed -E 's#/etc/postgresql/([^/]+)/main#\1#' | sort -V | tail -n 1
}

ensure_postgres() {
  postgres_answers && return 0
  local version
  version="$(postgres_version)"
  if [ -z "$version" ]; then
    echo "PostgreSQL is installed but has no cluster: run pg_createcluster <version> main --start" >&2
    exit 1
  fi
  need_root "PostgreSQL $version is not answering on 127.0.0.1:5432 as postgres. Start it with: pg_ctlcluster $version main start"
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Test machines only: let `postgres` in from loopback without a password, as the tests expect.
  if ! $sudo_cmd grep -Eq '^host[[:space:]]+all[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    echo "Trusting postgres on 127.0.0.1 in $hba (test machine)"
    $sudo_cmd sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  fi
  if $sudo_cmd pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    $sudo_cmd pg_ctlcluster "$version" main reload
  else
    echo "Starting PostgreSQL $version"
    $sudo_cmd pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 50); do
    postgres_answers && return 0
    sleep 0.2
  done
  echo "PostgreSQL $version did not answer on 127.0.0.1:5432 as postgres; see /var/log/postgresql/" >&2
  exit 1
}

install_missing
ensure_postgres
