// Element-wise activations at runtime: the vectorised forms Dense calls (forward_elementwise,
// backward_elementwise) against the plain scalar loops of forward() and backward(), which give the
// constant evaluator's bits. Checks first that both give the same bits for every value (inputs over
// all of tanh's and exp's ranges), then times them alternately: ns per value, fastest of 41 runs
// each, ratio vectorised / scalar.
//
//   g++ -std=c++20 -O2 -ffp-contract=off -fno-trapping-math -Iinclude bench/activations.cpp -o /tmp/act
//   (or -O3 -march=native, or clang++-16 without -fno-trapping-math); bench/README.md has the numbers.

#include <ctnn/activation.hpp>

#include <time.h>
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ratio>

namespace {

double seconds()
{
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// A value in [-1, 1) from an LCG step.
double spread(std::uint64_t k)
{
  const std::uint64_t s = (k + 1) * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<double>(static_cast<std::int64_t>(s >> 40) - (1 << 23)) * 0x1p-23;
}

volatile double sink;

template <class A, class B>
std::array<double, 2> alternate(A&& a, B&& b, std::size_t units_per_call)
{
  std::size_t calls = 1;
  for (;;) {
    const double t0 = seconds();
    for (std::size_t c = 0; c < calls; ++c) a();
    const double t1 = seconds();
    for (std::size_t c = 0; c < calls; ++c) b();
    const double t2 = seconds();
    if (t1 - t0 > 0.001 || t2 - t1 > 0.001) break;
    calls *= 2;
  }
  std::array<double, 2> best{1e300, 1e300};
  for (int round = 0; round < 41; ++round) {
    const double t0 = seconds();
    for (std::size_t c = 0; c < calls; ++c) a();
    const double t1 = seconds();
    for (std::size_t c = 0; c < calls; ++c) b();
    const double t2 = seconds();
    best[0] = std::min(best[0], t1 - t0);
    best[1] = std::min(best[1], t2 - t1);
  }
  const double per = 1e9 / static_cast<double>(calls * units_per_call);
  return {best[0] * per, best[1] * per};
}

bool all_same = true;

template <class T, std::size_t N>
bool same(const T (&a)[N], const T (&b)[N])
{
  return std::memcmp(a, b, sizeof a) == 0;
}

template <class A, class T, std::size_t N>
void run(const char* type)
{
  static T h[N], y[N], dy[N], vector_out[N], scalar_out[N];
  for (std::size_t i = 0; i < N; ++i) {
    h[i] = static_cast<T>(4.0 * spread(i));  // tanh's three ranges; exp's common range
    dy[i] = static_cast<T>(spread(N + i));
  }
  A::forward(h, y);
  A::template forward_elementwise<N>(h, vector_out);
  const bool forward_same = same(vector_out, y);
  A::template backward_elementwise<N>(h, y, dy, vector_out);
  A::backward(h, y, dy, scalar_out);
  const bool backward_same = same(vector_out, scalar_out);
  if (!forward_same || !backward_same) {
    std::printf("%-18s %-6s %4zu  bits DIFFER (forward %s, backward %s)\n", std::string_view(A::name).data(), type, N,
                forward_same ? "same" : "differs", backward_same ? "same" : "differs");
    all_same = false;
    return;
  }
  // The barrier makes the compiler assume that the arrays changed, so no call is hoisted out of the
  // timing loop or merged with the next.
  const auto consume = [](const T(&out)[N]) {
    asm volatile("" ::: "memory");
    sink = sink + static_cast<double>(out[N / 2]);
  };
  const auto f = alternate([&] { A::template forward_elementwise<N>(h, vector_out), consume(vector_out); },
                           [&] { A::forward(h, scalar_out), consume(scalar_out); }, N);
  const auto b = alternate([&] { A::template backward_elementwise<N>(h, y, dy, vector_out), consume(vector_out); },
                           [&] { A::backward(h, y, dy, scalar_out), consume(scalar_out); }, N);
  std::printf("%-18s %-6s %4zu  %8.2f %8.2f %6.2f   %8.2f %8.2f %6.2f\n", std::string_view(A::name).data(), type, N,
              f[0], f[1], f[0] / f[1], b[0], b[1], b[0] / b[1]);
}

template <class T>
void all(const char* type)
{
  run<ctnn::Tanh, T, 16>(type);
  run<ctnn::Tanh, T, 64>(type);
  run<ctnn::Tanh, T, 256>(type);
  run<ctnn::Sigmoid, T, 64>(type);
  run<ctnn::Sigmoid, T, 256>(type);
  run<ctnn::Softplus, T, 64>(type);
  run<ctnn::Softplus, T, 256>(type);
  run<ctnn::ReLU, T, 256>(type);
  run<ctnn::LeakyReLU<>, T, 256>(type);
  run<ctnn::Identity, T, 256>(type);
}

}  // namespace

int main()
{
  std::printf("%-18s %-6s %4s  %8s %8s %6s   %8s %8s %6s\n", "activation", "type", "N", "fwd vec", "scalar", "ratio",
              "bwd vec", "scalar", "ratio");
  all<float>("float");
  all<double>("double");
  return all_same ? 0 : 1;
}
