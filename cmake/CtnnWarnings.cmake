# Warnings for ctnn's own tests, examples and benchmarks (not pushed onto users of ctnn::ctnn).
option(CTNN_WARNINGS_AS_ERRORS "Treat warnings in ctnn's own targets as errors" ${PROJECT_IS_TOP_LEVEL})

add_library(ctnn_warnings INTERFACE)
target_compile_options(ctnn_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wpedantic -Wconversion -Wshadow>
  $<$<BOOL:${CTNN_WARNINGS_AS_ERRORS}>:-Werror>)
