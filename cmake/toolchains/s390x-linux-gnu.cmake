# IBM Z, big-endian (Debian: g++-s390x-linux-gnu, qemu-user).
#   cmake -S tests/cross -B build/cross-s390x --toolchain $PWD/cmake/toolchains/s390x-linux-gnu.cmake
set(CMAKE_SYSTEM_PROCESSOR s390x)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
