// Dense accuracy sweep of ctnn/math.hpp against glibc, printed as a markdown table.
//
// Build and run (Debian: apt-get install libmpfr-dev):
//   g++ -std=c++20 -O2 -ffp-contract=off -Iinclude bench/numerics/sweep.cpp -lmpfr -o /tmp/sweep && /tmp/sweep
// Options: --double-points N (random doubles per function, default 10^7), --float-stride S (every
// S-th of the 2^32 float bit patterns, default 32; 1 is exhaustive), --function NAME (only that
// function, e.g. exp; may be repeated). Every float input also goes through the runtime's
// layer-wide form (exp, log1p, tanh of detail/simd_math.hpp), whose bits must equal the scalar's.
// The exhaustive float tanh (about 20 minutes here):
//   /tmp/sweep --double-points 0 --float-stride 1 --function tanh
//
// Reference: glibc's long double functions (x87, 64-bit significand), good to a few long double
// ulps, i.e. ~2^-9 of a double ulp. Where that is not enough to decide the correctly rounded result
// (the reference lies within 16 long double ulps of a rounding midpoint) MPFR decides at 200 bits,
// and every reported worst error is recomputed with MPFR. glibc's own double/float functions are
// measured on the same inputs for comparison.

#include <ctnn/detail/simd_math.hpp>
#include <ctnn/math.hpp>

#include <mpfr.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>

namespace {

constexpr std::size_t lanes_block = 4096;

template <class T>
using Bits = std::conditional_t<std::is_same_v<T, double>, std::uint64_t, std::uint32_t>;

// sqrt_routine: the integer routine ctnn::math::sqrt runs in Clang's constant evaluation.
enum class Fn { exp, expm1, log, log1p, tanh, sqrt, sqrt_routine };

const char* name(Fn f)
{
  switch (f) {
    case Fn::exp:
      return "exp";
    case Fn::expm1:
      return "expm1";
    case Fn::log:
      return "log";
    case Fn::log1p:
      return "log1p";
    case Fn::tanh:
      return "tanh";
    case Fn::sqrt:
      return "sqrt";
    case Fn::sqrt_routine:
      return "sqrt, constexpr routine";
  }
  return "?";
}

template <class T>
T ctnn_f(Fn f, T x)
{
  namespace m = ctnn::math;
  switch (f) {
    case Fn::exp:
      return m::exp(x);
    case Fn::expm1:
      return m::expm1(x);
    case Fn::log:
      return m::log(x);
    case Fn::log1p:
      return m::log1p(x);
    case Fn::tanh:
      return m::tanh(x);
    case Fn::sqrt:
      return m::sqrt(x);
    case Fn::sqrt_routine:
      return x > T(0) && x < std::numeric_limits<T>::infinity()
                 ? static_cast<T>(m::detail::sqrt_correctly_rounded(static_cast<double>(x)))
                 : m::sqrt(x);
  }
  return x;
}

template <class T>
T glibc_f(Fn f, T x)
{
  switch (f) {
    case Fn::exp:
      return std::exp(x);
    case Fn::expm1:
      return std::expm1(x);
    case Fn::log:
      return std::log(x);
    case Fn::log1p:
      return std::log1p(x);
    case Fn::tanh:
      return std::tanh(x);
    case Fn::sqrt:
    case Fn::sqrt_routine:
      return std::sqrt(x);
  }
  return x;
}

// f(x) in MPFR at 200 bits, with an exponent range wide enough for every result here.
struct Mpfr {
  mpfr_t x, y;
  Mpfr()
  {
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    mpfr_init2(x, 200);
    mpfr_init2(y, 200);
  }
  ~Mpfr()
  {
    mpfr_clear(x);
    mpfr_clear(y);
  }
  Mpfr(const Mpfr&) = delete;
  Mpfr& operator=(const Mpfr&) = delete;

  void eval(Fn f, double in)
  {
    mpfr_set_d(x, in, MPFR_RNDN);
    switch (f) {
      case Fn::exp:
        mpfr_exp(y, x, MPFR_RNDN);
        break;
      case Fn::expm1:
        mpfr_expm1(y, x, MPFR_RNDN);
        break;
      case Fn::log:
        mpfr_log(y, x, MPFR_RNDN);
        break;
      case Fn::log1p:
        mpfr_log1p(y, x, MPFR_RNDN);
        break;
      case Fn::tanh:
        mpfr_tanh(y, x, MPFR_RNDN);
        break;
      case Fn::sqrt:
      case Fn::sqrt_routine:
        mpfr_sqrt(y, x, MPFR_RNDN);
        break;
    }
  }

  // f(x) correctly rounded to T, subnormals included.
  template <class T>
  T rounded(Fn f, T in)
  {
    eval(f, in);
    constexpr int p = std::numeric_limits<T>::digits;
    mpfr_t r;
    mpfr_init2(r, p);
    if (mpfr_regular_p(y) && mpfr_get_exp(y) < std::numeric_limits<T>::min_exponent) {
      // Subnormal: round to the fixed grid of 2^(min_exponent - 1 - p + 1) by rounding to fewer bits.
      const long bits_left = p - (std::numeric_limits<T>::min_exponent - mpfr_get_exp(y));
      if (bits_left < 1) {  // below half the smallest subnormal, or between it and half of it
        mpfr_t half;
        mpfr_init2(half, 8);
        mpfr_set_ui_2exp(half, 1, std::numeric_limits<T>::min_exponent - p - 1, MPFR_RNDN);
        const int c = mpfr_cmpabs(y, half);
        const T tiny = std::numeric_limits<T>::denorm_min();
        const T out = c > 0 ? tiny : T(0);
        mpfr_clear(half);
        mpfr_clear(r);
        return mpfr_signbit(y) ? -out : out;
      }
      mpfr_set_prec(r, bits_left);
    }
    mpfr_set(r, y, MPFR_RNDN);
    const T out = std::is_same_v<T, double> ? static_cast<T>(mpfr_get_d(r, MPFR_RNDN))
                                            : static_cast<T>(mpfr_get_flt(r, MPFR_RNDN));
    mpfr_clear(r);
    return out;
  }

  // |got - f(x)| in ulps of T at f(x).
  template <class T>
  double ulp_error(Fn f, T in, T got)
  {
    eval(f, in);
    if (!mpfr_number_p(y) || std::isinf(got) || std::isnan(got)) {
      return (mpfr_nan_p(y) && std::isnan(got)) || (mpfr_inf_p(y) && std::isinf(got)) ? 0.0 : HUGE_VAL;
    }
    if (mpfr_zero_p(y)) {
      return got == T(0) ? 0.0 : HUGE_VAL;
    }
    const long e = mpfr_get_exp(y);  // |y| in [2^(e-1), 2^e)
    constexpr int p = std::numeric_limits<T>::digits;
    constexpr int min_e = std::numeric_limits<T>::min_exponent;
    mpfr_t d;
    mpfr_init2(d, 200);
    mpfr_set_d(d, static_cast<double>(got), MPFR_RNDN);
    mpfr_sub(d, d, y, MPFR_RNDN);
    mpfr_abs(d, d, MPFR_RNDN);
    mpfr_mul_2si(d, d, -((e < min_e ? min_e : e) - p), MPFR_RNDN);
    const double out = mpfr_get_d(d, MPFR_RNDN);
    mpfr_clear(d);
    return out;
  }
};

// Correctly rounded f(x) in T from the long double reference, asking MPFR when the reference is
// too close to a rounding midpoint to decide.
template <class T>
T correctly_rounded(Fn f, T x, long double r, Mpfr& mp)
{
  const T c = static_cast<T>(r);
  if (!std::isfinite(r) || !std::isfinite(c) || r == 0.0L) {
    return c;
  }
  const T other = r > static_cast<long double>(c) ? std::nextafter(c, std::numeric_limits<T>::infinity())
                                                  : std::nextafter(c, -std::numeric_limits<T>::infinity());
  const long double mid = (static_cast<long double>(c) + static_cast<long double>(other)) / 2;
  if (std::fabs(r - mid) <= 16 * std::fabs(r) * std::numeric_limits<long double>::epsilon() ||
      std::fabs(r) < 4 * static_cast<long double>(std::numeric_limits<T>::min())) {
    return mp.rounded<T>(f, x);
  }
  return c;
}

// ulp error of got against the long double reference (close enough to rank points; the worst is
// redone in MPFR).
template <class T>
double quick_ulp_error(long double r, T got)
{
  if (std::isnan(r) || std::isnan(got)) {
    return std::isnan(r) && std::isnan(got) ? 0.0 : HUGE_VAL;
  }
  if (std::isinf(got) || std::isinf(static_cast<T>(r))) {
    return got == static_cast<T>(r) ? 0.0 : HUGE_VAL;
  }
  if (r == 0.0L) {
    return got == T(0) ? 0.0 : HUGE_VAL;
  }
  int e = 0;
  static_cast<void>(std::frexp(r, &e));
  constexpr int p = std::numeric_limits<T>::digits;
  constexpr int min_e = std::numeric_limits<T>::min_exponent;
  return static_cast<double>(std::fabs(static_cast<long double>(got) - r) /
                             std::ldexp(1.0L, (e < min_e ? min_e : e) - p));
}

template <class T>
bool same(T a, T b)
{
  return std::bit_cast<Bits<T>>(a) == std::bit_cast<Bits<T>>(b) || (std::isnan(a) && std::isnan(b));
}

template <class T>
struct Result {
  std::uint64_t points = 0;
  std::uint64_t exact = 0;  // correctly rounded (bits equal, any NaN equal to any NaN)
  double worst = 0.0;
  T worst_x = T(0);
  std::uint64_t glibc_exact = 0;
  double glibc_worst = 0.0;
  T glibc_worst_x = T(0);

  void check(Fn f, T x, Mpfr& mp)
  {
    const long double ref = glibc_f(f, static_cast<long double>(x));
    const T cr = correctly_rounded(f, x, ref, mp);
    const T got = ctnn_f(f, x);
    const T lib = glibc_f(f, x);
    ++points;
    exact += same(got, cr) ? 1 : 0;
    glibc_exact += same(lib, cr) ? 1 : 0;
    const double err = quick_ulp_error(ref, got);
    if (!(err <= worst)) {
      worst = err;
      worst_x = x;
    }
    const double glibc_err = quick_ulp_error(ref, lib);
    if (!(glibc_err <= glibc_worst)) {
      glibc_worst = glibc_err;
      glibc_worst_x = x;
    }
  }
};

template <class T>
std::string hex(T x)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", static_cast<double>(x));
  return buf;
}

template <class T>
void print_row(Fn f, const char* domain, Result<T>& r, Mpfr& mp)
{
  // Redo the worst errors exactly (the long double reference only ranked them).
  const double worst = r.worst == 0.0 ? 0.0 : mp.ulp_error<T>(f, r.worst_x, ctnn_f(f, r.worst_x));
  const double glibc_worst =
      r.glibc_worst == 0.0 ? 0.0 : mp.ulp_error<T>(f, r.glibc_worst_x, glibc_f(f, r.glibc_worst_x));
  const auto rate = [&](std::uint64_t exact) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.5f %% (%llu not)",
                  100.0 * static_cast<double>(exact) / static_cast<double>(r.points),
                  static_cast<unsigned long long>(r.points - exact));
    return std::string(buf);
  };
  std::printf("| %s | %s | %s | %.3g | %.4f | %s | %s | %.4f | %s |\n", name(f),
              std::is_same_v<T, double> ? "double" : "float", domain, static_cast<double>(r.points), worst,
              hex(r.worst_x).c_str(), rate(r.exact).c_str(), glibc_worst, rate(r.glibc_exact).c_str());
  std::fflush(stdout);
}

// Per function: the domain of interest for doubles (beyond it results are constant, inf or NaN,
// which the random bit patterns and the special-value tests cover) and its critical points.
struct Domain {
  double lo, hi;
  bool positive_only;  // log-uniform over positive magnitudes only
  double tiny;         // smallest magnitude of the log-uniform part
  const char* text;
  double critical[12];
};

Domain domain(Fn f)
{
  constexpr double ln2 = 0x1.62e42fefa39efp-1;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  switch (f) {
    case Fn::exp:
      return {-745.2,
              709.8,
              false,
              0x1p-60,
              "[-745.2, 709.8]",
              {0.0, -0x1.74910d52d3051p+9, 0x1.62e42fefa39efp+9, -708.3964185322641, -1021 * ln2, 1.0, -693.0, 709.0,
               nan, nan, nan, nan}};
    case Fn::expm1:
      return {-40.0,
              709.8,
              false,
              0x1p-60,
              "[-40, 709.8]",
              {0.0, 0x1p-54, ln2 / 2, -ln2 / 2, 1.5 * ln2, -1.5 * ln2, -0.25, 20 * ln2, 56 * ln2, -40.0,
               0x1.62e42fefa39efp+9, nan}};
    case Fn::log:
      return {
          0.0,
          4.0,
          true,
          0x1p-1074,
          "(0, max]",
          {1.0, 0x1.6a09e667f3bcdp+0, 0x1.6a09e667f3bcdp-1, 0x1p-1022, 0x1p-1074, 0.5, 2.0, nan, nan, nan, nan, nan}};
    case Fn::log1p:
      return {-1.0,
              4.0,
              false,
              0x1p-60,
              "(-1, max]",
              {0.0, 0x1p-54, -0x1.2bec333018867p-2, 0x1.a827999fcef32p-2, 1.0, -0.5, -1.0 + 0x1p-53, 0x1p53, nan, nan,
               nan, nan}};
    case Fn::tanh:
      return {-23.0,   23.0,        false,
              0x1p-60, "[-23, 23]", {0.0, 0x1p-28, 0.3, -0.3, 22.0, -22.0, 0.55, nan, nan, nan, nan, nan}};
    case Fn::sqrt:
    case Fn::sqrt_routine:
      return {0.0,       4.0,        true,
              0x1p-1074, "[0, max]", {1.0, 0x1p-1022, 0x1p-1074, 2.0, 4.0, nan, nan, nan, nan, nan, nan, nan}};
  }
  return {};
}

void sweep_double(Fn f, std::uint64_t n, Mpfr& mp)
{
  const Domain d = domain(f);
  Result<double> r;
  std::mt19937_64 g(42 + static_cast<unsigned>(f));
  std::uniform_real_distribution<double> uni(d.lo, d.hi);
  const double top = f == Fn::log || f == Fn::sqrt || f == Fn::sqrt_routine || f == Fn::log1p
                         ? std::numeric_limits<double>::max()
                         : std::max(-d.lo, d.hi);
  std::uniform_real_distribution<double> logmag(std::log(d.tiny), std::log(top));
  // 40 % uniform over the interesting interval, 50 % log-uniform magnitudes (dense near 0 and, for
  // log and sqrt, over all exponents including subnormals), 10 % random bit patterns.
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t kind = i % 10;
    double x;
    if (kind < 4) {
      x = uni(g);
    } else if (kind < 9) {
      x = std::exp(logmag(g));
      if (!d.positive_only && (g() & 1U) != 0) {
        x = -x;
      }
      if (f == Fn::log1p && x <= -1.0) {
        x = -std::fmod(-x, 1.0);
      }
    } else {
      x = std::bit_cast<double>(g());
    }
    r.check(Fn(f), x, mp);
  }
  // 10^4 consecutive doubles on each side of every critical point.
  for (const double c : d.critical) {
    if (c != c) {
      continue;
    }
    double up = c, down = c;
    r.check(f, c, mp);
    for (int i = 0; i < 10000; ++i) {
      up = std::nextafter(up, HUGE_VAL);
      down = std::nextafter(down, -HUGE_VAL);
      r.check(f, up, mp);
      r.check(f, down, mp);
    }
  }
  std::string text = std::string(d.text) + ": random + critical points";
  print_row(f, text.c_str(), r, mp);
}

// The runtime's layer-wide form of f (detail/simd_math.hpp) on a block of inputs, or false if f has none.
bool lanes_f(Fn f, const float* in, float* out)
{
  namespace simd = ctnn::detail::simd;
  switch (f) {
    case Fn::exp:
      simd::exp_array<lanes_block>(in, out);
      return true;
    case Fn::log1p:
      simd::log1p_array<lanes_block>(in, out);
      return true;
    case Fn::tanh:
      simd::tanh_array<lanes_block>(in, out);
      return true;
    default:
      return false;
  }
}

void sweep_float(Fn f, std::uint64_t stride, Mpfr& mp)
{
  Result<float> r;
  // Besides the accuracy, every input checks that the layer-wide form gives the scalar's bits.
  static float block[lanes_block];
  static float lanes_out[lanes_block];
  std::size_t filled = 0;
  std::uint64_t lanes_checked = 0;
  std::uint64_t lanes_differ = 0;
  const auto flush = [&] {
    if (filled == lanes_block && lanes_f(f, block, lanes_out)) {
      for (std::size_t i = 0; i < lanes_block; ++i) {
        const float scalar = ctnn_f(f, block[i]);
        lanes_differ += std::bit_cast<std::uint32_t>(lanes_out[i]) == std::bit_cast<std::uint32_t>(scalar) ? 0 : 1;
      }
      lanes_checked += lanes_block;
    }
    filled = 0;
  };
  for (std::uint64_t u = 0; u <= 0xffff'ffffULL; u += stride) {
    const float x = std::bit_cast<float>(static_cast<std::uint32_t>(u));
    r.check(f, x, mp);
    block[filled++] = x;
    if (filled == lanes_block) flush();
  }
  const std::string text =
      stride == 1 ? "all 2^32 bit patterns" : "1 in " + std::to_string(stride) + " of all 2^32 bit patterns";
  print_row(f, text.c_str(), r, mp);
  if (lanes_checked != 0) {
    std::printf("|   (layer-wide form: %llu inputs, %llu with other bits than the scalar function) |\n",
                static_cast<unsigned long long>(lanes_checked), static_cast<unsigned long long>(lanes_differ));
  }
}

}  // namespace

int main(int argc, char** argv)
{
  std::uint64_t double_points = 10'000'000;
  std::uint64_t float_stride = 32;
  std::string only;  // space-separated names given by --function; empty: all
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--double-points") == 0) {
      double_points = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (std::strcmp(argv[i], "--float-stride") == 0) {
      float_stride = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (std::strcmp(argv[i], "--function") == 0) {
      only += std::string(" ") + argv[i + 1] + " ";
    }
  }
  Mpfr mp;
  std::printf(
      "| function | type | inputs | points | worst ulp | at x | correctly rounded | glibc worst ulp | glibc correctly "
      "rounded |\n");
  std::printf("|---|---|---|---:|---:|---|---:|---:|---:|\n");
  for (const Fn f : {Fn::exp, Fn::expm1, Fn::log, Fn::log1p, Fn::tanh, Fn::sqrt, Fn::sqrt_routine}) {
    if (!only.empty() && only.find(std::string(" ") + name(f) + " ") == std::string::npos) {
      continue;
    }
    sweep_double(f, double_points, mp);
    sweep_float(f, float_stride, mp);
  }
}
