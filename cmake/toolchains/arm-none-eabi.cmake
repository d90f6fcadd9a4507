# Shared by the Cortex-M toolchain files next to it, which set CTNN_MCU_CPU_FLAGS and include this:
# bare-metal Arm with Debian's gcc-arm-none-eabi and picolibc (Debian: gcc-arm-none-eabi,
# libstdc++-arm-none-eabi-picolibc, picolibc-arm-none-eabi). Programs print through semihosting and
# run under qemu-system-arm -semihosting (Debian: qemu-system-arm); on a real board, link another
# crt0 and oslib. Where code and data go is the board's business: a linker script that sets
# __flash, __flash_size, __ram, __ram_size and __stack_size, then INCLUDEs picolibcpp.ld
# (tests/mcu/boards/ has QEMU's boards), given with -T.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)

# picolibc's C and C++ libraries (the specs file picks the multilib of the CPU flags) on the compile
# and the link line; printf, exit and a vector table through crt0-semihost.
string(JOIN " " ctnn_mcu_flags ${CTNN_MCU_CPU_FLAGS} -mthumb --specs=picolibcpp.specs)
set(CMAKE_C_FLAGS_INIT "${ctnn_mcu_flags}")
set(CMAKE_CXX_FLAGS_INIT "${ctnn_mcu_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--oslib=semihost --crt0=semihost")

# Headers, libraries and packages of the target only: the build machine's would not fit.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
