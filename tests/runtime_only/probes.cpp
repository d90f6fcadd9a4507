// Runtime code calling ctnn with constant arguments, for runtime_only.cmake: GCC at -O2 would fold
// each probe's call into a constant at the constant evaluator's speed if the function did not begin
// with its runtime_only() barrier (include/ctnn/detail/runtime_only.hpp). Each network's one layer has
// fewer than 8 inputs and more than 64 weights, so no is_constant_evaluated() test inside Dense stops
// the fold first: only a barrier can. initialized() and predict() have theirs above
// detail::fold_parameter_limit parameters (Net); evaluate() and confusion_matrix() always (Small,
// whose predict() has none).

#include <cstddef>

#include <ctnn/ctnn.hpp>

namespace {

using Net = ctnn::Network<ctnn::Dense<7, 40, ctnn::Tanh>>;
static_assert(Net::parameter_count > ctnn::detail::fold_parameter_limit);
using Small = ctnn::Network<ctnn::Dense<7, 10, ctnn::Tanh>>;
static_assert(Small::parameter_count <= ctnn::detail::fold_parameter_limit);

template <std::size_t Outputs>
constexpr ctnn::Dataset<7, Outputs, 4> make_data()
{
  ctnn::Dataset<7, Outputs, 4> data{};
  for (std::size_t i = 0; i < 4; ++i) {
    data.samples[i].input.values[i] = 1.0;
    data.samples[i].target.values[i] = 1.0;
  }
  return data;
}

template <class Network>
constexpr Network make_network()
{
  Network n{};
  n.template layer<0>().bias.values[1] = 0.5;
  return n;
}

constexpr auto data = make_data<40>();
constexpr auto small_data = make_data<10>();
constexpr Net net = make_network<Net>();
constexpr Small small = make_network<Small>();

}  // namespace

Net probe_initialized()
{
  return ctnn::initialized<Net>(ctnn::Uniform{-0.1, 0.1}, ctnn::Seed{1});
}
ctnn::Vector<double, 40> probe_predict()
{
  return net.predict(data.samples[0].input);
}
double probe_evaluate()
{
  return ctnn::evaluate(small, small_data, ctnn::MeanSquaredError{}).loss;
}
std::size_t probe_confusion_matrix()
{
  return ctnn::confusion_matrix(small, small_data).correct();
}
