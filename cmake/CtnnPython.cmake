# Finds the Python 3 that ctnn-export and ctnn-import run with and the interop tests use: one that has
# NumPy, torch and scikit-learn. Another python3 without them may come first on PATH (pyenv, a venv),
# so every python3 on PATH is tried, then /usr/bin/python3, then FindPython3's choice.
#
#   CTNN_PYTHON            the interpreter (cache; set it to choose another), empty when none has them
#   CTNN_PYTHON_PROBLEM    why there is none (empty when there is one)
#   CTNN_PYTHON_ONNX_PROBLEM  why CTNN_PYTHON cannot read ONNX models (empty when it has onnx); ONNX is
#                          optional: only ctnn-export's ONNX input and its tests need it

if(DEFINED CTNN_PYTHON_PROBLEM)
  return()  # found once per configure
endif()

set(ctnn_python_modules numpy torch sklearn)
set(ctnn_python_probe
    "import importlib.util as u, sys; missing = [m for m in sys.argv[1:] if u.find_spec(m) is None]; print(' '.join(missing)); sys.exit(1 if missing else 0)")

function(ctnn_python_has_modules python result)
  execute_process(COMMAND ${python} -c "${ctnn_python_probe}" ${ctnn_python_modules}
    RESULT_VARIABLE status OUTPUT_VARIABLE missing ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE TIMEOUT 60)
  if(status EQUAL 0)
    set(${result} "" PARENT_SCOPE)
  elseif(missing)
    set(${result} "${python} lacks ${missing}" PARENT_SCOPE)
  else()
    set(${result} "${python} does not run" PARENT_SCOPE)
  endif()
endfunction()

set(CTNN_PYTHON "" CACHE FILEPATH "Python 3 with numpy, torch and sklearn, for ctnn-export and the interop tests")
set(ctnn_python_candidates "")
if(CTNN_PYTHON)
  list(APPEND ctnn_python_candidates ${CTNN_PYTHON})
else()
  if(CMAKE_HOST_WIN32)
    set(ctnn_path_dirs "$ENV{PATH}")
  else()
    string(REPLACE ":" ";" ctnn_path_dirs "$ENV{PATH}")
  endif()
  foreach(dir IN LISTS ctnn_path_dirs)
    if(dir AND EXISTS "${dir}/python3" AND NOT IS_DIRECTORY "${dir}/python3")
      list(APPEND ctnn_python_candidates "${dir}/python3")
    endif()
  endforeach()
  list(APPEND ctnn_python_candidates /usr/bin/python3)
  find_package(Python3 COMPONENTS Interpreter QUIET)
  if(Python3_Interpreter_FOUND)
    list(APPEND ctnn_python_candidates ${Python3_EXECUTABLE})
  endif()
  list(REMOVE_DUPLICATES ctnn_python_candidates)
endif()

set(ctnn_python_reasons "")
set(ctnn_python_found "")
foreach(candidate IN LISTS ctnn_python_candidates)
  ctnn_python_has_modules(${candidate} reason)
  if(reason STREQUAL "")
    set(ctnn_python_found ${candidate})
    break()
  endif()
  list(APPEND ctnn_python_reasons "${reason}")
endforeach()

if(ctnn_python_found)
  set(CTNN_PYTHON ${ctnn_python_found} CACHE FILEPATH "" FORCE)
  set(CTNN_PYTHON_PROBLEM "")
  message(STATUS "ctnn: Python for ctnn-export and the interop tests: ${CTNN_PYTHON}")
  execute_process(COMMAND ${CTNN_PYTHON} -c "${ctnn_python_probe}" onnx
    RESULT_VARIABLE status OUTPUT_QUIET ERROR_QUIET TIMEOUT 60)
  if(status EQUAL 0)
    set(CTNN_PYTHON_ONNX_PROBLEM "")
  else()
    set(CTNN_PYTHON_ONNX_PROBLEM "${CTNN_PYTHON} lacks onnx; install python3-onnx (Debian) to read ONNX models")
  endif()
else()
  list(JOIN ctnn_python_reasons "; " ctnn_python_reasons)
  if(NOT ctnn_python_reasons)
    set(ctnn_python_reasons "no python3 found")
  endif()
  list(JOIN ctnn_python_modules ", " ctnn_python_module_names)
  set(CTNN_PYTHON_ONNX_PROBLEM "no Python 3 for the interop tools")
  set(CTNN_PYTHON_PROBLEM "no Python 3 with ${ctnn_python_module_names} (${ctnn_python_reasons}); install \
python3-torch and python3-sklearn (Debian) or set CTNN_PYTHON")
endif()
