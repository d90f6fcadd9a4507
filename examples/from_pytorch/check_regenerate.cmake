# cmake -D PYTHON=<python with torch> -D SOURCE_DIR=<repo> -D OUT=<dir> -P check_regenerate.cmake
# Runs the example's commands again (train.py, then ctnn-export --check) into OUT and compares with the
# committed headers: the held-out samples must be the same and PyTorch must classify as many of them
# correctly. The weights' bits are compared and reported: PyTorch repeats a run bit for bit on one
# machine, but another CPU or PyTorch build may round differently, which is not an error.
set(example ${SOURCE_DIR}/examples/from_pytorch)
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${CMAKE_COMMAND} -E env PYTHONDONTWRITEBYTECODE=1 ${PYTHON} ${example}/train.py --out ${OUT} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "train.py failed (${result})")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env CTNN_PYTHON=${PYTHON} PYTHONDONTWRITEBYTECODE=1
          ${SOURCE_DIR}/tools/ctnn-export ${OUT}/breast_cancer.pt -o ${OUT}/breast_cancer_model.hpp
          --name breast_cancer --check 16
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "ctnn-export failed (${result})")
endif()

function(read_matching file regex variable)
  file(STRINGS ${file} lines REGEX "${regex}")
  set(${variable} "${lines}" PARENT_SCOPE)
endfunction()

read_matching(${example}/breast_cancer_held_out.hpp "held_out_correct_by_pytorch" committed_correct)
read_matching(${OUT}/breast_cancer_held_out.hpp "held_out_correct_by_pytorch" regenerated_correct)
file(READ ${example}/breast_cancer_held_out.hpp committed_samples)
file(READ ${OUT}/breast_cancer_held_out.hpp regenerated_samples)
string(REGEX REPLACE "inline constexpr std::size_t held_out_correct_by_pytorch[^\n]*" "" committed_samples
       "${committed_samples}")
string(REGEX REPLACE "inline constexpr std::size_t held_out_correct_by_pytorch[^\n]*" "" regenerated_samples
       "${regenerated_samples}")
if(NOT committed_samples STREQUAL regenerated_samples)
  message(FATAL_ERROR "train.py held out other samples than the committed breast_cancer_held_out.hpp has")
endif()
if(NOT committed_correct STREQUAL regenerated_correct)
  message(FATAL_ERROR "the regenerated model classifies another number of held-out samples correctly:\n"
                      "committed:   ${committed_correct}\nregenerated: ${regenerated_correct}")
endif()

read_matching(${example}/breast_cancer_model.hpp "parameter_fingerprint\\(breast_cancer\\) ==" committed_fingerprint)
read_matching(${OUT}/breast_cancer_model.hpp "parameter_fingerprint\\(breast_cancer\\) ==" regenerated_fingerprint)
if(committed_fingerprint STREQUAL regenerated_fingerprint)
  message(STATUS "regenerated: the same weights, bit for bit (${regenerated_fingerprint})")
else()
  message(STATUS "regenerated: as accurate, other bits (PyTorch rounds differently here):\n"
                 "committed:   ${committed_fingerprint}\nregenerated: ${regenerated_fingerprint}")
endif()
