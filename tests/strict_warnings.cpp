// Compiled with warnings beyond ctnn's own set (-Wuseless-cast, -Wold-style-cast, -Wsign-conversion,
// -Wdouble-promotion, as -Werror) and with ctnn's include directory not marked SYSTEM: a consumer who
// turns these on must not see them fire in ctnn's headers. Every public header is included and the
// templates a program typically instantiates are, in float and in double.

#include <ctnn/ctnn.hpp>
#include <ctnn/datasets/iris.hpp>

#include <cstddef>
#include <sstream>
#include <string>

namespace {

template <class T>
using Net = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, T>, ctnn::Dense<3, 1, ctnn::Sigmoid, T>>;

template <class T, class Optimizer, class Loss>
T exercise(const Optimizer& optimizer, const Loss& loss)
{
  const auto data = ctnn::datasets::xor_gate<T>();
  Net<T> net =
      ctnn::initialized<Net<T>>(ctnn::PerLayer{ctnn::XavierUniform{}, ctnn::Uniform<T>{T(-1), T(1)}}, ctnn::Seed{1});
  ctnn::History history;
  ctnn::fit(net, data, loss, optimizer, {.epochs = 3, .batch_size = 2}, history);
  ctnn::fit(net, data, loss, optimizer, {.epochs = 2});
  std::ostringstream out;
  ctnn::summary(net, out);
  ctnn::print_surface(net, out);
  out << ctnn::loss_svg(history) << ctnn::history_csv(history);
  Net<T> loaded{};
  ctnn::load_model_text_into(loaded, ctnn::model_text(net));
  out << ctnn::model_header(loaded, "model");
  const auto check = ctnn::gradient_check(net, data[0].input, data[0].target, loss);
  return ctnn::evaluate(net, data, loss).loss + check.max_error + static_cast<T>(out.str().size());
}

}  // namespace

int main()
{
  double sum = exercise<double>(ctnn::SGD{0.1}, ctnn::MeanSquaredError{});
  sum += exercise<double>(ctnn::Adam{}, ctnn::BinaryCrossEntropy{});
  sum += static_cast<double>(exercise<float>(ctnn::Momentum<float>{0.05f}, ctnn::MeanSquaredError{}));
  sum += static_cast<double>(exercise<float>(ctnn::Adam<float>{}, ctnn::BinaryCrossEntropy{}));
  const auto iris = ctnn::datasets::iris();
  sum += iris[0].input[0];
  return sum > 0 ? 0 : 1;
}
