# 64-bit Arm, little-endian (Debian: g++-aarch64-linux-gnu, qemu-user).
#   cmake -S tests/cross -B build/cross-aarch64 --toolchain $PWD/cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_PROCESSOR aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
