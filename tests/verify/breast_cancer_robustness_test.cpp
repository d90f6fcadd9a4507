// The compiler trains the breast-cancer recipe, then proves that no input within proven_eps
// (L-infinity, in standardised features) of any held-out sample changes the model's class, and that
// at violated_eps the hardest sample has a counterexample. The radii come from
// breast_cancer_robustness_search, which checks them again at runtime.

#include "breast_cancer_robustness.hpp"
#include "breast_cancer.hpp"  // made by ctnn_add_dataset

namespace bcr = breast_cancer_robustness;

constexpr auto data = ctnn::datasets::breast_cancer<double>();
constexpr auto trained = breast_cancer_recipe::train(data);
constexpr auto held_out = bcr::standardized_held_out(data);

static_assert(bcr::proven_eps > 0 && bcr::violated_eps > bcr::proven_eps);
static_assert(bcr::verify_all(trained.model, held_out, bcr::proven_eps).holds == held_out.size(),
              "ctnn: every held-out sample's class must be proven stable within proven_eps");
static_assert(ctnn::verify(trained.model,
                           bcr::class_change(trained.model, held_out[bcr::hardest_sample].input, bcr::violated_eps),
                           ctnn::VerifyOptions{.max_pieces = 4096, .search_steps = 40})
                      .verdict == ctnn::Verdict::violated,
              "ctnn: at violated_eps the hardest sample must have a counterexample");

int main() {}
