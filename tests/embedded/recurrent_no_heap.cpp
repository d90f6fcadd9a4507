// No heap in a recurrent stream: GRU and LSTM networks (stacked, with LastStep and a Dense read-out)
// stepped one input at a time, reset to a stored resting state, and run over whole sequences, with
// global operator new replaced by one that counts; each call runs between two readings of the count.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctnn/core.hpp>
#include <ctnn/gru.hpp>
#include <ctnn/lstm.hpp>
#include <ctnn/sequence.hpp>
#include <new>
#include <vector>

namespace {
std::size_t allocations = 0;
}

void* operator new(std::size_t size)
{
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept
{
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept
{
  std::free(p);
}

namespace {

using Stream = ctnn::Network<ctnn::GRU<8, 2, 6, true>, ctnn::LSTM<8, 6, 4, true>, ctnn::LastStep<8, 4>,
                             ctnn::Dense<4, 1, ctnn::Identity>>;
// The state is the GRU's h, the LSTM's h and c, and nothing for LastStep and Dense.
static_assert(sizeof(Stream::state_type) == (6 + 4 + 4) * sizeof(double));

template <class F>
int no_allocation(const char* what, F&& f)
{
  const std::size_t before = allocations;
  f();
  if (allocations == before) return 0;
  std::printf("FAILED: %s allocated %zu times\n", what, allocations - before);
  return 1;
}

}  // namespace

int main()
{
  volatile std::uint64_t seed = 7;  // a runtime value: initialised at runtime
  const auto net = ctnn::initialized<Stream>(ctnn::RecurrentUniform{}, ctnn::Seed{seed});
  auto state = net.initial_state();
  volatile double sink = 0;
  int failures = 0;
  failures += no_allocation("GRU and LSTM Network::step", [&] {
    for (int t = 0; t < 10000; ++t) sink = sink + net.step({{0.001 * t, -0.5}}, state)[0];
  });
  const auto resting = state;
  failures += no_allocation("reset to a resting state and to zeros", [&] {
    net.reset(state, resting);
    sink = sink + net.step({{0.1, 0.2}}, state)[0];
    net.reset(state);
    sink = sink + net.step({{0.1, 0.2}}, state)[0];
  });
  Stream::input_type sequence{};
  for (std::size_t i = 0; i < sequence.size(); ++i) sequence[i] = 0.05 * static_cast<double>(i);
  failures += no_allocation("GRU and LSTM Network::predict", [&] { sink = sink + net.predict(sequence)[0]; });
  // The counter itself works: a vector allocates.
  const std::size_t before = allocations;
  {
    std::vector<int> v(8);
    sink = sink + v[0];
  }
  if (allocations == before) {
    std::printf("FAILED: operator new is not counted\n");
    ++failures;
  }
  if (failures == 0) std::printf("no allocation in recurrent steps, resets and predictions\n");
  return failures == 0 ? 0 : 1;
}
