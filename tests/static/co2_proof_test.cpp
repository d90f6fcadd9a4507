// The CO2 forecaster trained in the compiler: the recipe of examples/co2_recipe.hpp (a 4-unit GRU,
// one pass of Adam over 582 windows of the Mauna Loa series, in 6 stages) runs in constant
// expressions, and its held-out mean absolute error is checked against the two naive forecasts by
// static_assert. Compiling this file is the test.

#include "co2_recipe.hpp"

namespace {

CTNN_TRAIN_IN_STAGES(trained, co2_recipe::small::Training, 6);
static_assert(co2_recipe::small::stages == 6);

constexpr double seasonal_naive = co2_recipe::seasonal_naive_mae();
constexpr double last_value = co2_recipe::last_value_mae();
constexpr double gru = co2_recipe::model_mae(trained.model);

// The baselines are the task's published figures (data/co2.md): the same split and windows.
static_assert(co2_recipe::levels.train.size() == 582 && co2_recipe::levels.test.size() == 146);
static_assert(seasonal_naive > 2.325 && seasonal_naive < 2.335, "seasonal-naive MAE is 2.33 ppm");
static_assert(last_value > 1.215 && last_value < 1.225, "last-value MAE is 1.22 ppm");
static_assert(gru < last_value && gru < seasonal_naive,
              "the GRU trained in the compiler forecasts the held-out months better than both naive forecasts");

}  // namespace

int main() {}
