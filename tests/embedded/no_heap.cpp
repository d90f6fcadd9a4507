// No heap in Network::predict, in the inference form's predict, in ctnn::predict into the caller's
// buffers (a Network and its inference form) or in a streaming step: global operator new is replaced
// by one that counts, and each call runs between two readings of the count.
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <span>
#include <vector>

#include "common.hpp"

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
// A stateful layer (as recurrent layers are): each output is the input plus the last output.
struct Accumulate {
  using scalar_type = double;
  using input_shape = ctnn::Shape<1>;
  using output_shape = ctnn::Shape<1>;
  using input_type = ctnn::Vector<double, 1>;
  using output_type = input_type;
  static constexpr std::size_t parameter_count = 0;
  static constexpr std::string_view kind = "Accumulate";
  constexpr output_type operator()(const input_type& x) const noexcept { return x; }
  template <class F>
  constexpr void visit_parameters(F&&) const
  {
  }
  template <class F>
  constexpr void visit_parameters(F&&)
  {
  }
  struct state_type {
    double last = 0;
  };
  using step_input_type = input_type;
  using step_output_type = output_type;
  constexpr state_type initial_state() const noexcept { return {}; }
  constexpr step_output_type step(const step_input_type& x, state_type& s) const noexcept
  {
    s.last += x[0];
    return {{s.last}};
  }
};

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
  const embedded::Net net = embedded::trained(10, 1);
  const auto frozen = ctnn::for_inference(net);
  std::array<ctnn::Vector<double, 2>, 40> inputs{};
  for (std::size_t i = 0; i < inputs.size(); ++i) inputs[i] = {{0.1 * double(i), -0.05 * double(i)}};
  std::array<ctnn::Vector<double, 1>, 40> outputs{};
  volatile double sink = 0;
  using Stream = ctnn::Network<ctnn::Dense<1, 1, ctnn::Identity>, Accumulate>;
  const Stream stream = [] {
    Stream s{};
    s.layer<0>().weights = {{1.0}};
    return s;
  }();
  auto state = stream.initial_state();

  int failures = 0;
  failures += no_allocation("Network::predict", [&] { sink = sink + net.predict(inputs[3])[0]; });
  failures += no_allocation("the inference form's predict", [&] { sink = sink + frozen.predict(inputs[3])[0]; });
  failures += no_allocation("ctnn::predict(net, inputs, outputs)", [&] {
    ctnn::predict(net, std::span<const ctnn::Vector<double, 2>>(inputs), std::span<ctnn::Vector<double, 1>>(outputs));
  });
  failures += no_allocation("ctnn::predict(for_inference(net), inputs, outputs)", [&] {
    ctnn::predict(frozen, std::span<const ctnn::Vector<double, 2>>(inputs),
                  std::span<ctnn::Vector<double, 1>>(outputs));
  });
  failures += no_allocation("Network::step", [&] {
    for (int t = 0; t < 10000; ++t) sink = sink + stream.step({{1.0}}, state)[0];
  });
  failures += embedded::check(boost::hana::at_c<1>(state.layers).last == 10000.0, "the stream advanced");
  // The counter itself works: a vector allocates.
  const std::size_t before = allocations;
  {
    std::vector<int> v(8);
    sink = sink + v[0];
  }
  failures += embedded::check(allocations > before, "operator new is counted");
  return failures == 0 ? 0 : 1;
}
