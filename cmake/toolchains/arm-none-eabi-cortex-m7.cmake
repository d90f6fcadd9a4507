# Cortex-M7 (Armv7E-M, double-precision FPU: float and double in hardware), e.g.
# qemu-system-arm -M mps2-an500.
#   cmake -S tests/mcu -B build/mcu/m7 --toolchain $PWD/cmake/toolchains/arm-none-eabi-cortex-m7.cmake
set(CTNN_MCU_CPU_FLAGS -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard)
include(${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake)
