// Built with -fno-exceptions -fno-rtti: predict, the inference form and batch prediction into the
// caller's buffers give the bits a constant expression gives.
#include <array>
#include <span>

#include "common.hpp"

namespace {
constexpr embedded::Net model = embedded::trained(60, 1);
constexpr ctnn::Vector<double, 2> inputs[] = {{{0.0, 0.0}}, {{0.0, 1.0}}, {{1.0, 0.0}}, {{1.0, 1.0}}, {{0.3, -2.0}}};
constexpr std::array<double, 5> expected = [] {
  std::array<double, 5> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = model.predict(inputs[i])[0];
  return out;
}();
}  // namespace

int main()
{
  const embedded::Net& net = model;
  const auto frozen = ctnn::for_inference(net);
  std::array<ctnn::Vector<double, 1>, 5> batch{};
  ctnn::predict(frozen, std::span<const ctnn::Vector<double, 2>>(inputs), std::span<ctnn::Vector<double, 1>>(batch));
  int failures = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    failures += embedded::check(embedded::same_bits(net.predict(inputs[i])[0], expected[i]), "Network::predict");
    failures += embedded::check(embedded::same_bits(frozen.predict(inputs[i])[0], expected[i]), "for_inference");
    failures += embedded::check(embedded::same_bits(batch[i][0], expected[i]), "ctnn::predict into buffers");
  }
  failures += embedded::check(expected[1] > 0.5 && expected[3] < 0.5, "the model learned XOR");
  return failures == 0 ? 0 : 1;
}
