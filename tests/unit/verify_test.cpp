// verify: a "holds" on small 2-input ReLU networks is cross-checked by enumerating every ReLU
// activation pattern exactly (each pattern's region is a polygon, clipped from the box one unit at a
// time; the output is linear on it, so its extremes are at the vertices); every counterexample is
// re-checked with predict; arg-max robustness around samples; the same answer at compile time; and
// a deliberately unsound ReLU relaxation makes the cross-check fail.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <ctnn/dense.hpp>
#include <ctnn/network.hpp>
#include <ctnn/verify.hpp>
#include <ctnn/verify_parallel.hpp>
#include <limits>
#include <vector>

namespace {

struct BentReLU : ctnn::ReLU {};  // ReLU, bounded with a too-flat upper line (below)

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
void randomise(Net& net, Random& random)
{
  net.for_each_layer([&](auto& layer) {
    layer.visit_parameters([&](auto& tensor) {
      for (auto& v : tensor) v = random.uniform(-1, 1);
    });
  });
}

// Exact maximum of a 2-input ReLU network's (real-valued) output 0 over a box, by pattern enumeration.
struct Point {
  double x, y;
};
using Polygon = std::vector<Point>;
struct Affine {  // a x + b y + c per unit
  std::vector<double> a, b, c;
};

// The part of poly where s * (a x + b y + c) >= 0 (Sutherland-Hodgman against one half-plane).
Polygon clip(const Polygon& poly, double a, double b, double c, double s)
{
  Polygon out;
  auto value = [&](Point p) { return s * (a * p.x + b * p.y + c); };
  for (std::size_t i = 0; i < poly.size(); ++i) {
    const Point p = poly[i], q = poly[(i + 1) % poly.size()];
    const double vp = value(p), vq = value(q);
    if (vp >= 0) out.push_back(p);
    if ((vp >= 0) != (vq >= 0)) {
      const double t = vp / (vp - vq);
      out.push_back({p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)});
    }
  }
  return out;
}

template <class Net>
struct Enumerator {
  const Net& net;
  double best = -std::numeric_limits<double>::infinity();
  std::size_t regions = 0;

  template <std::size_t I>
  Affine pre_activation(const Affine& in) const
  {
    const auto& layer = net.template layer<I>();
    constexpr std::size_t In = std::remove_cvref_t<decltype(layer)>::inputs,
                          Out = std::remove_cvref_t<decltype(layer)>::outputs;
    Affine out{std::vector<double>(Out), std::vector<double>(Out), std::vector<double>(Out)};
    for (std::size_t j = 0; j < Out; ++j) {
      out.c[j] = layer.bias.values[j];
      for (std::size_t i = 0; i < In; ++i) {
        const double w = layer.weights.values[j * In + i];
        out.a[j] += w * in.a[i], out.b[j] += w * in.b[i], out.c[j] += w * in.c[i];
      }
    }
    return out;
  }

  // Layer I's units from `unit` on decide their sign within poly; then the next layer.
  template <std::size_t I>
  void walk(const Polygon& poly, Affine pre, std::size_t unit)
  {
    if (poly.size() < 3) return;
    if constexpr (I + 1 == Net::layer_count) {
      ++regions;
      for (Point p : poly) best = std::max(best, pre.a[0] * p.x + pre.b[0] * p.y + pre.c[0]);
    } else {
      if (unit == pre.a.size()) return walk<I + 1>(poly, pre_activation<I + 1>(pre), 0);
      const double a = pre.a[unit], b = pre.b[unit], c = pre.c[unit];
      walk<I>(clip(poly, a, b, c, 1), pre, unit + 1);
      Affine off = pre;
      off.a[unit] = off.b[unit] = off.c[unit] = 0;
      walk<I>(clip(poly, a, b, c, -1), off, unit + 1);
    }
  }

  double maximum(const ctnn::Box<double, 2>& box)
  {
    const Polygon square{{box.lower[0], box.lower[1]},
                         {box.upper[0], box.lower[1]},
                         {box.upper[0], box.upper[1]},
                         {box.lower[0], box.upper[1]}};
    const Affine input{{1, 0}, {0, 1}, {0, 0}};
    walk<0>(square, pre_activation<0>(input), 0);
    return best;
  }
};

template <class A>
using Small = ctnn::Network<ctnn::Dense<2, 10, A>, ctnn::Dense<10, 8, A>, ctnn::Dense<8, 1, ctnn::Identity>>;

// Verdicts for thresholds around the exact maximum of random networks; counts the wrong ones.
template <class A>
int wrong_verdicts(std::uint64_t seed, int networks, int* decided = nullptr,
                   const ctnn::VerifyOptions& options = {.max_pieces = 4000})
{
  Random random{seed};
  int wrong = 0;
  for (int n = 0; n < networks; ++n) {
    Small<A> net{};
    randomise(net, random);
    const ctnn::Box<double, 2> box{{random.uniform(-1, 0), random.uniform(-1, 0)},
                                   {random.uniform(0, 1), random.uniform(0, 1)}};
    Small<ctnn::ReLU> plain{};
    plain.template layer<0>().weights = net.template layer<0>().weights;
    plain.template layer<0>().bias = net.template layer<0>().bias;
    plain.template layer<1>().weights = net.template layer<1>().weights;
    plain.template layer<1>().bias = net.template layer<1>().bias;
    plain.template layer<2>() = net.template layer<2>();
    Enumerator<Small<ctnn::ReLU>> enumerate{plain};
    const double exact = enumerate.maximum(box);
    for (double offset : {-0.05, -0.005, 0.005, 0.05}) {
      const double threshold = exact + offset;
      auto property = ctnn::Property<double, 2, 1>::in_box(box).require_at_most(0, threshold);
      const auto result = ctnn::verify(net, property, options);
      if (result.verdict == ctnn::Verdict::holds && offset < 0) ++wrong;
      if (result.verdict == ctnn::Verdict::violated) {
        const double y = net.predict({{result.counterexample[0], result.counterexample[1]}})[0];
        if (!(y > threshold) || offset > 0) ++wrong;
      }
      if (decided != nullptr && result.verdict != ctnn::Verdict::unknown) ++*decided;
    }
  }
  return wrong;
}

// A small network proven at compile time: 2 inputs, |y| bounded on the unit box.
constexpr auto tiny_network()
{
  ctnn::Network<ctnn::Dense<2, 3, ctnn::ReLU>, ctnn::Dense<3, 2, ctnn::Identity>> net{};
  constexpr double w0[] = {1.0, -1.0, 0.5, 0.5, -1.0, 2.0};
  constexpr double w1[] = {1.0, -1.0, 0.5, -0.5, 0.25, 1.0};
  for (std::size_t i = 0; i < 6; ++i)
    net.layer<0>().weights.values[i] = w0[i], net.layer<1>().weights.values[i] = w1[i];
  net.layer<0>().bias.values[1] = 0.1;
  net.layer<1>().bias.values[0] = 0.2;
  return net;
}
constexpr auto tiny_property()
{
  return ctnn::Property<double, 2, 2>::in_box({{0.0, 0.0}, {1.0, 1.0}}).require_arg_max(0);
}
constexpr auto tiny_result = ctnn::verify(tiny_network(), tiny_property());

}  // namespace

template <>
struct ctnn::activation_bounds<BentReLU> : ctnn::activation_bounds<ctnn::ReLU> {
  template <class T>
  static constexpr Relaxation<T> relax(T l, T u, T, T) noexcept
  {
    auto r = ctnn::activation_bounds<ctnn::ReLU>::relax(l, u, T(0), T(0));
    if (l < T(0) && u > T(0)) r.upper_slope *= T(0.7), r.upper_offset = -r.upper_slope * l;
    return r;
  }
};

TEST_CASE("verify's verdicts agree with exhaustive enumeration of ReLU patterns", "[verify]")
{
  int decided = 0;
  CHECK(wrong_verdicts<ctnn::ReLU>(3, 12, &decided) == 0);
  CHECK(decided >= 40);  // of 48: thresholds 0.005 from the maximum need many pieces, not all
}

TEST_CASE("ReLU splitting's verdicts agree with exhaustive enumeration of ReLU patterns", "[verify]")
{
  // Every open piece with unstable units splits a unit first (at most 18 here), then inputs; no
  // coordinate search, so that a wrongly skipped side shows as a wrong "holds".
  int decided = 0;
  CHECK(wrong_verdicts<ctnn::ReLU>(5, 12, &decided, {.max_pieces = 4000, .search_steps = 0, .relu_split_below = 18}) ==
        0);
  CHECK(decided >= 40);
  // The splits happen: a box where units are unstable is split at a unit, not only at inputs.
  Small<ctnn::ReLU> net{};
  Random random{11};
  randomise(net, random);
  const auto property = ctnn::Property<double, 2, 1>::in_box({{-1.0, -1.0}, {1.0, 1.0}}).require_at_most(0, 100.0);
  const auto result = ctnn::verify(net, property, {.max_pieces = 4000, .search_steps = 0, .relu_split_below = 18});
  CHECK(result.verdict == ctnn::Verdict::holds);
  const auto split =
      ctnn::verify(net, ctnn::Property<double, 2, 1>::in_box({{-1.0, -1.0}, {1.0, 1.0}}).require_at_most(0, 0.0),
                   {.max_pieces = 4000, .relu_split_below = 18});
  CHECK(split.relu_splits + (split.verdict == ctnn::Verdict::violated ? 1u : 0u) > 0);
}

TEST_CASE("random samples find a counterexample that predict confirms before any piece", "[verify]")
{
  Small<ctnn::ReLU> net{};
  Random random{23};
  randomise(net, random);
  const ctnn::Box<double, 2> box{{-1.0, -1.0}, {1.0, 1.0}};
  Enumerator<Small<ctnn::ReLU>> enumerate{net};
  const double threshold = enumerate.maximum(box) - 0.1;  // violated near the maximum only
  const auto property = ctnn::Property<double, 2, 1>::in_box(box).require_at_most(0, threshold);
  const auto result = ctnn::verify(net, property, {.max_pieces = 0, .search_steps = 0, .random_samples = 4000});
  REQUIRE(result.verdict == ctnn::Verdict::violated);
  CHECK(result.pieces == 0);
  CHECK(net.predict({{result.counterexample[0], result.counterexample[1]}})[0] > threshold);
  const auto none = ctnn::verify(net, property, {.max_pieces = 0, .search_steps = 0});
  CHECK(none.verdict == ctnn::Verdict::unknown);
}

TEST_CASE("an unsound ReLU relaxation gives verdicts the enumeration refutes", "[verify]")
{
  CHECK(wrong_verdicts<BentReLU>(3, 12) > 0);
}

TEST_CASE("arg-max robustness around samples: proofs hold on samples, counterexamples are real", "[verify]")
{
  using Net = ctnn::Network<ctnn::Dense<4, 12, ctnn::ReLU, float>, ctnn::Dense<12, 3, ctnn::Identity, float>>;
  Random random{17};
  int holds = 0, violated = 0;
  for (int n = 0; n < 20; ++n) {
    Net net{};
    net.for_each_layer([&](auto& layer) {
      layer.visit_parameters([&](auto& tensor) {
        for (auto& v : tensor) v = static_cast<float>(random.uniform(-1, 1));
      });
    });
    float centre[4];
    for (auto& c : centre) c = static_cast<float>(random.uniform(-1, 1));
    const auto y0 = net.predict({{centre[0], centre[1], centre[2], centre[3]}});
    const std::size_t label = static_cast<std::size_t>(std::max_element(y0.values, y0.values + 3) - y0.values);
    const float radius = n % 2 ? 0.01f : 0.2f;
    const auto property = ctnn::Property<float, 4, 3>::around(centre, radius).require_arg_max(label);
    const auto result = ctnn::verify(net, property);
    if (result.verdict == ctnn::Verdict::holds) {
      ++holds;
      CHECK(result.margin >= 0);
      for (int s = 0; s < 2000; ++s) {
        typename Net::input_type x{};
        for (std::size_t i = 0; i < 4; ++i)
          x.values[i] = static_cast<float>(random.uniform(property.region.lower[i], property.region.upper[i]));
        const auto y = net.predict(x);
        for (std::size_t j = 0; j < 3; ++j)
          if (j != label) CHECK(y[label] > y[j]);
      }
    } else if (result.verdict == ctnn::Verdict::violated) {
      ++violated;
      typename Net::input_type x{};
      for (std::size_t i = 0; i < 4; ++i) {
        x.values[i] = result.counterexample[i];
        CHECK(x.values[i] >= property.region.lower[i]);
        CHECK(x.values[i] <= property.region.upper[i]);
      }
      const auto y = net.predict(x);
      CHECK(std::max_element(y.values, y.values + 3) - y.values != static_cast<std::ptrdiff_t>(label));
    }
  }
  CHECK(holds >= 5);
  CHECK(violated >= 3);
}

TEST_CASE("verify at compile time gives the runtime's answer", "[verify]")
{
  static_assert(tiny_result.verdict != ctnn::Verdict::unknown);
  const auto net = tiny_network();
  const auto at_runtime = ctnn::verify(net, tiny_property());
  CHECK(at_runtime.verdict == tiny_result.verdict);
  CHECK(at_runtime.pieces == tiny_result.pieces);
  CHECK(at_runtime.margin == tiny_result.margin);
  CHECK(at_runtime.counterexample[0] == tiny_result.counterexample[0]);
}

TEST_CASE("VNN-LIB style disjunctions: one case ruled out, the other violated", "[verify]")
{
  ctnn::Network<ctnn::Dense<1, 1, ctnn::Identity>> net{};
  net.layer<0>().weights.values[0] = 1.0;  // y = x on [0, 1]
  auto property = ctnn::Property<double, 1, 1>::in_box({{0.0}, {1.0}});
  property.new_case().add_constraint({{-1.0}, -2.0});  // y >= 2: impossible
  CHECK(ctnn::verify(net, property).verdict == ctnn::Verdict::holds);
  property.new_case().add_constraint({{1.0}, 0.5}).add_constraint({{-1.0}, -0.25});  // 0.25 <= y <= 0.5
  const auto result = ctnn::verify(net, property);
  REQUIRE(result.verdict == ctnn::Verdict::violated);
  CHECK(result.counterexample[0] >= 0.25);
  CHECK(result.counterexample[0] <= 0.5);
}

TEST_CASE("verify_parallel and verify_portfolio give verify's verdicts", "[verify]")
{
  Random random{29};
  for (int n = 0; n < 6; ++n) {
    Small<ctnn::ReLU> net{};
    randomise(net, random);
    const ctnn::Box<double, 2> box{{-0.5, -0.5}, {0.5, 0.5}};
    const double threshold = net.predict({{0.0, 0.0}})[0] + (n % 2 ? 5.0 : 0.05);
    const auto property = ctnn::Property<double, 2, 1>::in_box(box).require_at_most(0, threshold);
    const auto alone = ctnn::verify(net, property);
    REQUIRE(alone.verdict != ctnn::Verdict::unknown);
    CHECK(ctnn::verify_parallel(net, property).verdict == alone.verdict);
    CHECK(ctnn::verify_portfolio(net, property).verdict == alone.verdict);
    CHECK(ctnn::verify(net, property, {.look_ahead = false}).verdict == alone.verdict);
  }
}
