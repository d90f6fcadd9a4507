// The constexpr model that emit_header wrote equals the runtime model it came from, bit for bit:
// every check is a static_assert, so compiling this file is the test.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <ctnn/data.hpp>

#include "expected.hpp"
#include "external_model.hpp"
#include "model.hpp"
#include "scaled_model.hpp"
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

// The standardising model: its type, its layer's values and its predictions on raw inputs.
static_assert(std::is_same_v<std::remove_cvref_t<decltype(scaled_model.layer<0>())>, ctnn::Standardize<2, double>>);
static_assert(decltype(scaled_model)::non_trainable_parameter_count == 4);
static_assert(parameter_fingerprint(scaled_model) == expected::scaled_fingerprint);
static_assert(std::bit_cast<std::uint64_t>(scaled_model.layer<0>().mean[0]) ==
              std::bit_cast<std::uint64_t>(expected::scaled_mean[0]));
static_assert(std::bit_cast<std::uint64_t>(scaled_model.layer<0>().deviation[1]) ==
              std::bit_cast<std::uint64_t>(expected::scaled_deviation[1]));

constexpr bool scaled_predicts_expected_bits(double first, double second, std::size_t sample)
{
  const double y = scaled_model.predict({{first, second}})[0];
  return std::bit_cast<std::uint64_t>(y) == std::bit_cast<std::uint64_t>(expected::scaled_predictions[sample]);
}
static_assert(scaled_predicts_expected_bits(1000.0, -3.0, 0));
static_assert(scaled_predicts_expected_bits(1000.0, -2.75, 1));
static_assert(scaled_predicts_expected_bits(1500.0, -3.0, 2));
static_assert(scaled_predicts_expected_bits(1500.0, -2.75, 3));
static_assert(scaled_model.predict({{1000.0, -2.75}})[0] > 0.9);  // raw inputs in, XOR out
static_assert(scaled_model.predict({{1500.0, -2.75}})[0] < 0.1);

// Layers that are not in the library come back with their bits, and their architecture is checked.
static_assert(parameter_fingerprint(external_model) == expected::external_fingerprint);
static_assert(std::bit_cast<std::uint64_t>(external_model.predict({{1.0, 0.0}})[0]) ==
              std::bit_cast<std::uint64_t>(expected::external_predictions[2]));
static_assert(external_model.predict({{0.0, 1.0}})[0] > 0.9);

// And the model it carries is a trained one: it computes XOR.
static_assert(xor_model.predict({{0.0, 0.0}})[0] < 0.1);
static_assert(xor_model.predict({{0.0, 1.0}})[0] > 0.9);
static_assert(xor_model.predict({{1.0, 0.0}})[0] > 0.9);
static_assert(xor_model.predict({{1.0, 1.0}})[0] < 0.1);

}  // namespace

int main() {}
