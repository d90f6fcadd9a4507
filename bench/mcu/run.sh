#!/usr/bin/env bash
# ctnn against emlearn on Cortex-M4 and M7 (bench/mcu/run.py): installs what it needs, then runs it.
#   bash bench/mcu/run.sh EMLEARN_CHECKOUT    # a checkout of github.com/emlearn/emlearn (or EMLEARN_DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/dependencies.sh
ctnn_require_packages libboost-dev gcc-arm-none-eabi libstdc++-arm-none-eabi-picolibc picolibc-arm-none-eabi \
  qemu-system-arm python3-sklearn python3-numpy
exec /usr/bin/python3 bench/mcu/run.py "$@"
