// Every optimizer x loss x initialiser trains in a constant expression in float and in double, on
// GCC and Clang (GCC 12 once could not compare Adam<float>'s default learning rate in its constant
// evaluator). Compiling this file is the first test; running it checks that the same training at
// runtime gives the same bits for every combination.

#include <ctnn/core.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <tuple>
#include <type_traits>
#include <utility>

namespace {

template <class T>
using SigmoidNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, T>, ctnn::Dense<3, 2, ctnn::Sigmoid, T>>;
template <class T>
using SoftmaxNet = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh, T>, ctnn::Dense<3, 2, ctnn::Softmax, T>>;

// XOR with a one-hot target, so that every loss (categorical cross-entropy needs two outputs) fits.
template <class T>
constexpr ctnn::Dataset<2, 2, 4, T> one_hot_xor()
{
  return {{{{{T(0), T(0)}}, {{T(1), T(0)}}},
           {{{T(0), T(1)}}, {{T(0), T(1)}}},
           {{{T(1), T(0)}}, {{T(0), T(1)}}},
           {{{T(1), T(1)}}, {{T(1), T(0)}}}}};
}

template <class T>
constexpr auto optimizers()
{
  return std::tuple{ctnn::SGD<T>{T(0.5)}, ctnn::Momentum<T>{T(0.05)},
                    ctnn::Momentum<T>{.learning_rate = T(0.05), .nesterov = true}, ctnn::Adam<T>{}};
}
constexpr auto losses =
    std::tuple{ctnn::MeanSquaredError{}, ctnn::BinaryCrossEntropy{}, ctnn::CategoricalCrossEntropy{}};
template <class T>
constexpr auto initializers()
{
  return std::tuple{ctnn::Uniform01{}, ctnn::Uniform<T>{T(-0.5), T(0.5)}, ctnn::XavierUniform{}, ctnn::HeNormal{},
                    ctnn::PerLayer{ctnn::XavierUniform{}, ctnn::HeNormal{}}};
}

constexpr std::size_t optimizer_count = std::tuple_size_v<decltype(optimizers<double>())>;
constexpr std::size_t loss_count = std::tuple_size_v<decltype(losses)>;
constexpr std::size_t initializer_count = std::tuple_size_v<decltype(initializers<double>())>;
constexpr std::size_t combinations = optimizer_count * loss_count * initializer_count;

struct Outcome {
  std::uint64_t fingerprint;
  bool finite_and_moved;  // the loss is finite and training changed the parameters
};

// Trains one combination for a few epochs, with mini-batches of two so that both training paths run.
template <class T, std::size_t O, std::size_t L, std::size_t I>
constexpr Outcome train_one()
{
  const auto& loss = std::get<L>(losses);
  using Net = std::conditional_t<L == 2, SoftmaxNet<T>, SigmoidNet<T>>;
  const Net initial = ctnn::initialized<Net>(std::get<I>(initializers<T>()), ctnn::Seed{7});
  Net net = initial;
  const auto result = ctnn::fit(net, one_hot_xor<T>(), loss, std::get<O>(optimizers<T>()),
                                {.epochs = 3, .batch_size = O % 2 == 0 ? std::size_t{1} : std::size_t{2}});
  const bool finite = ctnn::math::isfinite(result.loss);
  return {parameter_fingerprint(net), finite && !bitwise_equal(net, initial)};
}

template <class T, std::size_t... K>
constexpr auto train_all(std::index_sequence<K...>)
{
  return std::array<Outcome, sizeof...(K)>{train_one<T, K / (loss_count * initializer_count),
                                                     K / initializer_count % loss_count, K % initializer_count>()...};
}

template <class T>
constexpr auto train_matrix()
{
  return train_all<T>(std::make_index_sequence<combinations>{});
}

template <std::size_t N>
constexpr bool all_finite_and_moved(const std::array<Outcome, N>& outcomes)
{
  for (const auto& o : outcomes)
    if (!o.finite_and_moved) return false;
  return true;
}

constexpr auto float_in_compiler = train_matrix<float>();
constexpr auto double_in_compiler = train_matrix<double>();
static_assert(all_finite_and_moved(float_in_compiler));
static_assert(all_finite_and_moved(double_in_compiler));

template <std::size_t N>
int count_differences(const char* type, const std::array<Outcome, N>& in_compiler,
                      const std::array<Outcome, N>& at_runtime)
{
  int differences = 0;
  for (std::size_t k = 0; k < N; ++k) {
    if (in_compiler[k].fingerprint != at_runtime[k].fingerprint) {
      std::printf(
          "%s combination %zu (optimizer %zu, loss %zu, initializer %zu): compile time %016llx, runtime %016llx\n",
          type, k, k / (loss_count * initializer_count), k / initializer_count % loss_count, k % initializer_count,
          static_cast<unsigned long long>(in_compiler[k].fingerprint),
          static_cast<unsigned long long>(at_runtime[k].fingerprint));
      ++differences;
    }
  }
  return differences;
}

}  // namespace

int main()
{
  // The same function, called at runtime: volatile keeps the compiler from folding it.
  volatile bool at_runtime = true;
  if (!at_runtime) return 2;
  const int differences = count_differences("float", float_in_compiler, train_matrix<float>()) +
                          count_differences("double", double_in_compiler, train_matrix<double>());
  std::printf("%zu combinations x 2 scalar types: %d differ between compile time and runtime\n", combinations,
              differences);
  return differences == 0 ? 0 : 1;
}
