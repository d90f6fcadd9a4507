// Catch2 v2's main for cross_unit_tests: Debian's Catch2WithMain is a library built for the build
// machine, so each architecture compiles its own from the header.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
