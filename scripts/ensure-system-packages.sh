#!/usr/bin/env bash
# Debian packages the tests need: Chromium (the report test opens the HTML in it; never a downloaded
# browser build), docker-compose (validates docker-compose.yml; no Docker engine is needed for that) and
# prometheus (the canary test scrapes the reference service with a real Prometheus; promtool ships with it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -eq 0 ]; then
  skip "chromium, docker-compose and prometheus (Debian packages)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup: missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
  exit 3
fi
install_packages() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
step "install ${missing[*]} from Debian (for the report, compose and canary tests)" install_packages
