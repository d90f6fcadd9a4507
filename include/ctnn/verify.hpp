#pragma once
// verify(net, property, options): prove that a property holds for every input in a region, find an
// input that violates it, or say unknown. A Property is an input box (or an L-infinity ball around a
// sample) and the output condition's violation as VNN-LIB writes it: a disjunction of cases, each a
// conjunction of linear constraints over the outputs (sum_k c_k y_k <= d, or < d). Helpers spell the
// usual requirements ("y_i <= c", "class i is (not) the arg max / arg min").
//
// Branch and bound by input splitting: each piece's output bounds (bounds.hpp) rule out a case when
// one of its constraints' lower bound exceeds d; the pieces where a case stays open are split in two
// along the input with the widest influence (|coefficient of the bound's linear function| times the
// piece's width); counterexamples are looked for at each piece's centre and at the corner that
// minimises the bound's linear function, and by a coordinate search at the start; every one is
// checked with net.predict. Same answer at compile time and at runtime (verify_parallel.hpp runs the
// same search on two threads).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ctnn/bounds.hpp"

namespace ctnn {

/// sum_k coefficients[k] y_k <= bound (< bound when strict): one constraint of a violation case.
template <class T, std::size_t Out>
struct OutputConstraint {
  T coefficients[Out]{};
  T bound{};
  bool strict = false;
};

/// A region of inputs and what must not happen in it (see the top of this file). Capacity is the most
/// constraints it holds (at most 64 cases).
template <class T, std::size_t In, std::size_t Out, std::size_t Capacity = 4 * Out + 4>
struct Property {
  static_assert(Capacity > 0, "ctnn: a Property needs room for at least one constraint");
  Box<T, In> region{};
  OutputConstraint<T, Out> constraints[Capacity]{};
  std::size_t case_of[Capacity]{};  // which case (conjunction) each constraint belongs to
  std::size_t count = 0;
  std::size_t cases = 0;

  /// The region: lower <= x <= upper.
  static constexpr Property in_box(const Box<T, In>& box) noexcept
  {
    Property p{};
    p.region = box;
    return p;
  }
  /// The region: |x_i - centre_i| <= radius, within `within` (e.g. the valid input range).
  static constexpr Property around(const T (&centre)[In], T radius, const Box<T, In>& within = everything()) noexcept
  {
    Property p{};
    for (std::size_t i = 0; i < In; ++i) {
      const T lo = centre[i] - radius, hi = centre[i] + radius;
      p.region.lower[i] = lo < within.lower[i] ? within.lower[i] : lo;
      p.region.upper[i] = hi > within.upper[i] ? within.upper[i] : hi;
    }
    return p;
  }
  static constexpr Box<T, In> everything() noexcept
  {
    Box<T, In> box{};
    for (std::size_t i = 0; i < In; ++i)
      box.lower[i] = -detail::interval::infinity<T>, box.upper[i] = detail::interval::infinity<T>;
    return box;
  }

  /// Starts a new violation case; add_constraint then adds to it (VNN-LIB's `(or (and ...) ...)`).
  constexpr Property& new_case() noexcept
  {
    ++cases;
    return *this;
  }
  constexpr Property& add_constraint(const OutputConstraint<T, Out>& c) noexcept
  {
    if (cases == 0) cases = 1;
    if (count < Capacity) {
      constraints[count] = c;
      case_of[count] = cases - 1;
    }
    ++count;  // past Capacity: verify reports it (property_overflows)
    return *this;
  }

  /// Requires y_i <= c (violated when y_i > c).
  constexpr Property& require_at_most(std::size_t i, T c) noexcept
  {
    return new_case().add_constraint(unit(i, T(-1), -c, true));
  }
  /// Requires y_i >= c.
  constexpr Property& require_at_least(std::size_t i, T c) noexcept
  {
    return new_case().add_constraint(unit(i, T(1), c, true));
  }
  /// Requires class i to be the arg max: y_i > y_j for every j != i.
  constexpr Property& require_arg_max(std::size_t i) noexcept
  {
    for (std::size_t j = 0; j < Out; ++j)
      if (j != i) new_case().add_constraint(difference(i, j));  // violated when y_i - y_j <= 0
    return *this;
  }
  /// Requires class i not to be the arg max: some y_j > y_i.
  constexpr Property& require_not_arg_max(std::size_t i) noexcept
  {
    new_case();
    for (std::size_t j = 0; j < Out; ++j)
      if (j != i) add_constraint(difference(j, i));  // violated when y_j <= y_i for all j
    return *this;
  }
  /// Requires class i to be the arg min: y_i < y_j for every j != i.
  constexpr Property& require_arg_min(std::size_t i) noexcept
  {
    for (std::size_t j = 0; j < Out; ++j)
      if (j != i) new_case().add_constraint(difference(j, i));
    return *this;
  }
  /// Requires class i not to be the arg min: some y_j < y_i.
  constexpr Property& require_not_arg_min(std::size_t i) noexcept
  {
    new_case();
    for (std::size_t j = 0; j < Out; ++j)
      if (j != i) add_constraint(difference(i, j));
    return *this;
  }

  /// Whether y satisfies case k's constraints (an input giving it is a counterexample).
  constexpr bool case_holds_at(std::size_t k, const T (&y)[Out]) const noexcept
  {
    for (std::size_t c = 0; c < count && c < Capacity; ++c) {
      if (case_of[c] != k) continue;
      T sum = T(0);
      for (std::size_t j = 0; j < Out; ++j) sum += constraints[c].coefficients[j] * y[j];
      if (constraints[c].strict ? !(sum < constraints[c].bound) : !(sum <= constraints[c].bound)) return false;
    }
    return true;
  }

 private:
  static constexpr OutputConstraint<T, Out> unit(std::size_t i, T sign, T bound, bool strict) noexcept
  {
    OutputConstraint<T, Out> c{};
    c.coefficients[i] = sign;
    c.bound = bound;
    c.strict = strict;
    return c;
  }
  // y_a - y_b <= 0
  static constexpr OutputConstraint<T, Out> difference(std::size_t a, std::size_t b) noexcept
  {
    OutputConstraint<T, Out> c{};
    c.coefficients[a] = T(1);
    c.coefficients[b] = T(-1);
    return c;
  }
};

enum class Verdict { holds, violated, unknown };

/// Options of verify. out_of_time(time_context) is asked once per piece at runtime (never at compile
/// time); true stops the search (verdict unknown, out_of_time set).
struct VerifyOptions {
  std::size_t max_pieces = 20000;
  std::size_t max_depth = 48;
  std::size_t search_steps = 40;  // coordinate-search rounds per case at the start
  bool (*out_of_time)(const void*) = nullptr;
  const void* time_context = nullptr;
  /// Split the input whose halves' bounds are best (bounding both halves of every input) rather
  /// than the one with the widest influence.
  bool look_ahead = true;
  /// ReLU splitting: when a piece still open has at least one and at most this many unstable ReLU
  /// units (pre-activation bounds around 0), split the first layer's most ambiguous one (largest
  /// min(-lower, upper)) into h <= 0 and h >= 0 before splitting inputs. 0: inputs only.
  std::size_t relu_split_below = 0;
  /// Inputs drawn uniformly from the region (a fixed-seed xorshift: the same ones at compile time and
  /// at runtime) and checked with predict before the search: cheap counterexamples in a large region.
  std::size_t random_samples = 0;
};

/// What verify found. margin: for holds, the smallest amount by which a proven bound cleared its
/// constraint over all pieces; for violated, how far the counterexample is inside the violation
/// (<= 0); for unknown, the smallest margin of the pieces proven so far.
template <class T, std::size_t In>
struct VerifyResult {
  Verdict verdict = Verdict::unknown;
  T counterexample[In]{};
  std::size_t pieces = 0;
  T margin = detail::interval::infinity<T>;
  bool out_of_time = false;
  bool property_overflows = false;
  std::size_t look_ahead_bounds = 0;  // extra pieces bounded to choose splits
  std::size_t relu_splits = 0;        // pieces split at a ReLU unit rather than an input
};

namespace detail::verifying {

inline constexpr std::size_t max_cases = 64;

// What one piece's bounds say: which cases are ruled out, the margin, where to split, and the corner
// that minimises the open case's linear bound.
template <class T, std::size_t In>
struct PieceReport {
  std::uint64_t still_open = 0;
  T margin = detail::interval::infinity<T>;
  std::size_t split = 0;
  T corner[In]{};
  bool has_corner = false;
  T hardest = detail::interval::infinity<T>;  // the smallest best bound of a case left open
};

template <class Net, class P>
constexpr PieceReport<typename Net::scalar_type, Net::inputs> bound_piece(
    const Net& net, const P& property, const Box<typename Net::scalar_type, Net::inputs>& box, std::uint64_t open,
    NetworkBounds<Net>& bounds, const NetworkBounds<Net>* parent = nullptr) noexcept
{
  using T = typename Net::scalar_type;
  constexpr std::size_t In = Net::inputs, L = Net::layer_count;
  namespace iv = detail::interval;
  bounds.compute(net, box, true, parent);
  PieceReport<T, In> report{};
  if (bounds.empty()) return report;  // a ReLU split's side that no input of the box reaches
  const auto& last = std::get<L - 1>(bounds.records);
  T hardest = iv::infinity<T>;  // the smallest best-margin of a case left open
  T best_coefficients[In]{};
  for (std::size_t k = 0; k < property.cases; ++k) {
    if (!((open >> k) & 1)) continue;
    T best = -iv::infinity<T>;
    T coefficients[In]{};
    T best_case_coefficients[In]{};
    bool closed = false;
    for (std::size_t c = 0; c < property.count; ++c) {
      if (property.case_of[c] != k) continue;
      const auto& constraint = property.constraints[c];
      T linear = bounds.template lower_bound<L - 1>(constraint.coefficients, -constraint.bound, coefficients);
      const T interval = iv::sub_down(
          detail::bounds::minimum_over_box(constraint.coefficients, last.out_lo, last.out_hi), constraint.bound);
      if (interval > linear) linear = interval;
      if (linear > best) {
        best = linear;
        for (std::size_t i = 0; i < In; ++i) best_case_coefficients[i] = coefficients[i];
      }
      if (constraint.strict ? linear >= T(0) : linear > T(0)) closed = true;
    }
    if (closed) {
      if (best < report.margin) report.margin = best;
    } else {
      report.still_open |= std::uint64_t{1} << k;
      if (best < hardest || !report.has_corner) {
        hardest = best;
        report.hardest = best;
        report.has_corner = true;
        for (std::size_t i = 0; i < In; ++i) best_coefficients[i] = best_case_coefficients[i];
      }
    }
  }
  if (report.still_open != 0) {
    T widest = -T(1);
    for (std::size_t i = 0; i < In; ++i) {
      const T width = box.upper[i] - box.lower[i];
      const T influence = iv::magnitude(best_coefficients[i]) * width;
      report.corner[i] = best_coefficients[i] > T(0) ? box.lower[i] : box.upper[i];
      if (influence > widest) widest = influence, report.split = i;
    }
    if (!(widest > T(0))) {  // no influence known: the widest input
      widest = -T(1);
      for (std::size_t i = 0; i < In; ++i)
        if (box.upper[i] - box.lower[i] > widest) widest = box.upper[i] - box.lower[i], report.split = i;
    }
  }
  return report;
}

// A ReLU unit to split: its layer and unit, and how many units are unstable in all.
struct ReluChoice {
  std::size_t layer = 0, unit = 0, unstable = 0;
  bool found = false;
};

template <class Net, std::size_t I>
constexpr void choose_relu(const NetworkBounds<Net>& bounds, ReluChoice& choice,
                           typename Net::scalar_type& best) noexcept
{
  using B = typename NetworkBounds<Net>::template bounds_of<I>;
  if constexpr (requires { B::splits_at_zero; }) {
    if constexpr (B::splits_at_zero) {
      const auto& r = std::get<I>(bounds.records);
      for (std::size_t j = 0; j < B::pre_size; ++j) {
        if (!(r.pre_lo[j] < 0 && r.pre_hi[j] > 0)) continue;
        ++choice.unstable;
        const auto ambiguity = -r.pre_lo[j] < r.pre_hi[j] ? -r.pre_lo[j] : r.pre_hi[j];
        if (!choice.found || (choice.layer == I && ambiguity > best)) {
          choice = {I, j, choice.unstable, true};
          best = ambiguity;
        }
      }
    }
  }
}

template <class Net, std::size_t... I>
constexpr ReluChoice choose_relu(const NetworkBounds<Net>& bounds, std::index_sequence<I...>) noexcept
{
  ReluChoice choice{};
  typename Net::scalar_type best{};
  (choose_relu<Net, I>(bounds, choice, best), ...);
  return choice;
}

// bounds with unit `unit` of layer `layer` held to one side of 0 (active: h >= 0).
template <class Net, std::size_t... I>
constexpr void hold_relu(NetworkBounds<Net>& bounds, const ReluChoice& choice, bool active,
                         std::index_sequence<I...>) noexcept
{
  (
      [&] {
        if (choice.layer != I) return;
        auto& r = std::get<I>(bounds.records);
        if (active)
          r.pre_lo[choice.unit] = typename Net::scalar_type(0);
        else
          r.pre_hi[choice.unit] = typename Net::scalar_type(0);
      }(),
      ...);
}

template <class Net, class P>
struct Search {
  using T = typename Net::scalar_type;
  static constexpr std::size_t In = Net::inputs, Out = Net::outputs;
  const Net& net;
  const P& property;
  const VerifyOptions& options;
  VerifyResult<T, In>& result;

  // Whether x violates the property (then recorded).
  constexpr bool try_input(const T (&x)[In], std::uint64_t open) noexcept
  {
    typename Net::input_type input{};
    for (std::size_t i = 0; i < In; ++i) input.values[i] = x[i];
    const auto y = net.predict(input);
    for (std::size_t k = 0; k < property.cases; ++k) {
      if (!((open >> k) & 1) || !property.case_holds_at(k, y.values)) continue;
      result.verdict = Verdict::violated;
      for (std::size_t i = 0; i < In; ++i) result.counterexample[i] = x[i];
      result.margin = -worst_slack(k, y.values);
      return true;
    }
    return false;
  }

  // The largest sum - bound of case k's constraints at y (<= 0 inside the violation).
  constexpr T worst_slack(std::size_t k, const T (&y)[Out]) const noexcept
  {
    T worst = -detail::interval::infinity<T>;
    for (std::size_t c = 0; c < property.count; ++c) {
      if (property.case_of[c] != k) continue;
      T sum = T(0);
      for (std::size_t j = 0; j < Out; ++j) sum += property.constraints[c].coefficients[j] * y[j];
      const T slack = sum - property.constraints[c].bound;
      if (slack > worst) worst = slack;
    }
    return worst;
  }

  // options.random_samples uniform inputs of a bounded box; stops early when out of time.
  constexpr bool random_search(const Box<T, In>& box, std::uint64_t all) noexcept
  {
    for (std::size_t i = 0; i < In; ++i)
      if (!(box.upper[i] - box.lower[i] < detail::interval::infinity<T>)) return false;
    std::uint64_t state = 0x9E3779B97F4A7C15u;
    for (std::size_t sample = 0; sample < options.random_samples; ++sample) {
      if (sample % 1024 == 0 && !std::is_constant_evaluated() && options.out_of_time != nullptr &&
          options.out_of_time(options.time_context)) {
        result.out_of_time = true;
        return false;
      }
      T x[In]{};
      for (std::size_t i = 0; i < In; ++i) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        const T u = static_cast<T>(static_cast<double>(state >> 11) * 0x1p-53);
        const T v = box.lower[i] + (box.upper[i] - box.lower[i]) * u;
        x[i] = v > box.upper[i] ? box.upper[i] : v;
      }
      if (try_input(x, all)) return true;
    }
    return false;
  }

  // Coordinate search from the centre towards each case's violation: steps along one input, halved
  // when no step improves.
  constexpr bool local_search(const Box<T, In>& box) noexcept
  {
    for (std::size_t k = 0; k < property.cases; ++k) {
      T x[In]{};
      for (std::size_t i = 0; i < In; ++i) x[i] = box.lower[i] + (box.upper[i] - box.lower[i]) / T(2);
      auto score = [&](const T(&p)[In]) {
        typename Net::input_type input{};
        for (std::size_t i = 0; i < In; ++i) input.values[i] = p[i];
        return worst_slack(k, net.predict(input).values);
      };
      T best = score(x);
      T step = T(0.25);
      for (std::size_t round = 0; round < options.search_steps; ++round) {
        bool improved = false;
        for (std::size_t i = 0; i < In; ++i)
          for (int direction = -1; direction <= 1; direction += 2) {
            T p[In]{};
            for (std::size_t m = 0; m < In; ++m) p[m] = x[m];
            T moved = p[i] + T(direction) * step * (box.upper[i] - box.lower[i]);
            p[i] = moved < box.lower[i] ? box.lower[i] : moved > box.upper[i] ? box.upper[i] : moved;
            const T s = score(p);
            if (s < best) {
              best = s, improved = true;
              for (std::size_t m = 0; m < In; ++m) x[m] = p[m];
            }
          }
        if (best <= T(0) && try_input(x, std::uint64_t{1} << k)) return true;
        if (!improved) step /= T(2);
      }
    }
    return false;
  }

  // Depth first; returns false to stop (a counterexample, or out of budget).
  // A piece: bounds (and report) computed for box already, by the caller's look-ahead or here.
  constexpr bool piece(const Box<T, In>& box, std::uint64_t open, std::size_t depth,
                       const NetworkBounds<Net>* parent = nullptr) noexcept
  {
    if (!within_budget()) return false;
    ++result.pieces;
    NetworkBounds<Net> bounds{};
    const auto report = bound_piece(net, property, box, open, bounds, parent);
    return settle(box, depth, bounds, report);
  }

  constexpr bool within_budget() noexcept
  {
    if (result.pieces >= options.max_pieces) return false;
    if (!std::is_constant_evaluated() && options.out_of_time != nullptr && options.out_of_time(options.time_context)) {
      result.out_of_time = true;
      return false;
    }
    return true;
  }

  constexpr bool settle(const Box<T, In>& box, std::size_t depth, const NetworkBounds<Net>& bounds,
                        const PieceReport<T, In>& report) noexcept
  {
    if (report.still_open == 0) {
      if (report.margin < proven_margin) proven_margin = report.margin;
      return true;
    }
    T centre[In]{};
    for (std::size_t i = 0; i < In; ++i) centre[i] = box.lower[i] + (box.upper[i] - box.lower[i]) / T(2);
    if (try_input(centre, report.still_open) || try_input(report.corner, report.still_open)) return false;
    if (depth >= options.max_depth) {
      exhausted = true;  // this piece stays unknown, the others still run
      return true;
    }
    if (options.relu_split_below > 0) {
      const auto choice = choose_relu<Net>(bounds, std::make_index_sequence<Net::layer_count>{});
      if (choice.found && choice.unstable <= options.relu_split_below) {
        // Each side's bounds start from this piece's, with the unit held there; the sides together
        // cover the box. Not counted as depth: each split makes a unit stable, so they are finite.
        ++result.relu_splits;
        std::vector<NetworkBounds<Net>> side(1, bounds);
        hold_relu<Net>(side[0], choice, false, std::make_index_sequence<Net::layer_count>{});
        if (!piece(box, report.still_open, depth, &side[0])) return false;
        side[0] = bounds;
        hold_relu<Net>(side[0], choice, true, std::make_index_sequence<Net::layer_count>{});
        return piece(box, report.still_open, depth, &side[0]);
      }
    }
    if (!options.look_ahead) {
      const std::size_t s = report.split;
      if (!(centre[s] > box.lower[s] && centre[s] < box.upper[s])) {
        exhausted = true;
        return true;
      }
      Box<T, In> low = box, high = box;
      low.upper[s] = centre[s];
      high.lower[s] = centre[s];
      return piece(low, report.still_open, depth + 1, &bounds) && piece(high, report.still_open, depth + 1, &bounds);
    }
    // Look-ahead: bound both halves of each input's split, keep the split whose harder half is
    // easiest (the larger smaller bound), and go on with those halves' bounds.
    std::vector<NetworkBounds<Net>> halves(4);  // [0, 1] the best split so far, [2, 3] the candidate
    PieceReport<T, In> best_low{}, best_high{};
    Box<T, In> best_low_box{}, best_high_box{};
    T best_score = -detail::interval::infinity<T>;
    bool found = false;
    for (std::size_t i = 0; i < In; ++i) {
      if (!(centre[i] > box.lower[i] && centre[i] < box.upper[i])) continue;
      Box<T, In> low = box, high = box;
      low.upper[i] = centre[i];
      high.lower[i] = centre[i];
      const auto low_report = bound_piece(net, property, low, report.still_open, halves[2], &bounds);
      const auto high_report = bound_piece(net, property, high, report.still_open, halves[3], &bounds);
      result.look_ahead_bounds += 2;
      const T low_score = low_report.still_open == 0 ? detail::interval::infinity<T> : low_report.hardest;
      const T high_score = high_report.still_open == 0 ? detail::interval::infinity<T> : high_report.hardest;
      const T score = low_score < high_score ? low_score : high_score;
      if (!found || score > best_score) {
        found = true;
        best_score = score;
        best_low = low_report, best_high = high_report;
        best_low_box = low, best_high_box = high;
        halves[0] = halves[2], halves[1] = halves[3];
      }
    }
    if (!found) {
      exhausted = true;
      return true;
    }
    if (!within_budget()) return false;
    ++result.pieces;
    if (!settle(best_low_box, depth + 1, halves[0], best_low)) return false;
    if (!within_budget()) return false;
    ++result.pieces;
    return settle(best_high_box, depth + 1, halves[1], best_high);
  }

  T proven_margin = detail::interval::infinity<T>;
  bool exhausted = false;
};

}  // namespace detail::verifying

/// Proves property for net (holds), finds a counterexample checked with net.predict (violated), or
/// gives up within options' budget (unknown). Constexpr.
template <class Net, class P>
constexpr VerifyResult<typename Net::scalar_type, Net::inputs> verify(const Net& net, const P& property,
                                                                      const VerifyOptions& options = {}) noexcept
{
  using T = typename Net::scalar_type;
  VerifyResult<T, Net::inputs> result{};
  if (property.count > sizeof(property.constraints) / sizeof(property.constraints[0]) ||
      property.cases > detail::verifying::max_cases) {
    result.property_overflows = true;
    return result;
  }
  const std::uint64_t all = property.cases == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << property.cases) - 1;
  detail::verifying::Search<Net, P> search{net, property, options, result};
  if (search.random_search(property.region, all)) return result;
  if (result.out_of_time) return result;
  if (search.local_search(property.region)) return result;
  const bool finished = search.piece(property.region, all, 0);
  if (result.verdict == Verdict::violated) return result;
  result.margin = search.proven_margin;
  result.verdict = finished && !search.exhausted ? Verdict::holds : Verdict::unknown;
  return result;
}

}  // namespace ctnn
