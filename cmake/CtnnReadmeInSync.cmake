# cmake -D README=README.md -D SOURCE=examples/readme.cpp -P CtnnReadmeInSync.cmake
# Passes when the README contains SOURCE verbatim, so the README shows code that compiles.
file(READ "${README}" readme)
file(READ "${SOURCE}" source)
string(FIND "${readme}" "${source}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "README.md does not contain ${SOURCE} verbatim; copy the file into the README again")
endif()
