#!/usr/bin/env bash
# What the benchmarks compare against: ImageMagick and Inkscape (Debian), installed when missing.
set -euo pipefail
missing=()
for pkg in imagemagick inkscape; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing ${missing[*]} (apt-get install): those comparisons are skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
