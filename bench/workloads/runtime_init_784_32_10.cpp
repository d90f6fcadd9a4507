// initialized<Net>(Uniform{-0.1, 0.1}, Seed{1}) in main(); see runtime_784_32_10.hpp.

#include "runtime_784_32_10.hpp"

int main(int argc, char**)
{
  using runtime_workload::Net;
#ifdef CTNN_CONSTANT_ARGUMENTS
  const Net net = ctnn::initialized<Net>(ctnn::Uniform{-0.1, 0.1}, ctnn::Seed{1});
#else
  const Net net = ctnn::initialized<Net>(ctnn::Uniform{-0.1, 0.1}, ctnn::Seed{static_cast<std::uint64_t>(argc)});
#endif
  return net.layer<1>().bias.values[0] > 0.0 ? 1 : 0;
}
