#!/usr/bin/env bash
# The report tests open the HTML in Debian's Chromium (never a downloaded browser build).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [ -x /usr/bin/chromium ]; then
  skip "chromium (/usr/bin/chromium)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup: /usr/bin/chromium is missing and this is not root; install it with: sudo apt-get install chromium" >&2
  exit 3
fi
install_chromium() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
}
step "install chromium from Debian (for the report tests)" install_chromium
