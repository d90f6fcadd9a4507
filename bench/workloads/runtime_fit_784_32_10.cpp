// fit() of a 784-32-10 network on a constant data set in main(), with constant options or with the
// epochs from argc; see runtime_784_32_10.hpp. The network is also trained the way the README trains
// in the compiler, but in runtime code: a lambda that initialises and fits, called with no arguments.

#include "runtime_784_32_10.hpp"

int main(int argc, char**)
{
  using namespace runtime_workload;
#ifdef CTNN_CONSTANT_ARGUMENTS
  const std::size_t epochs = 2;
#else
  const auto epochs = static_cast<std::size_t>(argc + 1);
#endif
  Net net = runtime_network(argc);
  const auto result = ctnn::fit(net, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.05}, {.epochs = epochs});
  const Net trained = [&] {
    Net fresh{};
    ctnn::fit(fresh, data, ctnn::CategoricalCrossEntropy{}, ctnn::SGD{0.05}, {.epochs = epochs});
    return fresh;
  }();
  return result.loss > 1.0 && trained.layer<1>().bias.values[0] > 0.0 ? 1 : 0;
}
