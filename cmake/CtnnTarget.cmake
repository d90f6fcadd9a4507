# The ctnn::ctnn INTERFACE target. Everything a user needs to train in the compiler and to get the
# same bits at runtime is set here, so linking the target is enough.

include(GNUInstallDirs)

add_library(ctnn INTERFACE)
add_library(ctnn::ctnn ALIAS ctnn)

# SYSTEM for a project that brings ctnn in with add_subdirectory(), so that its own warning flags
# (-Wuseless-cast, say) are for its code, as they are with find_package(ctnn), whose imported target
# is SYSTEM by default. Not in ctnn's own build: its tests must see every warning in its headers.
if(PROJECT_IS_TOP_LEVEL)
  set(ctnn_include_kind "")
else()
  set(ctnn_include_kind SYSTEM)
endif()
target_include_directories(ctnn ${ctnn_include_kind} INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_features(ctnn INTERFACE cxx_std_20)
target_link_libraries(ctnn INTERFACE Boost::headers)

# Budgets of the constant evaluators. The defaults (GCC: 2^25 operations and 2^18 iterations per
# loop; Clang: 2^20 steps) stop a training run after a few hundred epochs; these let a run go for
# as long as the user is willing to wait.
set(CTNN_GCC_CONSTEXPR_OPS_LIMIT 68719476736 CACHE STRING "-fconstexpr-ops-limit for GCC users of ctnn::ctnn")
set(CTNN_GCC_CONSTEXPR_LOOP_LIMIT 2147483647 CACHE STRING "-fconstexpr-loop-limit for GCC users of ctnn::ctnn")
set(CTNN_CLANG_CONSTEXPR_STEPS 4294967295 CACHE STRING "-fconstexpr-steps for Clang users of ctnn::ctnn")

# Bit-identical results between compile time and runtime need every operation rounded on its own:
# no fused multiply-add contraction (GCC contracts by default in every C++ mode, Clang under
# -march with FMA), no fast-math reassociation (rejected by a #error in ctnn/detail/config.hpp).
# -fno-trapping-math (Clang's default) lets GCC's constant evaluator produce an infinity, so that a
# training run that diverges in the compiler reaches ctnn's own error, which names the problem,
# instead of stopping at the first overflowing multiplication; it changes no value.
target_compile_options(ctnn INTERFACE
  $<$<CXX_COMPILER_ID:GNU>:-fno-trapping-math>
  $<$<CXX_COMPILER_ID:GNU>:-fconstexpr-ops-limit=${CTNN_GCC_CONSTEXPR_OPS_LIMIT}>
  $<$<CXX_COMPILER_ID:GNU>:-fconstexpr-loop-limit=${CTNN_GCC_CONSTEXPR_LOOP_LIMIT}>
  $<$<CXX_COMPILER_ID:Clang,AppleClang>:-fconstexpr-steps=${CTNN_CLANG_CONSTEXPR_STEPS}>
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-ffp-contract=off>
  # Clang announces none of these in a macro, so ctnn/detail/config.hpp cannot refuse them there:
  # switch them back off after any global flags (-funsafe-math-optimizations turns on the first two).
  $<$<CXX_COMPILER_ID:Clang,AppleClang>:-fno-associative-math>
  $<$<CXX_COMPILER_ID:Clang,AppleClang>:-fno-reciprocal-math>
  $<$<CXX_COMPILER_ID:Clang,AppleClang>:-fno-approx-func>
  $<$<CXX_COMPILER_ID:Clang,AppleClang>:-fsigned-zeros>)
