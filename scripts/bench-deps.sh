#!/usr/bin/env bash
# What the benchmarks compare against: ImageMagick (Debian). Installed when missing and allowed.
set -euo pipefail
if dpkg-query -W -f='${Status}' imagemagick 2>/dev/null | grep -q "install ok installed"; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "ImageMagick is missing (apt-get install imagemagick): the render comparison is skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends imagemagick >/dev/null
