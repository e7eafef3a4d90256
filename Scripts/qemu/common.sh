# SPDX-License-Identifier: Apache-2.0
# Shared by the Scripts/qemu tools (sourced, not run): paths, messages, package installation.

qemu_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$qemu_dir/../.." && pwd)
# Kernel builds are kept outside the clone, so a fresh clone or `git clean` does not lose them.
cache_dir=${RIG_CACHE_DIR:-${RIG_CACHE:-$HOME/.cache/rig}}/qemu
# The initramfs and console logs belong to this clone's build.
work_dir=${RIG_QEMU_WORK:-$repo_dir/.build/qemu}

say() { printf '\033[1m%s:\033[0m %s\n' "$tool" "$*" >&2; }
fail() { say "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root to run: $* (install sudo or run as root)"
  fi
}

# Installs the Debian packages given that are not installed yet (no recommends: the tier
# needs no GUI or firmware extras).
need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]} failed"
}

use_swift() {
  if ! command -v swift >/dev/null; then
    for dir in "$HOME/.local/share/swiftly/bin" /opt/swift/usr/bin; do
      [ -x "$dir/swift" ] && export PATH="$dir:$PATH"
    done
  fi
  command -v swift >/dev/null || fail "swift not found: run Scripts/setup first"
}
