# cmake -D CXX=g++ -D "FLAGS=..." -D SOURCE_DIR=... -D BINARY_DIR=... -P runtime_only.cmake
#
# Guards the runtime_only() barrier (include/ctnn/detail/runtime_only.hpp) where GCC shows it: compiles
# probes.cpp at -O2 with -fdump-tree-original (the function bodies after the front end's folding) and
# requires that each probe still calls the ctnn function, instead of returning the constant GCC would
# have folded it into. fit() is not foldable by GCC 12 even without its barrier (its body reaches
# std::is_constant_evaluated() after the data check), so for fit the barrier's line is checked in
# the source.
set(dump ${BINARY_DIR}/probes.original)
file(REMOVE ${dump})
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
execute_process(
  COMMAND ${CXX} ${flags} -std=c++20 -O2 -I${SOURCE_DIR}/include -c ${SOURCE_DIR}/tests/runtime_only/probes.cpp
          -o ${BINARY_DIR}/probes.o -fdump-tree-original=${dump}
  RESULT_VARIABLE result ERROR_VARIABLE errors)
if(NOT result EQUAL 0 OR NOT EXISTS ${dump})
  message(FATAL_ERROR "compiling probes.cpp failed:\n${errors}")
endif()
file(READ ${dump} text)

# probe name | what its body must still call
foreach(entry
    "probe_initialized|ctnn::initialized<"
    "probe_predict|>::predict ("
    "probe_evaluate|ctnn::evaluate<"
    "probe_confusion_matrix|ctnn::confusion_matrix<")
  string(REPLACE "|" ";" entry "${entry}")
  list(GET entry 0 probe)
  list(GET entry 1 call)
  string(FIND "${text}" " ${probe}() " start)
  if(start EQUAL -1)
    message(FATAL_ERROR "${probe} is not in the dump")
  endif()
  string(SUBSTRING "${text}" ${start} -1 rest)
  string(FIND "${rest}" ";; Function" end)  # the next function's header, or -1 for the last
  string(SUBSTRING "${rest}" 0 ${end} body)
  string(FIND "${body}" "${call}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "GCC folded ${probe}'s call into a constant: the function lost its runtime_only() barrier\n${body}")
  endif()
  message(STATUS "${probe}: still calls ${call}")
endforeach()

file(READ ${SOURCE_DIR}/include/ctnn/train.hpp train)
string(REGEX MATCH "fit_core\\([^{]*{[^}]*runtime_only\\(\\);" fit_barrier "${train}")
if(NOT fit_barrier)
  message(FATAL_ERROR "detail::fit_core does not begin with its runtime_only() barrier")
endif()
message(STATUS "fit_core: begins with runtime_only()")
