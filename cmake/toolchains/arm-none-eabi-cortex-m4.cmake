# Cortex-M4F (Armv7E-M, single-precision FPU: float in hardware, double in software), e.g.
# qemu-system-arm -M mps2-an386.
#   cmake -S tests/mcu -B build/mcu/m4 --toolchain $PWD/cmake/toolchains/arm-none-eabi-cortex-m4.cmake
set(CTNN_MCU_CPU_FLAGS -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake)
