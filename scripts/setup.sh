#!/usr/bin/env bash
# Install what Bulkhead needs on Debian 12, once. Idempotent: packages that are
# present are skipped; says what it installs. Works as root or through sudo.
#   scripts/setup.sh         what make, make run and make test need
#   scripts/setup.sh prove   only the formal-analysis tools make prove needs
#                            (Frama-C and the provers WP hands goals to)
set -euo pipefail

PACKAGES=(
  make clang-19 lld-19 llvm-19 gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
  qemu-system-arm libcmocka-dev device-tree-compiler libfdt-dev python3
  libclang-rt-19-dev cppcheck spin gcc e2fsprogs libc6-dev-arm64-cross
)
if [ "${1:-}" = prove ]; then
  PACKAGES=(frama-c-base why3 cvc4 z3)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
