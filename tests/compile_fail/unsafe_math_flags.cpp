// GCC announces -fassociative-math, -freciprocal-math and -fno-signed-zeros in macros, and ctnn refuses
// each by name (the .ko builds add the flag; CTNN_EXPECT_COMPILE_ERROR changes nothing here). Clang
// announces none of them: there ctnn::ctnn switches them back off (cmake/CtnnTarget.cmake).
#include <ctnn/math.hpp>

double one = ctnn::math::exp(0.0);
