// Bit identity of the runtime layer-wide math (detail/simd_math.hpp) and of the activations'
// forward_elementwise / backward_elementwise against the constant evaluator: every expected value
// below is computed in a constexpr context from the scalar functions (math.hpp, forward(),
// backward()), and the runtime functions must give the same bits for every value. Inputs: the
// special values (±0, ±inf, NaN, subnormals, the largest values), the algorithms' switch points and
// the values next to them, and pseudo-random values over each function's ranges; array lengths that
// are and are not multiples of the vector width, so both the lanes and the scalar remainder run.

#include <ctnn/activation.hpp>
#include <ctnn/detail/simd_math.hpp>
#include <ctnn/math.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <ratio>
#include <sstream>
#include <string>
#include <type_traits>

namespace {

namespace m = ctnn::math;
namespace simd = ctnn::detail::simd;

template <class T>
using Bits = std::conditional_t<std::is_same_v<T, double>, std::uint64_t, std::uint32_t>;

template <class T>
std::string hex(T x)
{
  std::ostringstream out;
  out << std::hexfloat << x << " (bits " << std::hex << std::bit_cast<Bits<T>>(x) << ")";
  return out.str();
}

constexpr std::size_t n_fixed = 96;    // at least the number of values listed below
constexpr std::size_t n_values = 333;  // not a multiple of any vector width: the scalar remainder runs too

// The value next to x towards +inf (x finite).
template <class T>
constexpr T next_up(T x)
{
  const Bits<T> b = std::bit_cast<Bits<T>>(x);
  if (x == T(0)) return std::numeric_limits<T>::denorm_min();
  return std::bit_cast<T>(x > T(0) ? Bits<T>(b + 1) : Bits<T>(b - 1));
}

template <class T>
constexpr std::array<T, n_values> inputs(bool with_nan)
{
  constexpr T inf = std::numeric_limits<T>::infinity();
  constexpr T nan = std::numeric_limits<T>::quiet_NaN();
  constexpr T ln2 = T(0.6931471805599453);
  std::array<T, n_values> in{
      T(0), -T(0), std::numeric_limits<T>::denorm_min(), -std::numeric_limits<T>::denorm_min(),
      std::numeric_limits<T>::min(), -std::numeric_limits<T>::min(), std::numeric_limits<T>::max(),
      -std::numeric_limits<T>::max(), inf, -inf, nan, T(1), T(-1), T(0.5), T(-0.5),
      // tanh: float's tiny bound and clamp, double's 2^-28, 0.3, 22; the reduction's k = 1, 2 edges
      T(0x1p-12), next_up(T(0x1p-12)), -T(0x1p-12), T(0x1.fffffep-13), T(10), T(-10), T(9.02), T(9.01), T(0x1p-28),
      T(0.3), next_up(T(0.3)), T(-0.3), T(22), next_up(T(22)), T(-22), ln2 / 4, T(3) * ln2 / 4, T(5) * ln2 / 4, T(0.55),
      // exp: float's and double's fast-range ends, overflow and underflow
      T(88.72283), T(-104), T(-103.9), T(88.7), T(-87.5), T(80), T(-80), T(40), T(-40),
      // log1p: the no-reduction interval's ends, the tiny bound, u >= 2
      T(-0.29289323), T(0.41421354), T(0x1p-54), T(-0x1p-54), T(1), T(1.5), T(3), T(1e10), T(-0.9999), T(-0.7), T(0.1),
      T(-0.1), T(2), T(-2), T(5), T(-5), T(1e-9), T(-1e-9), T(1e-30), T(-1e-30),
      // float kernels: tanh's switch to the division, sigmoid's switch to exp and its clamp, exp's
      // common range and its limits
      T(0.25), next_up(T(0.25)), T(-0.25), T(0x1.fffffep-3), T(-64), next_up(T(-64)), T(-64.5), T(20), T(-20), T(20.5),
      T(88), next_up(T(88)), T(0x1.62e42ep+6), T(-0x1.9fe368p+6), T(-0x1.9fe36ap+6), T(-87.4),
      // float log1p: its tiny bound, its no-reduction interval's float ends, 1 + x at and above sqrt(2)
      T(0x1p-25), T(0x1.fffffep-26), T(-0x1p-25), T(-0x1.2bec32p-2), T(-0x1.2bec34p-2), T(0x1.a82798p-2),
      T(0x1.a8279ap-2), T(0x1.a8279cp-2), T(0x1.a827a0p-2)};
  std::uint64_t state = 0x243f6a8885a308d3ULL;  // splitmix64
  for (std::size_t i = n_fixed; i < n_values; ++i) {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const double unit = static_cast<double>(z >> 11) * 0x1p-53;  // [0, 1)
    double x = unit * 24.0 - 12.0;                               // tanh's and softplus's ranges
    if (i % 5 == 1) x = x * x * x;                               // +-1728: exp's edges
    if (i % 5 == 2) x = x / 4096.0;                              // small values
    if (i % 5 == 3) x = x * 0x1p-20;                             // tiny values
    in[i] = static_cast<T>(x);
  }
  if (!with_nan) {
    for (T& x : in)
      if (x != x) x = T(0.25);
  }
  return in;
}

// Clang's constant evaluator refuses any arithmetic that gives a NaN, even from a NaN: the
// constant-evaluated side runs without NaN inputs, and NaN is checked against the scalar functions
// at runtime (which math_test.cpp and the plain loops tie to the constant evaluator).
template <class T>
constexpr std::array<T, n_values> constant_inputs = inputs<T>(false);
template <class T>
constexpr std::array<T, n_values> all_inputs = inputs<T>(true);

// dy for the backward passes: finite, both signs.
template <class T>
constexpr std::array<T, n_values> gradients = [] {
  std::array<T, n_values> dy{};
  for (std::size_t i = 0; i < n_values; ++i) dy[i] = T(static_cast<double>((i * 37) % 101) / 25.0 - 2.0);
  return dy;
}();

// Values whose bits differ. With AnyNaN, two NaNs count as equal whatever their sign and payload:
// IEEE 754 leaves those of an arithmetic result open, and compilers use the freedom (GCC on aarch64
// and s390x turns the scalar sigmoid's 1 + exp(-x) of a NaN into a NaN of the other sign).
template <class T, std::size_t N, bool AnyNaN = false>
std::size_t count_differences(const char* what, const T* expected, const T* got, const T* in)
{
  std::size_t differ = 0;
  for (std::size_t i = 0; i < N; ++i) {
    if (AnyNaN && expected[i] != expected[i] && got[i] != got[i]) continue;
    if (std::bit_cast<Bits<T>>(expected[i]) != std::bit_cast<Bits<T>>(got[i])) {
      if (++differ <= 5)
        UNSCOPED_INFO(what << " at " << i << ", input " << hex(in[i]) << ": expected " << hex(expected[i])
                           << ", runtime " << hex(got[i]));
    }
  }
  return differ;
}

// f(x) for every input, in the constant evaluator.
template <class T, class F>
constexpr std::array<T, n_values> map_constexpr(const std::array<T, n_values>& in, F f)
{
  std::array<T, n_values> out{};
  for (std::size_t i = 0; i < n_values; ++i) out[i] = f(in[i]);
  return out;
}

template <class T>
constexpr auto ct_tanh = map_constexpr(constant_inputs<T>, [](T x) { return m::tanh(x); });
template <class T>
constexpr auto ct_exp = map_constexpr(constant_inputs<T>, [](T x) { return m::exp(x); });
template <class T>
constexpr auto ct_log1p = map_constexpr(constant_inputs<T>, [](T x) { return m::log1p(x); });
template <class T>
constexpr auto ct_sigmoid = map_constexpr(constant_inputs<T>, [](T x) { return m::sigmoid(x); });

// Runs the runtime array function on the first N inputs (copied, so that nothing is folded) and
// compares with the constant-evaluated values.
template <std::size_t N, class T, class F, class Scalar>
void check_array(const char* what, const std::array<T, n_values>& expected, F runtime, Scalar scalar)
{
  static_assert(N <= n_values);
  volatile std::size_t offset = 0;  // opaque: the inputs are not constants to the optimizer
  T in[N];
  T out[N];
  T reference[N];
  for (std::size_t i = 0; i < N; ++i) in[i] = constant_inputs<T>[i + offset];
  runtime(in, out);
  CHECK(count_differences<T, N>(what, expected.data(), out, in) == 0);
  // With NaN among the inputs (vectors holding one go to the scalar function).
  for (std::size_t i = 0; i < N; ++i) {
    in[i] = all_inputs<T>[i + offset];
    reference[i] = scalar(in[i]);
  }
  runtime(in, out);
  CHECK(count_differences<T, N, true>(what, reference, out, in) == 0);
}

template <class T>
void check_arrays()
{
  const auto each_length = [](const char* what, const auto& expected, auto runtime, auto scalar) {
    check_array<n_values>(
        what, expected, [&](const T* in, T* out) { runtime.template operator()<n_values>(in, out); }, scalar);
    check_array<64>(
        what, expected, [&](const T* in, T* out) { runtime.template operator()<64>(in, out); }, scalar);
    check_array<3>(
        what, expected, [&](const T* in, T* out) { runtime.template operator()<3>(in, out); }, scalar);
    // Narrower than a vector: one 4- or 8-lane vector (floats), or the scalar remainder.
    check_array<5>(
        what, expected, [&](const T* in, T* out) { runtime.template operator()<5>(in, out); }, scalar);
    check_array<8>(
        what, expected, [&](const T* in, T* out) { runtime.template operator()<8>(in, out); }, scalar);
    check_array<20>(
        what, expected, [&](const T* in, T* out) { runtime.template operator()<20>(in, out); }, scalar);
  };
  each_length(
      "tanh_array", ct_tanh<T>, []<std::size_t N>(const T* in, T* out) { simd::tanh_array<N>(in, out); },
      [](T x) { return m::tanh(x); });
  each_length(
      "exp_array", ct_exp<T>, []<std::size_t N>(const T* in, T* out) { simd::exp_array<N>(in, out); },
      [](T x) { return m::exp(x); });
  each_length(
      "log1p_array", ct_log1p<T>, []<std::size_t N>(const T* in, T* out) { simd::log1p_array<N>(in, out); },
      [](T x) { return m::log1p(x); });
  each_length(
      "sigmoid_array", ct_sigmoid<T>, []<std::size_t N>(const T* in, T* out) { simd::sigmoid_array<N>(in, out); },
      [](T x) { return m::sigmoid(x); });
}

// forward() and backward() over all the inputs in the constant evaluator.
template <class A, class T>
struct ConstantPasses {
  std::array<T, n_values> y{};
  std::array<T, n_values> dh{};
};
template <class A, class T>
constexpr ConstantPasses<A, T> constant_passes(const std::array<T, n_values>& in)
{
  T h[n_values]{};
  T y[n_values]{};
  T dy[n_values]{};
  T dh[n_values]{};
  for (std::size_t i = 0; i < n_values; ++i) {
    h[i] = in[i];
    dy[i] = gradients<T>[i];
  }
  A::forward(h, y);
  A::backward(h, y, dy, dh);
  ConstantPasses<A, T> out;
  for (std::size_t i = 0; i < n_values; ++i) {
    out.y[i] = y[i];
    out.dh[i] = dh[i];
  }
  return out;
}

template <class A, class T>
constexpr ConstantPasses<A, T> expected_passes = constant_passes<A, T>(constant_inputs<T>);

template <class A, class T>
void check_activation()
{
  const auto& in = constant_inputs<T>;
  const auto& expected = expected_passes<A, T>;
  volatile std::size_t offset = 0;
  T h[n_values];
  T y[n_values];
  T dy[n_values];
  T dh[n_values];
  for (std::size_t i = 0; i < n_values; ++i) {
    h[i] = in[i + offset];
    dy[i] = gradients<T>[i + offset];
  }
  INFO(A::name << ", " << (std::is_same_v<T, float> ? "float" : "double"));
  A::template forward_elementwise<n_values>(h, y);
  CHECK(count_differences<T, n_values>("forward_elementwise", expected.y.data(), y, h) == 0);
  A::template backward_elementwise<n_values>(h, expected.y.data(), dy, dh);
  CHECK(count_differences<T, n_values>("backward_elementwise", expected.dh.data(), dh, h) == 0);
  // A short layer: the scalar remainder only.
  A::template forward_elementwise<3>(h, y);
  CHECK(count_differences<T, 3>("forward_elementwise<3>", expected.y.data(), y, h) == 0);
  A::template backward_elementwise<3>(h, expected.y.data(), dy, dh);
  CHECK(count_differences<T, 3>("backward_elementwise<3>", expected.dh.data(), dh, h) == 0);

  // With NaN among the inputs, against forward() and backward() at runtime.
  T y_scalar[n_values];
  T dh_scalar[n_values];
  for (std::size_t i = 0; i < n_values; ++i) h[i] = all_inputs<T>[i + offset];
  A::forward(h, y_scalar);
  A::backward(h, y_scalar, dy, dh_scalar);
  A::template forward_elementwise<n_values>(h, y);
  CHECK(count_differences<T, n_values, true>("forward_elementwise, NaN", y_scalar, y, h) == 0);
  A::template backward_elementwise<n_values>(h, y_scalar, dy, dh);
  CHECK(count_differences<T, n_values, true>("backward_elementwise, NaN", dh_scalar, dh, h) == 0);
}

template <class T>
void check_activations()
{
  check_activation<ctnn::Identity, T>();
  check_activation<ctnn::ReLU, T>();
  check_activation<ctnn::LeakyReLU<>, T>();
  check_activation<ctnn::LeakyReLU<std::ratio<1, 3>>, T>();
  check_activation<ctnn::Tanh, T>();
  check_activation<ctnn::Sigmoid, T>();
  check_activation<ctnn::Softplus, T>();
}

// Many random values (2^16 per function and type, every exponent and both signs, plus dense ranges
// around the switch points) against the scalar functions at runtime, which the tests above and
// math_test.cpp tie to the constant evaluator.
template <class T>
void check_random()
{
  constexpr std::size_t n = 1 << 16;
  static T in[n];
  static T out[n];
  std::uint64_t state = 0x13198a2e03707344ULL;
  const auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t r = next();
    const double unit = static_cast<double>(r >> 11) * 0x1p-53;
    switch (i % 4) {
      case 0:  // any bit pattern
        in[i] = std::bit_cast<T>(static_cast<Bits<T>>(r >> (64 - 8 * sizeof(T))));
        break;
      case 1:  // tanh's and log1p's ranges
        in[i] = static_cast<T>(unit * 24.0 - 12.0);
        break;
      case 2:  // log-uniform magnitudes from 2^-40 to 2^10
        in[i] = static_cast<T>((r & 1 ? -1.0 : 1.0) *
                               std::bit_cast<double>((std::uint64_t{983} + (r >> 58) * 50 / 63) << 52 | (r >> 12)));
        break;
      default:  // near the float kernel's reduction edges and the clamp
        in[i] = static_cast<T>((r & 1 ? -1.0 : 1.0) *
                               (static_cast<double>(r % 31) * 0.34657359027997264 + (unit - 0.5) * 1e-6));
    }
  }
  const auto compare = [&](const char* what, auto scalar) {
    std::size_t differ = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const T expected = scalar(in[i]);
      if (std::bit_cast<Bits<T>>(expected) != std::bit_cast<Bits<T>>(out[i]) && ++differ <= 5)
        UNSCOPED_INFO(what << ", input " << hex(in[i]) << ": scalar " << hex(expected) << ", lanes " << hex(out[i]));
    }
    CHECK(differ == 0);
  };
  simd::tanh_array<n>(in, out);
  compare("tanh_array", [](T x) { return m::tanh(x); });
  simd::exp_array<n>(in, out);
  compare("exp_array", [](T x) { return m::exp(x); });
  simd::log1p_array<n>(in, out);
  compare("log1p_array", [](T x) { return m::log1p(x); });
  simd::sigmoid_array<n>(in, out);
  compare("sigmoid_array", [](T x) { return m::sigmoid(x); });
  ctnn::Softplus::forward_elementwise<n>(in, out);
  compare("Softplus::forward_elementwise", [](T x) { return ctnn::Softplus::value(x); });
}

}  // namespace

TEST_CASE("simd math: many random values give the scalar functions' bits", "[math][simd]")
{
  check_random<double>();
  check_random<float>();
}

TEST_CASE("simd math: the layer-wide functions give the constant evaluator's bits", "[math][simd]")
{
  check_arrays<double>();
  check_arrays<float>();
}

TEST_CASE("simd math: every element-wise activation's runtime passes give the constant evaluator's bits",
          "[activation][simd]")
{
  check_activations<double>();
  check_activations<float>();
}
