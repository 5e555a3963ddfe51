#!/usr/bin/env bash
# Debian packages the tests need: fonts with broad script coverage (Arabic, Hebrew, CJK
# fallbacks) for the typography tests. Installed only when missing, and only where we may.
set -euo pipefail
wanted=(fonts-dejavu-core fonts-noto-core qpdf libcairo2 chromium)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Please install these Debian packages: ${missing[*]}" >&2
  exit 0
fi
echo "Installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
