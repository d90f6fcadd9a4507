# Cortex-M3 (Armv7-M, no FPU: float and double in software), e.g. qemu-system-arm -M lm3s6965evb.
#   cmake -S tests/mcu -B build/mcu/m3 --toolchain $PWD/cmake/toolchains/arm-none-eabi-cortex-m3.cmake
set(CTNN_MCU_CPU_FLAGS -mcpu=cortex-m3 -mfloat-abi=soft)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake)
