# Sourced by the run-*.sh scripts: makes sure the Debian packages ctnn's build needs are installed,
# installing them when this shell may (root, or sudo without a password), and otherwise saying
# exactly what to install.

ctnn_require_packages() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local runner=()
  if [ "$(id -u)" -eq 0 ]; then
    runner=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    runner=(sudo -n)
  else
    echo "ctnn: missing Debian packages: ${missing[*]}" >&2
    echo "ctnn: install them with:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "ctnn: installing ${missing[*]}"
  "${runner[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${runner[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
