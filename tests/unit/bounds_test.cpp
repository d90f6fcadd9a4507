// output_bounds is sound: on random small networks (every activation, float and double, interval and
// linear bounds) no output of predict at dense samples, corners, or the worst inputs a local search
// finds escapes the bounds. Two deliberately unsound transformers must fail the same check: a ReLU
// relaxation whose upper line has too small a slope, and a Dense transformer that rounds to nearest
// (no slack for the network's own rounding). The smooth activations' implementations are checked to
// be monotone up to the widening linear_bounds.hpp assumes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctnn/bounds.hpp>
#include <ctnn/dense.hpp>
#include <ctnn/network.hpp>
#include <ctnn/standardize.hpp>
#include <limits>

namespace {

// A test-only activation: ReLU's forward, but bounded with a too-flat upper line (slope 0.8 u/(u-l)).
struct FlatReLU : ctnn::ReLU {};

struct Random {
  std::uint64_t state;
  std::uint64_t next()
  {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1p-53; }
};

template <class Net>
void randomise(Net& net, Random& random, double scale)
{
  net.for_each_layer([&](auto& layer) {
    layer.visit_parameters([&](auto& tensor) {
      for (auto& v : tensor) v = static_cast<std::remove_cvref_t<decltype(v)>>(random.uniform(-scale, scale));
    });
  });
}

// The largest escape (> 0: unsound) of predict from the bounds over samples, corners and a local search.
template <class Net>
double worst_escape(const Net& net, const ctnn::Box<typename Net::scalar_type, Net::inputs>& box,
                    const ctnn::Box<typename Net::scalar_type, Net::outputs>& bounds, Random& random, int samples)
{
  using T = typename Net::scalar_type;
  constexpr std::size_t In = Net::inputs, Out = Net::outputs;
  double worst = -std::numeric_limits<double>::infinity();
  auto escape = [&](const typename Net::input_type& x) {
    const auto y = net.predict(x);
    double e = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < Out; ++j) {
      e = std::max(e, static_cast<double>(bounds.lower[j]) - static_cast<double>(y[j]));
      e = std::max(e, static_cast<double>(y[j]) - static_cast<double>(bounds.upper[j]));
      if (y[j] != y[j]) e = 1;  // a NaN output is outside every bound
    }
    return e;
  };
  typename Net::input_type x{};
  for (std::size_t corner = 0; corner < (std::size_t{1} << In); ++corner) {
    for (std::size_t i = 0; i < In; ++i) x.values[i] = (corner >> i) & 1 ? box.upper[i] : box.lower[i];
    worst = std::max(worst, escape(x));
  }
  for (int s = 0; s < samples; ++s) {
    for (std::size_t i = 0; i < In; ++i) x.values[i] = static_cast<T>(random.uniform(box.lower[i], box.upper[i]));
    worst = std::max(worst, escape(x));
  }
  // Local search towards each output's extremes: coordinate steps that halve when nothing improves.
  for (std::size_t j = 0; j < 2 * Out; ++j) {
    for (std::size_t i = 0; i < In; ++i) x.values[i] = static_cast<T>(random.uniform(box.lower[i], box.upper[i]));
    const double sign = j % 2 ? -1.0 : 1.0;
    auto score = [&](const typename Net::input_type& p) { return sign * static_cast<double>(net.predict(p)[j / 2]); };
    double step = 0.25;
    double best = score(x);
    for (int round = 0; round < 60 && step > 1e-7; ++round) {
      bool improved = false;
      for (std::size_t i = 0; i < In; ++i)
        for (double direction : {-1.0, 1.0}) {
          auto p = x;
          const double width = static_cast<double>(box.upper[i]) - static_cast<double>(box.lower[i]);
          const double moved = std::clamp(static_cast<double>(p.values[i]) + direction * step * width,
                                          static_cast<double>(box.lower[i]), static_cast<double>(box.upper[i]));
          p.values[i] = static_cast<T>(moved);
          const double s = score(p);
          if (s < best) best = s, x = p, improved = true;
        }
      if (!improved) step /= 2;
    }
    worst = std::max(worst, escape(x));
  }
  return worst;
}

template <class Net>
ctnn::Box<typename Net::scalar_type, Net::inputs> random_box(Random& random, double half_width)
{
  using T = typename Net::scalar_type;
  ctnn::Box<T, Net::inputs> box{};
  for (std::size_t i = 0; i < Net::inputs; ++i) {
    const double centre = random.uniform(-1, 1), w = random.uniform(0, half_width);
    box.lower[i] = static_cast<T>(centre - w);
    box.upper[i] = static_cast<T>(centre + w);
  }
  return box;
}

// The worst escape over random networks and boxes, for both kinds of bounds.
template <class Net>
double soundness_run(std::uint64_t seed, int networks, int boxes, bool linear, double weight_scale = 1.0,
                     bool points = false)
{
  Random random{seed};
  double worst = -std::numeric_limits<double>::infinity();
  for (int n = 0; n < networks; ++n) {
    Net net{};
    randomise(net, random, weight_scale);
    if constexpr (requires { net.template layer<0>().deviation; })
      for (auto& d : net.template layer<0>().deviation.values)
        d = static_cast<typename Net::scalar_type>(random.uniform(0.2, 2));
    for (int b = 0; b < boxes; ++b) {
      const auto box = random_box<Net>(random, points ? 0.0 : b % 3 == 0 ? 1e-6 : b % 3 == 1 ? 0.05 : 0.6);
      const auto bounds = ctnn::output_bounds(net, box, {.linear = linear});
      worst = std::max(worst, worst_escape(net, box, bounds, random, 100));
    }
  }
  return worst;
}

template <class A, class T>
using Hidden = ctnn::Network<ctnn::Standardize<3, T>, ctnn::Dense<3, 7, A, T>, ctnn::Dense<7, 6, ctnn::ReLU, T>,
                             ctnn::Dense<6, 3, A, T>>;
template <class A, class T>
using LastSoftmax = ctnn::Network<ctnn::Dense<3, 7, A, T>, ctnn::Dense<7, 4, ctnn::Softmax, T>>;

template <class T>
void every_activation_is_sound(bool linear)
{
  CHECK(soundness_run<Hidden<ctnn::Identity, T>>(1, 8, 12, linear) <= 0);
  CHECK(soundness_run<Hidden<ctnn::ReLU, T>>(2, 8, 12, linear) <= 0);
  CHECK(soundness_run<Hidden<ctnn::LeakyReLU<>, T>>(3, 8, 12, linear) <= 0);
  CHECK(soundness_run<Hidden<ctnn::Sigmoid, T>>(4, 8, 12, linear) <= 0);
  CHECK(soundness_run<Hidden<ctnn::Tanh, T>>(5, 8, 12, linear) <= 0);
  CHECK(soundness_run<Hidden<ctnn::Softplus, T>>(6, 8, 12, linear) <= 0);
  CHECK(soundness_run<LastSoftmax<ctnn::Tanh, T>>(7, 8, 12, linear) <= 0);
  CHECK(soundness_run<LastSoftmax<ctnn::ReLU, T>>(8, 8, 12, linear, 4.0) <= 0);
}

}  // namespace

// The broken ReLU relaxation: same interval, an upper line 0.8 times the chord's slope.
template <>
struct ctnn::activation_bounds<FlatReLU> : ctnn::activation_bounds<ctnn::ReLU> {
  template <class T>
  static constexpr Relaxation<T> relax(T l, T u, T, T) noexcept
  {
    auto r = ctnn::activation_bounds<ctnn::ReLU>::relax(l, u, T(0), T(0));
    if (l < T(0) && u > T(0)) r.upper_slope *= T(0.8), r.upper_offset = -r.upper_slope * l;
    return r;
  }
};

namespace {
// A Dense whose transformer rounds to nearest and adds no slack for the network's rounding.
template <std::size_t In, std::size_t Out, class T>
struct NearestDense : ctnn::Dense<In, Out, ctnn::Identity, T> {};
}  // namespace

template <std::size_t In, std::size_t Out, class T>
struct ctnn::layer_bounds<NearestDense<In, Out, T>> : ctnn::layer_bounds<ctnn::Dense<In, Out, ctnn::Identity, T>> {
  using base = ctnn::layer_bounds<ctnn::Dense<In, Out, ctnn::Identity, T>>;
  using layer_type = NearestDense<In, Out, T>;
  using typename base::record;
  static constexpr void pre_interval(const layer_type& layer, const T (&lo)[In], const T (&hi)[In], record& r) noexcept
  {
    base::pre_interval(layer, lo, hi, r);
    for (std::size_t j = 0; j < Out; ++j) {
      T low = layer.bias.values[j], high = layer.bias.values[j];
      for (std::size_t i = 0; i < In; ++i) {
        const T w = layer.weights.values[j * In + i];
        low += w < T(0) ? w * hi[i] : w * lo[i];
        high += w < T(0) ? w * lo[i] : w * hi[i];
      }
      r.pre_lo[j] = low, r.pre_hi[j] = high, r.slack[j] = T(0);
    }
  }
  static constexpr void affine_back(const layer_type& layer, const record&, const T (&d)[Out], T (&g)[In],
                                    T& constant) noexcept
  {
    for (std::size_t i = 0; i < In; ++i) g[i] = T(0);
    for (std::size_t j = 0; j < Out; ++j) {
      for (std::size_t i = 0; i < In; ++i) g[i] += d[j] * layer.weights.values[j * In + i];
      constant += d[j] * layer.bias.values[j];
    }
  }
};

TEST_CASE("output_bounds contains every output predict computes, every activation, double", "[bounds]")
{
  every_activation_is_sound<double>(false);
  every_activation_is_sound<double>(true);
}

TEST_CASE("output_bounds contains every output predict computes, every activation, float", "[bounds]")
{
  every_activation_is_sound<float>(false);
  every_activation_is_sound<float>(true);
}

TEST_CASE("linear bounds are tighter than interval bounds on a ReLU network", "[bounds]")
{
  using Net = ctnn::Network<ctnn::Dense<2, 16, ctnn::ReLU>, ctnn::Dense<16, 16, ctnn::ReLU>,
                            ctnn::Dense<16, 1, ctnn::Identity>>;
  Random random{11};
  Net net{};
  randomise(net, random, 1.0);
  const ctnn::Box<double, 2> box{{-0.2, 0.1}, {0.2, 0.3}};
  const auto interval = ctnn::output_bounds(net, box, {.linear = false});
  const auto linear = ctnn::output_bounds(net, box);
  CHECK(linear.upper[0] - linear.lower[0] < 0.8 * (interval.upper[0] - interval.lower[0]));
  CHECK(linear.lower[0] >= interval.lower[0]);
}

TEST_CASE("a ReLU relaxation with too flat an upper line is caught", "[bounds]")
{
  using Broken =
      ctnn::Network<ctnn::Dense<3, 7, FlatReLU>, ctnn::Dense<7, 6, FlatReLU>, ctnn::Dense<6, 3, ctnn::Identity>>;
  CHECK(soundness_run<Broken>(21, 8, 12, true) > 0);
  using Sound =
      ctnn::Network<ctnn::Dense<3, 7, ctnn::ReLU>, ctnn::Dense<7, 6, ctnn::ReLU>, ctnn::Dense<6, 3, ctnn::Identity>>;
  CHECK(soundness_run<Sound>(21, 8, 12, true) <= 0);
}

TEST_CASE("bounds rounded to nearest without the network's rounding error are caught", "[bounds]")
{
  // Linear layers on single points: the bound is the exact real value, the network's float result
  // lands on either side of it.
  using Broken = ctnn::Network<NearestDense<6, 6, float>, NearestDense<6, 6, float>, NearestDense<6, 2, float>>;
  using Sound = ctnn::Network<ctnn::Dense<6, 6, ctnn::Identity, float>, ctnn::Dense<6, 6, ctnn::Identity, float>,
                              ctnn::Dense<6, 2, ctnn::Identity, float>>;
  CHECK(soundness_run<Broken>(31, 10, 12, true, 1.0, true) > 0);
  CHECK(soundness_run<Sound>(31, 10, 12, true, 1.0, true) <= 0);
  CHECK(soundness_run<Broken>(32, 10, 12, false, 1.0, true) > 0);
  CHECK(soundness_run<Sound>(32, 10, 12, false, 1.0, true) <= 0);
}

TEST_CASE("ctnn's sigmoid, tanh and softplus are monotone within the bounds' widening", "[bounds]")
{
  // 2^20 consecutive floats from each start (the running maximum, widened, must stay below every
  // later value), then random neighbouring pairs of floats and doubles.
  auto check = [](auto f, float from) {
    std::uint32_t bad = 0;
    float largest = f(from);
    float x = from;
    for (int k = 0; k < (1 << 20); ++k, x = std::nextafter(x, 100.0f)) {
      const float y = f(x);
      if (y < ctnn::detail::interval::widen_down(largest, 16)) ++bad;
      largest = std::max(largest, y);
    }
    return bad;
  };
  for (float from : {-3.0f, -0.75f, 0.5f, 2.0f}) {
    CHECK(check([](float h) { return 1.0f / (1.0f + ctnn::math::exp(-h)); }, from) == 0);
    CHECK(check([](float h) { return ctnn::math::tanh(h); }, from) == 0);
    CHECK(check([](float h) { return ctnn::Softplus::value(h); }, from) == 0);
  }
  Random random{5};
  std::uint32_t bad = 0;
  for (int k = 0; k < 200000; ++k) {
    const double x = random.uniform(-40, 40), y = std::nextafter(x, 100.0);
    const float xf = static_cast<float>(x), yf = std::nextafter(xf, 100.0f);
    auto drop = [&](auto f, auto a, auto b) { return f(b) < ctnn::detail::interval::widen_down(f(a), 16); };
    auto sigmoid = [](auto h) { return decltype(h)(1) / (decltype(h)(1) + ctnn::math::exp(-h)); };
    auto tanh = [](auto h) { return ctnn::math::tanh(h); };
    auto softplus = [](auto h) { return ctnn::Softplus::value(h); };
    bad += drop(sigmoid, x, y) + drop(tanh, x, y) + drop(softplus, x, y);
    bad += drop(sigmoid, xf, yf) + drop(tanh, xf, yf) + drop(softplus, xf, yf);
  }
  CHECK(bad == 0);
}
