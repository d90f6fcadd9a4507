// The compiler trains the breast-cancer recipe (examples/breast_cancer_recipe.hpp) on the data set
// ctnn_add_dataset generated from data/breast_cancer.csv, and the held-out accuracy is checked here.
// examples/breast_cancer shows the same run at runtime, on the file read by read_csv, giving the same bits.

#include "breast_cancer.hpp"  // made by ctnn_add_dataset (tests/CMakeLists.txt)
#include "breast_cancer_recipe.hpp"

constexpr auto trained = breast_cancer_recipe::train(ctnn::datasets::breast_cancer<double>());

static_assert(trained.held_out.samples == 569 / 5);
static_assert(trained.held_out.accuracy() >= 0.95, "ctnn: the breast-cancer recipe must reach 95 % held out");

int main() {}
