#pragma once
// Robustness of the trained breast-cancer recipe (examples/breast_cancer_recipe.hpp): for a held-out
// sample x and a radius eps, "no input within eps of x (L-infinity, in the standardised features,
// i.e. eps standard deviations of the training part per feature) changes the model's class". Shared by
// the static proof (breast_cancer_robustness_test.cpp) and the runtime search that finds the largest
// eps (breast_cancer_robustness_search.cpp), so both check the same property on the same bits.

#include <cstddef>

#include <ctnn/core.hpp>
#include <ctnn/verify.hpp>

#include "breast_cancer_recipe.hpp"

namespace breast_cancer_robustness {

/// Found by breast_cancer_robustness_search (bisection at runtime), which checks these values again
/// on every run: every held-out sample is proven stable within proven_eps, and the sample
/// hardest_sample has a counterexample (a class change checked with predict) within violated_eps.
inline constexpr double proven_eps = 0.015597249216021739;
inline constexpr double violated_eps = 0.018282796091021739;
inline constexpr std::size_t hardest_sample = 102;

using Property = ctnn::Property<double, 30, 1>;

/// The held-out samples, standardised as train() standardises them.
template <class Data>
constexpr auto standardized_held_out(const Data& data)
{
  const auto split = ctnn::hold_out_every<5>(data);
  return ctnn::Standardize<30>::measure(split.train)(split.test);
}

/// Violated when the output crosses predicted_class's threshold (class 1 when y >= 0.5).
constexpr Property class_change(const breast_cancer_recipe::Model& model, const ctnn::Vector<double, 30>& x, double eps)
{
  Property property = Property::around(x.values, eps);
  if (ctnn::predicted_class(model.predict(x)) == 1)
    property.require_at_least(0, 0.5);  // violated when y < 0.5
  else
    property.new_case().add_constraint({{-1.0}, -0.5, false});  // violated when y >= 0.5
  return property;
}

/// The search's budget: a proof should need few pieces at these radii.
inline constexpr ctnn::VerifyOptions options{.max_pieces = 64, .search_steps = 4};

struct Tally {
  std::size_t holds = 0, violated = 0, unknown = 0;
  std::size_t first_not_proven = static_cast<std::size_t>(-1);
};

/// verify over every held-out sample at radius eps.
template <class Held>
constexpr Tally verify_all(const breast_cancer_recipe::Model& model, const Held& held_out, double eps)
{
  Tally tally{};
  for (std::size_t i = 0; i < held_out.size(); ++i) {
    const auto result = ctnn::verify(model, class_change(model, held_out[i].input, eps), options);
    if (result.verdict == ctnn::Verdict::holds) {
      ++tally.holds;
      continue;
    }
    (result.verdict == ctnn::Verdict::violated ? tally.violated : tally.unknown) += 1;
    if (tally.first_not_proven == static_cast<std::size_t>(-1)) tally.first_not_proven = i;
  }
  return tally;
}

}  // namespace breast_cancer_robustness
