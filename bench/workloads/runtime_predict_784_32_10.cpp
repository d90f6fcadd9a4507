// predict() of a constant 784-32-10 network on a constant input in main(), or on an input picked by
// argc from two; see runtime_784_32_10.hpp.

#include "runtime_784_32_10.hpp"

namespace {
constexpr runtime_workload::Net net = [] {
  runtime_workload::Net n{};
  for (std::size_t i = 0; i < 32; ++i) n.layer<0>().weights.values[i * 785] = 1.0;
  return n;
}();
}  // namespace

int main(int argc, char**)
{
  using namespace runtime_workload;
#ifdef CTNN_CONSTANT_ARGUMENTS
  const auto& x = data.samples[0].input;
#else
  const auto& x = data.samples[argc > 5 ? 1 : 0].input;
#endif
  const auto y = net.predict(x);
  return y.values[0] > 0.5 ? 1 : 0;
}
