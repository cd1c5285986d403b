#!/usr/bin/env bash
# Installs the Debian packages routemap needs to build, test and render.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config
  libcairo2-dev libpango1.0-dev libproj-dev proj-data libshp-dev libjansson-dev
  fonts-dejavu-core fonts-noto-cjk
  libcmocka-dev librsvg2-bin poppler-utils python3 proj-bin
  clang clang-format valgrind git
  python3-pytest python3-distributed python3-venv python3-setuptools
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "routemap: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
