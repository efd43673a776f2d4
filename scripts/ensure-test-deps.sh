#!/usr/bin/env bash
# The tests use a real redis-server and a real headless Chromium (Debian packages). Install what is missing
# when we can (root or sudo with apt-get); otherwise say exactly what to install. Cheap when all is present.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need: ${missing[*]} (Debian package names). Install them and run again." >&2
  exit 1
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "The tests need: ${missing[*]}. Run: apt-get install -y ${missing[*]} (as root)" >&2
    exit 1
  fi
  sudo_cmd="sudo"
fi
echo "Installing what the tests need: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
