// Compile-time facts about ctnn/math.hpp: if this file compiles, they hold, and
// every call below was accepted as a constant expression (including NaN and
// infinity inputs and subnormal results).

#include <ctnn/math.hpp>

#include <bit>
#include <cstdint>
#include <limits>

namespace {

namespace m = ctnn::math;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double qnan = std::numeric_limits<double>::quiet_NaN();
constexpr float inff = std::numeric_limits<float>::infinity();
constexpr double denorm = std::numeric_limits<double>::denorm_min();

// std::signbit is not constexpr in C++20.
constexpr bool negative_zero(double x)
{
  return std::bit_cast<std::uint64_t>(x) == 0x8000'0000'0000'0000ULL;
}
constexpr bool positive_zero(double x)
{
  return std::bit_cast<std::uint64_t>(x) == 0;
}
constexpr bool negative_zero(float x)
{
  return std::bit_cast<std::uint32_t>(x) == 0x8000'0000U;
}

// |a - b| in ulps for finite doubles of the same sign.
constexpr std::uint64_t ulps_apart(double a, double b)
{
  const auto ua = std::bit_cast<std::uint64_t>(a);
  const auto ub = std::bit_cast<std::uint64_t>(b);
  return ua > ub ? ua - ub : ub - ua;
}

}  // namespace

static_assert(m::Real<float> && m::Real<double>);
static_assert(!m::Real<long double> && !m::Real<int>);

// exp
static_assert(m::exp(0.0) == 1.0);
static_assert(m::exp(-0.0) == 1.0);
static_assert(m::exp(0.0F) == 1.0F);
static_assert(m::exp(-inf) == 0.0 && positive_zero(m::exp(-inf)));
static_assert(m::exp(inf) == inf);
static_assert(m::exp(inff) == inff);
static_assert(m::isnan(m::exp(qnan)));
static_assert(ulps_apart(m::exp(1.0), 2.718281828459045) <= 1);  // e = 2.71828182845904523536...
static_assert(m::exp(1.0) > 2.7182818284590446 && m::exp(1.0) < 2.7182818284590455);
static_assert(m::exp(1.0F) > 2.718281F && m::exp(1.0F) < 2.7182822F);
static_assert(m::exp(1000.0) == inf);                            // overflow returns inf, not a trap
static_assert(m::exp(0x1.62e42fefa39efp+9) < inf);               // largest finite result
static_assert(m::exp(-745.0) > 0.0 && m::exp(-745.0) < 1e-320);  // gradual underflow
static_assert(m::exp(-0x1.74910d52d3051p+9) == denorm);
static_assert(positive_zero(m::exp(-746.0)));
static_assert(m::exp(-1.0) * m::exp(1.0) > 0.9999999999999997 && m::exp(-1.0) * m::exp(1.0) < 1.0000000000000003);
static_assert(m::exp(2.0) > m::exp(1.9999999999999998));  // monotonic spot checks
static_assert(m::exp(-3.0) < m::exp(-2.9999999999999996));
static_assert(m::exp(0.1) < m::exp(0.1000000000000005));
static_assert(m::exp(0x1.62e42ep+6F) < inff && m::exp(0x1.62e430p+6F) == inff);

// expm1
static_assert(negative_zero(m::expm1(-0.0)));
static_assert(m::expm1(1e-300) == 1e-300);
static_assert(m::expm1(-inf) == -1.0);
static_assert(m::expm1(inf) == inf);
static_assert(m::expm1(1e-10) > 1e-10 && m::expm1(1e-10) < 1.0000000001e-10);

// log and log1p
static_assert(m::log(1.0) == 0.0 && positive_zero(m::log(1.0)));
static_assert(m::log(1.0F) == 0.0F);
static_assert(m::log(0.0) == -inf);
static_assert(m::log(-0.0) == -inf);
static_assert(m::isnan(m::log(-1.0)));
static_assert(m::isnan(m::log(-1.0F)));
static_assert(m::log(inf) == inf);
static_assert(m::isnan(m::log(qnan)));
static_assert(m::log(2.0) == 0x1.62e42fefa39efp-1);  // ln 2 correctly rounded
static_assert(ulps_apart(m::log(m::exp(1.0)), 1.0) <= 1);
static_assert(m::log(denorm) < -744.0 && m::log(denorm) > -745.0);
static_assert(m::log(0.5) == -m::log(2.0));
static_assert(m::log(3.0) < m::log(3.0000000000000004));  // monotonic
static_assert(negative_zero(m::log1p(-0.0)));
static_assert(m::log1p(-1.0) == -inf);
static_assert(m::isnan(m::log1p(-2.0)));
static_assert(m::log1p(1e-20) == 1e-20);
static_assert(m::log1p(1.0) == m::log(2.0));

// tanh
static_assert(negative_zero(m::tanh(-0.0)));
static_assert(positive_zero(m::tanh(0.0)));
static_assert(negative_zero(m::tanh(-0.0F)));
static_assert(m::tanh(inf) == 1.0 && m::tanh(-inf) == -1.0);
static_assert(m::tanh(inff) == 1.0F);
static_assert(m::isnan(m::tanh(qnan)));
static_assert(m::tanh(30.0) == 1.0);
static_assert(m::tanh(1e-200) == 1e-200);
static_assert(m::tanh(-0.5) == -m::tanh(0.5));
static_assert(m::tanh(0.29) < m::tanh(0.3) && m::tanh(0.3) < m::tanh(0.31));  // across a branch
static_assert(ulps_apart(m::tanh(1.0), 0.76159415595576488812) <= 1);

// sqrt
static_assert(m::sqrt(4.0) == 2.0);
static_assert(m::sqrt(4.0F) == 2.0F);
static_assert(ulps_apart(m::sqrt(2.0) * m::sqrt(2.0), 2.0) <= 1);
static_assert(m::sqrt(2.0) == 0x1.6a09e667f3bcdp+0);  // correctly rounded
static_assert(negative_zero(m::sqrt(-0.0)));
static_assert(positive_zero(m::sqrt(0.0)));
static_assert(m::isnan(m::sqrt(-1.0)));
static_assert(m::sqrt(inf) == inf);
static_assert(m::sqrt(denorm) == 0x1p-537);
static_assert(m::sqrt(1e300) == 1e150);
static_assert(m::sqrt(9.0) == 3.0 && m::sqrt(0.25) == 0.5);

// On GCC, sqrt folds __builtin_sqrt (MPFR, correctly rounded); the integer routine that Clang's
// evaluator runs must agree with it. (On Clang both sides are the routine.)
constexpr bool routine_matches_sqrt()
{
  double x = 0x1p-1074;  // a geometric walk from the smallest subnormal to near the largest double
  for (int i = 0; i < 2000; ++i, x *= 2.0562) {
    if (m::detail::sqrt_correctly_rounded(x) != m::sqrt(x)) {
      return false;
    }
  }
  for (int k = 1; k < 500; ++k) {  // perfect squares and the doubles next to them
    const double square = static_cast<double>(k) * k;
    const double below = square - square * 0x1p-53;
    const double above = square + square * 0x1p-52;
    if (m::detail::sqrt_correctly_rounded(square) != k || m::detail::sqrt_correctly_rounded(below) != m::sqrt(below) ||
        m::detail::sqrt_correctly_rounded(above) != m::sqrt(above)) {
      return false;
    }
  }
  return true;
}
static_assert(routine_matches_sqrt());

// float special values
static_assert(positive_zero(m::exp(-inff)) && m::exp(88.8F) == inff);
static_assert(m::exp(-0x1.9fe368p+6F) == std::numeric_limits<float>::denorm_min());  // just above ln 2^-150
static_assert(m::exp(-0x1.9fe36ap+6F) == 0.0F);
static_assert(negative_zero(m::expm1(-0.0F)) && m::expm1(-inff) == -1.0F && m::expm1(inff) == inff);
static_assert(m::log(0.0F) == -inff && m::log(-0.0F) == -inff && m::log(inff) == inff);
static_assert(m::isnan(m::log(-1.0F)) && m::isnan(m::log(-inff)));
static_assert(m::log1p(-1.0F) == -inff && negative_zero(m::log1p(-0.0F)) && m::isnan(m::log1p(-2.0F)));
static_assert(m::tanh(-inff) == -1.0F && m::tanh(std::numeric_limits<float>::denorm_min()) > 0.0F);
static_assert(negative_zero(m::sqrt(-0.0F)) && m::isnan(m::sqrt(-1.0F)) && m::sqrt(inff) == inff);
static_assert(m::sqrt(0x1p-148F) == 0x1p-74F);  // subnormal in

// abs and classification
static_assert(positive_zero(m::abs(-0.0)));
static_assert(m::abs(-3.5) == 3.5 && m::abs(-3.5F) == 3.5F);
static_assert(m::abs(-inf) == inf);
static_assert(m::isnan(qnan) && !m::isnan(1.0) && !m::isnan(inf));
static_assert(m::isinf(inf) && m::isinf(-inf) && !m::isinf(qnan) && !m::isinf(1e308));
static_assert(m::isfinite(1.0) && m::isfinite(denorm) && !m::isfinite(inf) && !m::isfinite(qnan));
static_assert(!m::isfinite(-inff) && m::isfinite(std::numeric_limits<float>::max()));

int main() {}
