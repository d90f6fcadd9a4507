// Finds the largest eps at which every held-out sample of the trained breast-cancer recipe is proven
// stable (bisection over verify at runtime), the sample that limits it, and a slightly larger eps at
// which that sample has a counterexample; prints them, and fails when they differ from the values
// the static proof pins (breast_cancer_robustness.hpp), so the two cannot drift apart.

#include <cstdio>

#include "breast_cancer.hpp"  // made by ctnn_add_dataset
#include "breast_cancer_robustness.hpp"

int main()
{
  namespace bcr = breast_cancer_robustness;
  const auto data = ctnn::datasets::breast_cancer<double>();
  const auto trained = breast_cancer_recipe::train(data);
  const auto held_out = bcr::standardized_held_out(data);

  // Per sample: the largest eps proven (bisection to 1/16384 of a standard deviation).
  double all_proven = 1.0;
  std::size_t hardest = 0;
  for (std::size_t i = 0; i < held_out.size(); ++i) {
    double lo = 0.0, hi = all_proven;  // the common eps cannot exceed the smallest so far
    const auto proven = [&](double eps) {
      return ctnn::verify(trained.model, bcr::class_change(trained.model, held_out[i].input, eps), bcr::options)
                 .verdict == ctnn::Verdict::holds;
    };
    if (proven(hi)) continue;
    while (hi - lo > 1.0 / 16384) {
      const double mid = (lo + hi) / 2;
      (proven(mid) ? lo : hi) = mid;
    }
    all_proven = lo;
    hardest = i;
  }
  // The smallest eps above it, in steps of 1/4096, where a counterexample is found.
  double violated = -1.0;
  for (double eps = all_proven + 1.0 / 4096; eps <= 2 * all_proven + 0.1; eps += 1.0 / 4096) {
    const auto result = ctnn::verify(trained.model, bcr::class_change(trained.model, held_out[hardest].input, eps),
                                     ctnn::VerifyOptions{.max_pieces = 4096, .search_steps = 40});
    if (result.verdict == ctnn::Verdict::violated) {
      violated = eps;
      break;
    }
  }
  const auto tally = bcr::verify_all(trained.model, held_out, all_proven);
  std::printf("held-out samples %zu, accuracy %.4f\n", held_out.size(), trained.held_out.accuracy());
  std::printf("largest eps proven for all: %.17g (tally: %zu holds, %zu violated, %zu unknown)\n", all_proven,
              tally.holds, tally.violated, tally.unknown);
  std::printf("hardest sample %zu, counterexample found at eps %.17g\n", hardest, violated);
  std::printf("pinned: proven_eps %.17g, violated_eps %.17g, hardest_sample %zu\n", bcr::proven_eps, bcr::violated_eps,
              bcr::hardest_sample);
  const bool same = all_proven == bcr::proven_eps && violated == bcr::violated_eps && hardest == bcr::hardest_sample &&
                    tally.holds == held_out.size();
  if (!same) std::printf("the pinned values differ: update breast_cancer_robustness.hpp\n");
  return same ? 0 : 1;
}
