// Built with -fno-exceptions -fno-rtti: fit at runtime, per sample and in shuffled batches, gives the
// bits fit gives in a constant expression; the fingerprints say so too.
#include "common.hpp"

namespace {
constexpr embedded::Net per_sample = embedded::trained(40, 1);
constexpr embedded::Net in_batches = embedded::trained(40, 2);
}  // namespace

int main(int argc, char**)
{
  const std::size_t epochs = 39 + static_cast<std::size_t>(argc);  // 40, not a constant
  int failures = 0;
  failures += embedded::check(ctnn::bitwise_equal(embedded::trained(epochs, 1), per_sample), "per-sample SGD");
  failures += embedded::check(ctnn::bitwise_equal(embedded::trained(epochs, 2), in_batches), "shuffled batches");
  failures += embedded::check(
      ctnn::parameter_fingerprint(embedded::trained(epochs, 2)) == ctnn::parameter_fingerprint(in_batches),
      "fingerprints");
  return failures == 0 ? 0 : 1;
}
