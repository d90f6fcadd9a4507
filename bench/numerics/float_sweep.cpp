// Every float input (all 2^32 bit patterns) of ctnn::math's float exp, tanh, sigmoid, log, log1p,
// expm1 and of Softplus, which compute in float arithmetic (detail/float_math.hpp): the worst error in ulps, how many
// results are not correctly rounded, and whether the runtime's layer-wide form (detail/simd_math.hpp) gives the scalar
// function's bits for every input.
//
// Build and run (Debian: apt-get install libmpfr-dev):
//   g++ -std=c++20 -O2 -ffp-contract=off -march=native -Iinclude bench/numerics/float_sweep.cpp -lmpfr
//     -o /tmp/float_sweep && /tmp/float_sweep [exp] [tanh] [sigmoid] [log] [log1p] [expm1] [softplus]
//     [--stride S] [--where-it-matters]
// --where-it-matters sweeps only the inputs whose result is computed (ranges_that_matter below), a
// third of the float line or less; the rest go through constant branches that a --stride run covers.
//
// Reference: the exact value in double (glibc's exp and tanh, within one double ulp; sigmoid as
// 1/(1 + exp(-x)) in double, within two), which is 2^29 times finer than a float ulp. Where it lies
// within 2^-20 float ulps of a rounding midpoint, MPFR at 200 bits decides the correctly rounded
// result, and the worst error is recomputed with MPFR.

#include <ctnn/activation.hpp>
#include <ctnn/detail/simd_math.hpp>
#include <ctnn/math.hpp>

#include <mpfr.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {

enum class Fn { exp, tanh, sigmoid, log, log1p, expm1, softplus };

const char* name(Fn f)
{
  constexpr const char* names[] = {"exp", "tanh", "sigmoid", "log", "log1p", "expm1", "softplus"};
  return names[static_cast<int>(f)];
}

float ours(Fn f, float x)
{
  namespace m = ctnn::math;
  switch (f) {
    case Fn::exp:
      return m::exp(x);
    case Fn::tanh:
      return m::tanh(x);
    case Fn::sigmoid:
      return m::sigmoid(x);
    case Fn::log:
      return m::log(x);
    case Fn::log1p:
      return m::log1p(x);
    case Fn::expm1:
      return m::expm1(x);
    default:
      return ctnn::Softplus::value(x);
  }
}

double reference(Fn f, float x)
{
  const double xd = x;
  switch (f) {
    case Fn::exp:
      return std::exp(xd);
    case Fn::tanh:
      return std::tanh(xd);
    case Fn::sigmoid:
      return 1.0 / (1.0 + std::exp(-xd));
    case Fn::log:
      return std::log(xd);
    case Fn::log1p:
      return std::log1p(xd);
    case Fn::expm1:
      return std::expm1(xd);
    default:
      return (xd > 0.0 ? xd : 0.0) + std::log1p(std::exp(-std::fabs(xd)));
  }
}

constexpr std::size_t block = 4096;

void lanes(Fn f, const float* in, float* out)
{
  namespace simd = ctnn::detail::simd;
  if (f == Fn::exp) simd::exp_array<block>(in, out);
  if (f == Fn::tanh) simd::tanh_array<block>(in, out);
  if (f == Fn::sigmoid) simd::sigmoid_array<block>(in, out);
  if (f == Fn::log1p) simd::log1p_array<block>(in, out);
  if (f == Fn::softplus) ctnn::Softplus::forward_elementwise<block>(in, out);
  // log and expm1 have no layer-wide form: the scalar function is all there is.
  if (f == Fn::log || f == Fn::expm1)
    for (std::size_t i = 0; i < block; ++i) out[i] = ours(f, in[i]);
}

// The float ulp at |y| (the subnormal spacing below the normal range).
double ulp_at(double y)
{
  int e = 0;
  static_cast<void>(std::frexp(y, &e));  // |y| in [2^(e-1), 2^e)
  return std::ldexp(1.0, (e < -125 ? -125 : e) - 24);
}

struct Mpfr {
  mpfr_t x, y, d;
  Mpfr() { mpfr_inits2(200, x, y, d, static_cast<mpfr_ptr>(nullptr)); }
  ~Mpfr() { mpfr_clears(x, y, d, static_cast<mpfr_ptr>(nullptr)); }
  Mpfr(const Mpfr&) = delete;
  Mpfr& operator=(const Mpfr&) = delete;
  void eval(Fn f, float in)
  {
    mpfr_set_flt(x, in, MPFR_RNDN);
    if (f == Fn::exp) mpfr_exp(y, x, MPFR_RNDN);
    if (f == Fn::tanh) mpfr_tanh(y, x, MPFR_RNDN);
    if (f == Fn::sigmoid) {
      mpfr_neg(y, x, MPFR_RNDN);
      mpfr_exp(y, y, MPFR_RNDN);
      mpfr_add_ui(y, y, 1, MPFR_RNDN);
      mpfr_ui_div(y, 1, y, MPFR_RNDN);
    }
    if (f == Fn::log) mpfr_log(y, x, MPFR_RNDN);
    if (f == Fn::log1p) mpfr_log1p(y, x, MPFR_RNDN);
    if (f == Fn::expm1) mpfr_expm1(y, x, MPFR_RNDN);
    if (f == Fn::softplus) {
      mpfr_exp(y, x, MPFR_RNDN);
      mpfr_log1p(y, y, MPFR_RNDN);
    }
  }
  // |got - f(x)| / ulp, exactly
  double error(Fn f, float in, float got)
  {
    eval(f, in);
    mpfr_set_flt(d, got, MPFR_RNDN);
    mpfr_sub(d, d, y, MPFR_RNDN);
    mpfr_abs(d, d, MPFR_RNDN);
    return mpfr_get_d(d, MPFR_RNDN) / ulp_at(mpfr_get_d(y, MPFR_RNDN));
  }
};

// The inputs whose results are not settled by a short argument, swept one by one with
// --where-it-matters: beyond them a function returns its input (tanh below 2^-12), a constant (1, 0.5,
// +-1), 0 or inf, by a branch that the sweep at a stride covers.
struct Range {
  float lo, hi;  // magnitudes
  bool negative;
};
std::vector<Range> ranges_that_matter(Fn f)
{
  switch (f) {
    case Fn::exp:
      return {{0x1p-26F, 104.0F, true}, {0x1p-26F, 88.75F, false}};
    case Fn::tanh:
      return {{0x1p-12F, 10.0F, true}, {0x1p-12F, 10.0F, false}};
    case Fn::log:  // every positive float but inf
      return {{0x1p-149F, std::numeric_limits<float>::max(), false}};
    case Fn::log1p:  // beyond: +-0 and below 2^-25 returned as they are
      return {{0x1p-25F, 1.0F, true}, {0x1p-25F, std::numeric_limits<float>::max(), false}};
    case Fn::expm1:  // beyond: x, -1 or inf
      return {{0x1p-25F, 40.0F, true}, {0x1p-25F, 88.75F, false}};
    case Fn::softplus:  // beyond: x + 0 (e^-|x| is 0), or x (e^-x below half an ulp of x)
      return {{0.0F, 104.0F, true}, {0.0F, 104.0F, false}};
    default:
      return {{0x1p-26F, 104.0F, true}, {0x1p-26F, 20.0F, false}};
  }
}

void sweep(Fn f, std::uint64_t stride, Mpfr& mp, bool where_it_matters = false)
{
  double worst = 0.0;
  float worst_x = 0.0F;
  std::uint64_t points = 0, not_rounded = 0, undecided = 0, lanes_differ = 0, lanes_checked = 0;
  static float in[block], out[block], scalar[block];
  std::size_t filled = 0;
  std::vector<std::uint32_t> patterns;  // [first, last] pairs of bit patterns
  if (where_it_matters) {
    for (const Range& r : ranges_that_matter(f)) {
      const std::uint32_t sign = r.negative ? 0x8000'0000U : 0U;
      patterns.push_back(std::bit_cast<std::uint32_t>(r.lo) | sign);
      patterns.push_back(std::bit_cast<std::uint32_t>(r.hi) | sign);
    }
  } else {
    patterns = {0U, 0xffff'ffffU};
  }
  for (std::size_t range = 0; range < patterns.size(); range += 2)
    for (std::uint64_t u = patterns[range]; u <= patterns[range + 1]; u += stride) {
      const float x = std::bit_cast<float>(static_cast<std::uint32_t>(u));
      const float got = ours(f, x);
      scalar[filled] = got;
      in[filled++] = x;
      if (filled == block) {
        lanes(f, in, out);
        for (std::size_t i = 0; i < block; ++i) {
          const float s = scalar[i];
          lanes_differ +=
              std::bit_cast<std::uint32_t>(s) == std::bit_cast<std::uint32_t>(out[i]) || (s != s && out[i] != out[i])
                  ? 0
                  : 1;
        }
        lanes_checked += block;
        filled = 0;
      }
      ++points;
      const double r = reference(f, x);
      if (r != r || got != got) {
        if ((r != r) != (got != got)) {
          std::printf("%s(%a): got %a, expected %a\n", name(f), static_cast<double>(x), static_cast<double>(got), r);
          worst = HUGE_VAL;
        }
        continue;
      }
      if (std::isinf(r) || std::isinf(got) || std::fabs(r) > static_cast<double>(std::numeric_limits<float>::max())) {
        const float c = static_cast<float>(r);
        if (got != c) ++not_rounded;
        if (!(got == c || std::isinf(r) == std::isinf(got))) worst = HUGE_VAL;
        continue;
      }
      const double ulp = ulp_at(r);
      const double err = std::fabs(static_cast<double>(got) - r) / ulp;
      double frac = std::fabs(r) / ulp;
      frac -= std::floor(frac);  // position within the ulp: 0.5 is a midpoint
      if (std::fabs(frac - 0.5) < 0x1p-20) {
        ++undecided;
        const double exact = mp.error(f, x, got);
        if (exact > 0.5) ++not_rounded;
        if (exact > worst) worst = exact, worst_x = x;
        continue;
      }
      if (err > 0.5) ++not_rounded;
      if (err > worst - 1e-6) {
        const double exact = mp.error(f, x, got);
        if (exact > worst) worst = exact, worst_x = x;
      }
    }
  std::printf("| %s | float | %s | %.3g | %.4f | %a | %.5f %% (%llu not) | %llu of %llu |\n", name(f),
              where_it_matters ? (stride == 1 ? "every float where it matters"
                                              : ("1 in " + std::to_string(stride) + " where it matters").c_str())
              : stride == 1    ? "all 2^32 bit patterns"
                               : ("1 in " + std::to_string(stride)).c_str(),
              static_cast<double>(points), worst, static_cast<double>(worst_x),
              100.0 * static_cast<double>(points - not_rounded) / static_cast<double>(points),
              static_cast<unsigned long long>(not_rounded), static_cast<unsigned long long>(lanes_differ),
              static_cast<unsigned long long>(lanes_checked));
  std::fflush(stdout);
  (void)undecided;
}

}  // namespace

int main(int argc, char** argv)
{
  std::uint64_t stride = 1;
  bool where_it_matters = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--where-it-matters") == 0) {
      where_it_matters = true;
    } else if (std::strcmp(argv[i], "--stride") == 0 && i + 1 < argc) {
      stride = std::strtoull(argv[++i], nullptr, 10);
    } else {
      only += std::string(" ") + argv[i] + " ";
    }
  }
  Mpfr mp;
  std::printf(
      "| function | type | inputs | points | worst ulp | at x | correctly rounded | layer-wide bits differ |\n");
  std::printf("|---|---|---|---:|---:|---|---:|---:|\n");
  for (const Fn f : {Fn::exp, Fn::tanh, Fn::sigmoid, Fn::log, Fn::log1p, Fn::expm1, Fn::softplus}) {
    if (only.empty() || only.find(std::string(" ") + name(f) + " ") != std::string::npos)
      sweep(f, stride, mp, where_it_matters);
  }
}
