// The constexpr model that emit_header wrote equals the runtime model it came from, bit for bit:
// every check is a static_assert, so compiling this file is the test.
#include <bit>
#include <cstddef>
#include <cstdint>

#include "expected.hpp"
#include "model.hpp"
#include "special_double.hpp"
#include "special_float.hpp"

namespace {

constexpr auto xor_data = ctnn::datasets::xor_gate();

constexpr bool predicts_expected_bits(std::size_t sample)
{
  const double y = xor_model.predict(xor_data.samples[sample].input)[0];
  return std::bit_cast<std::uint64_t>(y) == std::bit_cast<std::uint64_t>(expected::predictions[sample]);
}

// The compiler's predictions are the runtime's, to the last bit.
static_assert(predicts_expected_bits(0));
static_assert(predicts_expected_bits(1));
static_assert(predicts_expected_bits(2));
static_assert(predicts_expected_bits(3));

// Every parameter is the runtime one, to the last bit.
static_assert(parameter_fingerprint(xor_model) == expected::fingerprint);

// -0, subnormals, infinities and NaNs (payloads included) survive the trip through a header.
static_assert(parameter_fingerprint(special_double) == expected::special_double_fingerprint);
static_assert(parameter_fingerprint(special_float) == expected::special_float_fingerprint);
static_assert(std::bit_cast<std::uint64_t>(special_double.layer<0>().weights(0, 0)) == 0x8000000000000000u);  // -0
static_assert(std::bit_cast<std::uint64_t>(special_double.layer<0>().weights(0, 1)) == 0x1u);  // denorm_min

// And the model it carries is a trained one: it computes XOR.
static_assert(xor_model.predict({{0.0, 0.0}})[0] < 0.1);
static_assert(xor_model.predict({{0.0, 1.0}})[0] > 0.9);
static_assert(xor_model.predict({{1.0, 0.0}})[0] > 0.9);
static_assert(xor_model.predict({{1.0, 1.0}})[0] < 0.1);

}  // namespace

int main() {}
