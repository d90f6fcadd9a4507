// Special values and compile-time == runtime for ctnn/math.hpp.
//
// Special values (±0, subnormals in and out, the overflow and underflow edges, ±inf, NaN, inputs
// outside the domain) are checked bit by bit against IEEE 754's and C's Annex F's rules, and results
// computed at compile time are compared bit by bit with the same calls made at runtime. Accuracy
// over the domains is tests/unit/math_accuracy_test.cpp's business.

#include <ctnn/math.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>

namespace {

namespace m = ctnn::math;

template <class T>
using Bits = std::conditional_t<std::is_same_v<T, double>, std::uint64_t, std::uint32_t>;

template <class T>
constexpr T infty = std::numeric_limits<T>::infinity();
template <class T>
constexpr T qnan = std::numeric_limits<T>::quiet_NaN();

template <class T>
Bits<T> bits(T x)
{
  return std::bit_cast<Bits<T>>(x);
}

template <class T>
bool same_bits(T a, T b)
{
  return bits(a) == bits(b);
}

template <class T>
bool is_negative_zero(T x)
{
  return x == T(0) && std::signbit(x);
}

template <class T>
bool is_positive_zero(T x)
{
  return x == T(0) && !std::signbit(x);
}

template <class T>
std::string hex(T x)
{
  std::ostringstream os;
  os << std::hexfloat << x;
  return os.str();
}

constexpr auto m_exp = [](auto x) { return m::exp(x); };
constexpr auto m_expm1 = [](auto x) { return m::expm1(x); };
constexpr auto m_log = [](auto x) { return m::log(x); };
constexpr auto m_log1p = [](auto x) { return m::log1p(x); };
constexpr auto m_tanh = [](auto x) { return m::tanh(x); };
constexpr auto m_sqrt = [](auto x) { return m::sqrt(x); };

}  // namespace

TEST_CASE("math: special values", "[math]")
{
  const double dmin = std::numeric_limits<double>::min();
  const double dden = std::numeric_limits<double>::denorm_min();
  const double dmax = std::numeric_limits<double>::max();

  SECTION("NaN in, NaN out")
  {
    for (const double x : {qnan<double>, -qnan<double>}) {
      CHECK(std::isnan(m::exp(x)));
      CHECK(std::isnan(m::expm1(x)));
      CHECK(std::isnan(m::log(x)));
      CHECK(std::isnan(m::log1p(x)));
      CHECK(std::isnan(m::tanh(x)));
      CHECK(std::isnan(m::sqrt(x)));
      CHECK(std::isnan(m::abs(x)));
      CHECK(std::isnan(m::exp(static_cast<float>(x))));
      CHECK(std::isnan(m::expm1(static_cast<float>(x))));
      CHECK(std::isnan(m::log(static_cast<float>(x))));
      CHECK(std::isnan(m::log1p(static_cast<float>(x))));
      CHECK(std::isnan(m::tanh(static_cast<float>(x))));
      CHECK(std::isnan(m::sqrt(static_cast<float>(x))));
    }
  }
  SECTION("exp")
  {
    CHECK(same_bits(m::exp(0.0), 1.0));
    CHECK(same_bits(m::exp(-0.0), 1.0));
    CHECK(same_bits(m::exp(infty<double>), infty<double>));
    CHECK(is_positive_zero(m::exp(-infty<double>)));
    CHECK(same_bits(m::exp(dden), 1.0));
    CHECK(same_bits(m::exp(-dden), 1.0));
    // Overflow threshold: the largest double with a finite result and its successor.
    CHECK(m::exp(0x1.62e42fefa39efp+9) == std::exp(0x1.62e42fefa39efp+9));
    CHECK(m::exp(0x1.62e42fefa39efp+9) < infty<double>);
    CHECK(m::exp(std::nextafter(0x1.62e42fefa39efp+9, infty<double>)) == infty<double>);
    CHECK(m::exp(1000.0) == infty<double>);
    CHECK(m::exp(dmax) == infty<double>);
    // Gradual underflow: the smallest subnormal, then +0.
    CHECK(m::exp(-0x1.74910d52d3051p+9) == dden);
    CHECK(is_positive_zero(m::exp(std::nextafter(-0x1.74910d52d3051p+9, -infty<double>))));
    CHECK(is_positive_zero(m::exp(-1000.0)));
    CHECK(is_positive_zero(m::exp(-dmax)));
    CHECK(m::exp(-708.3964185322641) == std::exp(-708.3964185322641));  // ~2^-1022
    CHECK(m::exp(-720.0) == std::exp(-720.0));
    // float
    CHECK(same_bits(m::exp(0.0F), 1.0F));
    CHECK(same_bits(m::exp(infty<float>), infty<float>));
    CHECK(is_positive_zero(m::exp(-infty<float>)));
    CHECK(m::exp(0x1.62e42ep+6F) == std::exp(0x1.62e42ep+6F));  // largest finite result
    CHECK(m::exp(0x1.62e42ep+6F) < infty<float>);
    CHECK(m::exp(0x1.62e430p+6F) == infty<float>);
    CHECK(m::exp(-103.97207641601562F) == std::exp(-103.97207641601562F));
    CHECK(is_positive_zero(m::exp(-104.0F)));
    CHECK(m::exp(-100.0F) == std::exp(-100.0F));
  }
  SECTION("expm1")
  {
    CHECK(is_positive_zero(m::expm1(0.0)));
    CHECK(is_negative_zero(m::expm1(-0.0)));
    CHECK(is_negative_zero(m::expm1(-0.0F)));
    CHECK(same_bits(m::expm1(dden), dden));
    CHECK(same_bits(m::expm1(-dden), -dden));
    CHECK(same_bits(m::expm1(dmin), dmin));
    CHECK(same_bits(m::expm1(infty<double>), infty<double>));
    CHECK(same_bits(m::expm1(-infty<double>), -1.0));
    CHECK(same_bits(m::expm1(-infty<float>), -1.0F));
    CHECK(same_bits(m::expm1(-100.0), -1.0));
    CHECK(m::expm1(0x1.62e42fefa39efp+9) < infty<double>);
    CHECK(m::expm1(std::nextafter(0x1.62e42fefa39efp+9, infty<double>)) == infty<double>);
    CHECK(m::expm1(0x1.62e430p+6F) == infty<float>);
    CHECK(m::expm1(0x1.62e42ep+6F) < infty<float>);
  }
  SECTION("log and log1p")
  {
    CHECK(is_positive_zero(m::log(1.0)));
    CHECK(is_positive_zero(m::log(1.0F)));
    CHECK(same_bits(m::log(0.0), -infty<double>));
    CHECK(same_bits(m::log(-0.0), -infty<double>));
    CHECK(same_bits(m::log(0.0F), -infty<float>));
    CHECK(std::isnan(m::log(-1.0)));
    CHECK(std::isnan(m::log(-dden)));
    CHECK(std::isnan(m::log(-infty<double>)));
    CHECK(std::isnan(m::log(-1.0F)));
    CHECK(same_bits(m::log(infty<double>), infty<double>));
    CHECK(same_bits(m::log(infty<float>), infty<float>));
    CHECK(m::log(dden) == std::log(dden));  // -744.44...
    CHECK(m::log(dmax) == std::log(dmax));
    CHECK(same_bits(m::log(2.0), 0x1.62e42fefa39efp-1));

    CHECK(is_positive_zero(m::log1p(0.0)));
    CHECK(is_negative_zero(m::log1p(-0.0)));
    CHECK(is_negative_zero(m::log1p(-0.0F)));
    CHECK(same_bits(m::log1p(dden), dden));
    CHECK(same_bits(m::log1p(-dden), -dden));
    CHECK(same_bits(m::log1p(-1.0), -infty<double>));
    CHECK(same_bits(m::log1p(-1.0F), -infty<float>));
    CHECK(std::isnan(m::log1p(-1.5)));
    CHECK(std::isnan(m::log1p(-infty<double>)));
    CHECK(same_bits(m::log1p(infty<double>), infty<double>));
    CHECK(m::log1p(dmax) == std::log1p(dmax));
  }
  SECTION("tanh")
  {
    CHECK(is_positive_zero(m::tanh(0.0)));
    CHECK(is_negative_zero(m::tanh(-0.0)));
    CHECK(is_negative_zero(m::tanh(-0.0F)));
    CHECK(same_bits(m::tanh(dden), dden));
    CHECK(same_bits(m::tanh(-dden), -dden));
    CHECK(same_bits(m::tanh(dmin), dmin));
    CHECK(same_bits(m::tanh(infty<double>), 1.0));
    CHECK(same_bits(m::tanh(-infty<double>), -1.0));
    CHECK(same_bits(m::tanh(infty<float>), 1.0F));
    CHECK(same_bits(m::tanh(-infty<float>), -1.0F));
    CHECK(same_bits(m::tanh(30.0), 1.0));
    CHECK(same_bits(m::tanh(-dmax), -1.0));
    for (const double x : {0.1, 0.3, 0.7, 2.0, 19.0}) {  // odd function, exactly
      CHECK(same_bits(m::tanh(-x), -m::tanh(x)));
    }
  }
  SECTION("sqrt")
  {
    CHECK(is_positive_zero(m::sqrt(0.0)));
    CHECK(is_negative_zero(m::sqrt(-0.0)));
    CHECK(is_negative_zero(m::sqrt(-0.0F)));
    CHECK(same_bits(m::sqrt(infty<double>), infty<double>));
    CHECK(same_bits(m::sqrt(infty<float>), infty<float>));
    CHECK(std::isnan(m::sqrt(-infty<double>)));
    CHECK(std::isnan(m::sqrt(-1.0)));
    CHECK(std::isnan(m::sqrt(-dden)));
    CHECK(std::isnan(m::sqrt(-1.0F)));
    CHECK(same_bits(m::sqrt(dden), 0x1p-537));
    CHECK(same_bits(m::sqrt(dmax), std::sqrt(dmax)));
    CHECK(same_bits(m::sqrt(4.0), 2.0));
    CHECK(same_bits(m::sqrt(2.0F), std::sqrt(2.0F)));
  }
  SECTION("edges of exp's range, walked one double at a time")
  {
    // Subnormal results carry few bits, so the long double reference rounded to double is the
    // correctly rounded result here; the walks cross the underflow edge (last nonzero result), the
    // normal/subnormal edge and the overflow edge.
    for (const double edge : {-0x1.74910d52d3051p+9, -708.3964185322641, 0x1.62e42fefa39efp+9}) {
      double x = edge;
      for (int i = 0; i < 40; ++i) {
        x = std::nextafter(x, -infty<double>);
      }
      for (int i = 0; i < 80; ++i, x = std::nextafter(x, infty<double>)) {
        const auto expected = static_cast<double>(std::exp(static_cast<long double>(x)));
        INFO("exp(" << hex(x) << ") = " << hex(m::exp(x)) << ", expected " << hex(expected));
        CHECK(same_bits(m::exp(x), expected));
      }
    }
  }
  SECTION("float: zeros, subnormals, edges, infinities")
  {
    const float fmin = std::numeric_limits<float>::min();
    const float fden = std::numeric_limits<float>::denorm_min();
    const float fmax = std::numeric_limits<float>::max();
    // Correctly rounded float results, from long double (11 more bits than double).
    const auto rounded = [](long double v) { return static_cast<float>(v); };

    CHECK(same_bits(m::exp(-0.0F), 1.0F));
    CHECK(same_bits(m::exp(fden), 1.0F));
    CHECK(same_bits(m::exp(-fden), 1.0F));
    CHECK(same_bits(m::exp(fmax), infty<float>));
    CHECK(is_positive_zero(m::exp(-fmax)));
    CHECK(same_bits(m::exp(-100.0F), rounded(std::exp(-100.0L))));  // subnormal result
    // Walks across the underflow edge (ln 2^-150), the normal/subnormal edge (ln 2^-126) and the
    // overflow edge (ln of the largest float).
    for (const float edge : {-103.972076F, -87.336548F, 88.722839F}) {
      float x = edge;
      for (int i = 0; i < 40; ++i) {
        x = std::nextafter(x, -infty<float>);
      }
      for (int i = 0; i < 80; ++i, x = std::nextafter(x, infty<float>)) {
        // float exp computes in float arithmetic (within 0.54 ulp): the correctly rounded result
        // or its neighbour, and infinity exactly where the result overflows.
        const float got = m::exp(x);
        const float expected = rounded(std::exp(static_cast<long double>(x)));
        INFO("exp(" << hex(x) << ") = " << hex(got) << ", correctly rounded " << hex(expected));
        const auto distance = static_cast<std::int64_t>(std::bit_cast<std::uint32_t>(got)) -
                              static_cast<std::int64_t>(std::bit_cast<std::uint32_t>(expected));
        CHECK((distance >= -1 && distance <= 1));
        CHECK(std::isinf(got) == std::isinf(expected));
      }
    }
    CHECK(same_bits(m::exp(-0x1.9fe368p+6F), fden));   // just above ln 2^-150: the smallest subnormal ...
    CHECK(is_positive_zero(m::exp(-0x1.9fe36ap+6F)));  // ... and the next float down: +0

    CHECK(same_bits(m::expm1(fden), fden));
    CHECK(same_bits(m::expm1(-fden), -fden));
    CHECK(same_bits(m::expm1(fmin), fmin));
    CHECK(same_bits(m::expm1(fmax), infty<float>));
    CHECK(same_bits(m::expm1(-fmax), -1.0F));
    CHECK(same_bits(m::expm1(-100.0F), -1.0F));
    CHECK(is_positive_zero(m::expm1(0.0F)));

    CHECK(same_bits(m::log(-0.0F), -infty<float>));
    CHECK(std::isnan(m::log(-fden)));
    CHECK(std::isnan(m::log(-infty<float>)));
    CHECK(same_bits(m::log(fden), rounded(std::log(static_cast<long double>(fden)))));  // -149 ln 2
    CHECK(same_bits(m::log(fmin), rounded(std::log(static_cast<long double>(fmin)))));  // -126 ln 2
    CHECK(same_bits(m::log(fmax), rounded(std::log(static_cast<long double>(fmax)))));
    CHECK(same_bits(m::log(2.0F), rounded(std::log(2.0L))));

    CHECK(is_positive_zero(m::log1p(0.0F)));
    CHECK(same_bits(m::log1p(fden), fden));
    CHECK(same_bits(m::log1p(-fden), -fden));
    CHECK(same_bits(m::log1p(infty<float>), infty<float>));
    CHECK(std::isnan(m::log1p(-1.5F)));
    CHECK(std::isnan(m::log1p(-infty<float>)));
    CHECK(same_bits(m::log1p(fmax), rounded(std::log1p(static_cast<long double>(fmax)))));

    CHECK(is_positive_zero(m::tanh(0.0F)));
    CHECK(same_bits(m::tanh(fden), fden));
    CHECK(same_bits(m::tanh(-fden), -fden));
    CHECK(same_bits(m::tanh(fmin), fmin));
    CHECK(same_bits(m::tanh(fmax), 1.0F));
    CHECK(same_bits(m::tanh(-fmax), -1.0F));

    CHECK(is_positive_zero(m::sqrt(0.0F)));
    CHECK(same_bits(m::sqrt(2.0F * fden), 0x1p-74F));  // subnormal in, exact result
    CHECK(same_bits(m::sqrt(fmin), 0x1p-63F));
    CHECK(same_bits(m::sqrt(fmax), rounded(std::sqrt(static_cast<long double>(fmax)))));
    CHECK(same_bits(m::sqrt(16.0F), 4.0F));
    CHECK(std::isnan(m::sqrt(-fden)));
    CHECK(std::isnan(m::sqrt(-infty<float>)));
  }
  SECTION("abs, isnan, isinf, isfinite")
  {
    CHECK(same_bits(m::abs(-0.0), 0.0));
    CHECK(same_bits(m::abs(-0.0F), 0.0F));
    CHECK(same_bits(m::abs(-dden), dden));
    CHECK(same_bits(m::abs(-infty<double>), infty<double>));
    CHECK(same_bits(m::abs(-2.5F), 2.5F));
    CHECK(same_bits(m::abs(3.0), 3.0));
    CHECK(!std::signbit(m::abs(-qnan<double>)));
    for (const double x : {0.0, -0.0, dden, -dmax, dmax, 1.0}) {
      CHECK(!m::isnan(x));
      CHECK(!m::isinf(x));
      CHECK(m::isfinite(x));
    }
    for (const float x : {0.0F, -0.0F, std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
                          -std::numeric_limits<float>::max()}) {
      CHECK(!m::isnan(x));
      CHECK(!m::isinf(x));
      CHECK(m::isfinite(x));
    }
    for (const double x : {infty<double>, -infty<double>}) {
      CHECK(!m::isnan(x));
      CHECK(m::isinf(x));
      CHECK(!m::isfinite(x));
      CHECK(m::isinf(static_cast<float>(x)));
    }
    CHECK(m::isnan(qnan<double>));
    CHECK(m::isnan(-qnan<float>));
    CHECK(!m::isinf(qnan<double>));
    CHECK(!m::isfinite(qnan<double>));
    CHECK(!m::isfinite(qnan<float>));
  }
}

namespace {

// Probe points for the compile-time vs runtime comparison: special values, the
// edges of every branch, plus pseudo-random values from a constexpr generator.
constexpr std::size_t n_fixed = 48;
constexpr std::size_t n_random = 200;
constexpr std::size_t n_probe = n_fixed + n_random;

template <class T>
constexpr std::array<T, n_probe> probe_inputs()
{
  constexpr T lim_max = std::numeric_limits<T>::max();
  constexpr T lim_min = std::numeric_limits<T>::min();
  constexpr T lim_den = std::numeric_limits<T>::denorm_min();
  std::array<T, n_probe> in{
      T(0),         -T(0),         T(1),           T(-1),      T(0.5),
      T(-0.5),      T(2),          T(0.3),         T(-0.3),    T(0.29999),
      T(22),        T(-22),        T(22.5),        T(1e-9),    T(-1e-9),
      T(1e-30),     T(0.1),        T(0.7),         T(1.5),     T(-1.5),
      T(5),         T(-5),         T(10),          T(-10),     T(20),
      T(-20),       T(40),         T(-40),         T(88.7),    T(-88.7),
      T(-103.9),    T(-100),       T(3.5),         T(-0.9999), T(1e10),
      lim_max,      -lim_max,      lim_min,        -lim_min,   lim_den,
      -lim_den,     infty<T>,      -infty<T>,      qnan<T>,    T(0.6931471805599453),
      T(1.4142135), T(0.70710677), T(-0.29289323),
  };
  // splitmix64 mapped to T in [-40, 40), then a few spread over the exponent range.
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  for (std::size_t i = n_fixed; i < n_probe; ++i) {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const double unit = static_cast<double>(z >> 11) * 0x1p-53;  // [0, 1)
    T x = static_cast<T>(unit * 80.0 - 40.0);
    if (i % 4 == 0) {
      x = static_cast<T>(x * x * x * x);  // up to 2.56e6
    } else if (i % 4 == 1) {
      x = static_cast<T>(x / 1e6);
    }
    in[i] = x;
  }
  if constexpr (std::is_same_v<T, double>) {
    in[28] = 709.78;
    in[29] = -708.5;  // subnormal exp
    in[30] = -745.0;
  }
  return in;
}

template <class T>
constexpr std::array<T, n_probe> probes = probe_inputs<T>();

template <class T, class F>
constexpr std::array<T, n_probe> apply_all(F f)
{
  std::array<T, n_probe> out{};
  for (std::size_t i = 0; i < n_probe; ++i) {
    out[i] = f(probes<T>[i]);
  }
  return out;
}

// Runtime side: the input is laundered through a volatile so that the
// optimizer cannot fold the call back into a constant.
template <class T, class F>
void compare_runtime(const char* name, const std::array<T, n_probe>& at_compile_time, F f)
{
  std::size_t differ = 0;
  for (std::size_t i = 0; i < n_probe; ++i) {
    volatile T in = probes<T>[i];
    const T at_runtime = f(static_cast<T>(in));
    if (!same_bits(at_runtime, at_compile_time[i])) {
      ++differ;
      UNSCOPED_INFO(name << "(" << hex(probes<T>[i]) << "): compile time " << hex(at_compile_time[i]) << ", runtime "
                         << hex(at_runtime));
    }
  }
  CHECK(differ == 0);
}

template <class T>
constexpr auto ct_exp = apply_all<T>(m_exp);
template <class T>
constexpr auto ct_expm1 = apply_all<T>(m_expm1);
template <class T>
constexpr auto ct_log = apply_all<T>(m_log);
template <class T>
constexpr auto ct_log1p = apply_all<T>(m_log1p);
template <class T>
constexpr auto ct_tanh = apply_all<T>(m_tanh);
template <class T>
constexpr auto ct_sqrt = apply_all<T>(m_sqrt);
template <class T>
constexpr auto ct_abs = apply_all<T>([](auto x) { return m::abs(x); });

// The integer square root routine that Clang's constant evaluator runs (GCC folds the builtin
// instead), run at compile time on either compiler, against ctnn::math::sqrt at runtime (the
// instruction). Inputs outside the routine's domain go to sqrt, which handles them before either path.
constexpr auto routine_sqrt = [](auto x) {
  using T = decltype(x);
  if (x > T(0) && x < infty<T>) {
    return static_cast<T>(m::detail::sqrt_correctly_rounded(x));
  }
  return m::sqrt(x);
};
template <class T>
constexpr auto ct_sqrt_routine = apply_all<T>(routine_sqrt);

template <class T>
void compare_all()
{
  compare_runtime("exp", ct_exp<T>, m_exp);
  compare_runtime("expm1", ct_expm1<T>, m_expm1);
  compare_runtime("log", ct_log<T>, m_log);
  compare_runtime("log1p", ct_log1p<T>, m_log1p);
  compare_runtime("tanh", ct_tanh<T>, m_tanh);
  compare_runtime("sqrt", ct_sqrt<T>, m_sqrt);
  compare_runtime("sqrt's integer routine", ct_sqrt_routine<T>, m_sqrt);
  compare_runtime("abs", ct_abs<T>, [](auto x) { return m::abs(x); });
}

}  // namespace

TEST_CASE("math: compile-time results equal runtime results bit for bit", "[math]")
{
  compare_all<double>();
  compare_all<float>();
}

// float exp's table (detail/float_math.hpp, printed as literals) is every fourth entry of double's
// 2^(j/128) table, split into a float and a relative tail: derived here again and compared.
static_assert([] {
  namespace d = ctnn::math::detail;
  for (unsigned j = 0; j < 32; ++j) {
    const double hi = d::exp2_hi128[4 * j];
    const auto t = static_cast<float>(hi);
    const double tail = ((hi - static_cast<double>(t)) + d::exp2_lo128[4 * j]) / static_cast<double>(t);
    if (d::exp_float_table[j].tail != static_cast<float>(tail)) return false;
    if (d::exp_float_table[j].bits != std::bit_cast<std::uint32_t>(t) - (j << 18)) return false;
  }
  return true;
}());

TEST_CASE("math: float sigmoid's special values", "[math]")
{
  constexpr float inf = std::numeric_limits<float>::infinity();
  STATIC_REQUIRE(m::sigmoid(0.0F) == 0.5F);
  STATIC_REQUIRE(m::sigmoid(-0.0F) == 0.5F);
  STATIC_REQUIRE(m::sigmoid(inf) == 1.0F);
  STATIC_REQUIRE(m::sigmoid(20.0F) == 1.0F);
  STATIC_REQUIRE(m::sigmoid(1e30F) == 1.0F);
  STATIC_REQUIRE(m::sigmoid(-inf) == 0.0F);
  STATIC_REQUIRE(m::sigmoid(-200.0F) == 0.0F);
  STATIC_REQUIRE(m::sigmoid(-100.0F) == m::exp(-100.0F));  // subnormal: e^x to float precision
  STATIC_REQUIRE(m::sigmoid(-0x1.9fe368p+6F) == std::numeric_limits<float>::denorm_min());
  STATIC_REQUIRE(m::sigmoid(1.0) == 1.0 / (1.0 + m::exp(-1.0)));  // double: the plain expression
  const float nan = std::numeric_limits<float>::quiet_NaN();
  volatile float opaque = nan;
  CHECK(std::isnan(m::sigmoid(opaque)));
  opaque = 0.0F;
  CHECK(m::sigmoid(opaque) == 0.5F);
}
