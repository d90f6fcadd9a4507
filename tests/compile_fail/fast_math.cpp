// -ffast-math would let runtime results drift from the compile-time ones; ctnn refuses it by name.
// (The .ko build adds -ffast-math; CTNN_EXPECT_COMPILE_ERROR changes nothing here.)
#include <ctnn/math.hpp>

double one = ctnn::math::exp(0.0);
