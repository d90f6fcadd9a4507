#pragma once
// Samples; the data-set concept every algorithm takes (IndexedDataset: size() and operator[]); the
// fixed-size Dataset for constant expressions and the vector-backed RuntimeDataset; splits,
// standardisation, and the small data sets the tutorial uses.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctnn/detail/errors.hpp"
#include "ctnn/diagnostic.hpp"
#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/math.hpp"
#include "ctnn/random.hpp"
#include "ctnn/tensor.hpp"

namespace ctnn {

/// One training example: an input vector and the target the network should produce.
template <class T, std::size_t In, std::size_t Out>
struct Sample {
  Vector<T, In> input;
  Vector<T, Out> target;

  /// Sample<T, In, Out> s{}: zeros, to be written.
  constexpr Sample() = default;
  /// An input and its target, each with exactly its size of values: Sample<double, 2, 1>{{{0.5, 1.0}}, {{1.0}}}.
  constexpr Sample(const Vector<T, In>& input_values, const Vector<T, Out>& target_values) noexcept
      : input(input_values), target(target_values)
  {
  }
  /// An input without its target is a compile error, where an aggregate would make the target zeros.
  template <class U = T>
  constexpr Sample(const Vector<U, In>& input_values) noexcept : input(input_values), target{}
  {
    static_assert(diagnostic::passes<diagnostic::check_sample_has_target<diagnostic::dataset::sample_targets<Out>,
                                                                         diagnostic::targets_given<0>>>);
  }
};

/// N samples of In inputs and Out targets each, kept in order.
template <std::size_t In, std::size_t Out, std::size_t N, class T = double>
struct Dataset {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);
  static_assert(N > 0, "ctnn: a Dataset needs at least one sample");

  using scalar_type = T;
  using sample_type = Sample<T, In, Out>;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;

  sample_type samples[N];

  /// Dataset<In, Out, N> d{}: N zero samples, to be written.
  constexpr Dataset() = default;
  /// Exactly N samples, Dataset<2, 1, 4>{{{{{0, 0}}, {{0}}}, ...}}: a list of another length is a
  /// compile error naming both counts, where an aggregate would add samples of zeros.
  template <std::size_t Given>
  constexpr Dataset(const sample_type (&given)[Given]) noexcept  // implicit, as Vector's
  {
    static_assert(diagnostic::passes<
                  diagnostic::check_sample_count<diagnostic::dataset_size<N>, diagnostic::samples_given<Given>>>);
    if constexpr (Given == N) {
      for (std::size_t i = 0; i < N; ++i) samples[i] = given[i];
    } else {  // after the error above: a whole value, so that no second error follows
      for (std::size_t i = 0; i < N; ++i) samples[i] = i < Given ? given[i < Given ? i : 0] : sample_type{};
    }
  }

  static constexpr std::size_t size() noexcept { return N; }
  constexpr const sample_type& operator[](std::size_t i) const noexcept { return samples[i]; }
  constexpr sample_type& operator[](std::size_t i) noexcept { return samples[i]; }
  constexpr const sample_type* begin() const noexcept { return samples; }
  constexpr const sample_type* end() const noexcept { return samples + N; }
  constexpr sample_type* begin() noexcept { return samples; }
  constexpr sample_type* end() noexcept { return samples + N; }
};

/// The number of classes a network of Out outputs tells apart: Out, or 2 for a single (sigmoid)
/// output, whose class is 1 when it is at least one half (predicted_class).
constexpr std::size_t class_count(std::size_t outputs) noexcept
{
  return outputs == 1 ? 2 : outputs;
}

namespace detail {

/// Names of Classes classes: none, or one per class, each non-empty and different from the others.
template <class Names>
constexpr void check_class_names(const Names& names, std::size_t classes)
{
  if (names.empty()) return;
  if (names.size() != classes) ctnn_error_class_names_need_one_name_per_class(classes, names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) ctnn_error_a_class_name_cannot_be_empty(i);
    for (std::size_t j = 0; j < i; ++j)
      if (names[j] == names[i]) ctnn_error_class_names_must_differ(std::string(names[i]));
  }
}

}  // namespace detail

/// Samples of In inputs and Out targets whose count is known only at runtime (read from a CSV file,
/// say), and the names of their classes when it has them. Backed by a std::vector, so it also
/// serves, transiently, inside a constant expression.
template <std::size_t In, std::size_t Out, class T = double>
class RuntimeDataset {
  static_assert(diagnostic::check_scalar<diagnostic::scalar_type<T>>::value);

 public:
  using scalar_type = T;
  using sample_type = Sample<T, In, Out>;
  static constexpr std::size_t inputs = In;
  static constexpr std::size_t outputs = Out;

  constexpr RuntimeDataset() = default;
  constexpr explicit RuntimeDataset(std::vector<sample_type> samples) : samples_(std::move(samples)) {}
  /// Samples and the names of their classes (see set_class_names).
  constexpr RuntimeDataset(std::vector<sample_type> samples, std::vector<std::string> class_names)
      : samples_(std::move(samples))
  {
    set_class_names(std::move(class_names));
  }
  /// The samples of a fixed-size data set, in order.
  template <std::size_t N>
  constexpr explicit RuntimeDataset(const Dataset<In, Out, N, T>& data) : samples_(data.begin(), data.end())
  {
  }

  constexpr std::size_t size() const noexcept { return samples_.size(); }
  constexpr bool empty() const noexcept { return samples_.empty(); }
  constexpr const sample_type& operator[](std::size_t i) const noexcept { return samples_[i]; }
  constexpr sample_type& operator[](std::size_t i) noexcept { return samples_[i]; }
  constexpr const sample_type* begin() const noexcept { return samples_.data(); }
  constexpr const sample_type* end() const noexcept { return samples_.data() + samples_.size(); }
  constexpr sample_type* begin() noexcept { return samples_.data(); }
  constexpr sample_type* end() noexcept { return samples_.data() + samples_.size(); }

  constexpr void reserve(std::size_t count) { samples_.reserve(count); }
  constexpr void push_back(const sample_type& sample) { samples_.push_back(sample); }
  constexpr const std::vector<sample_type>& samples() const noexcept { return samples_; }

  /// The classes a data set of Out outputs tells apart: Out, or 2 for a single output.
  static constexpr std::size_t classes = class_count(Out);
  /// The name of each class, by class index (predicted_class of a target), or none (empty). read_csv
  /// sets them for a class-label column; splits and copies keep them.
  constexpr const std::vector<std::string>& class_names() const noexcept { return class_names_; }
  /// Names the classes: `classes` names, each non-empty and different, or none (std::invalid_argument
  /// otherwise, and the data set keeps its names).
  constexpr void set_class_names(std::vector<std::string> names)
  {
    detail::check_class_names(names, classes);
    class_names_ = std::move(names);
  }

 private:
  std::vector<sample_type> samples_;
  std::vector<std::string> class_names_;
};

/// What every algorithm that reads samples takes: sizes and scalar type as members, size() and
/// operator[] giving Sample<scalar_type, inputs, outputs>. Dataset and RuntimeDataset are two.
template <class D>
concept IndexedDataset = requires(const D& data, std::size_t i) {
  typename D::scalar_type;
  {
    D::inputs
  } -> std::convertible_to<std::size_t>;
  {
    D::outputs
  } -> std::convertible_to<std::size_t>;
  {
    data.size()
  } -> std::convertible_to<std::size_t>;
  {
    data[i]
  } -> std::convertible_to<const Sample<typename D::scalar_type, D::inputs, D::outputs>&>;
};

/// A data set whose samples carry a weight each: weight(i), a finite number not below zero, by which
/// fit() and evaluate() multiply sample i's loss and gradient (with_sample_weights, class_weights.hpp).
template <class D>
concept SampleWeightedDataset = IndexedDataset<D> && requires(const D& data, std::size_t i) {
  {
    data.weight(i)
  } -> std::same_as<typename D::scalar_type>;
};

namespace detail {

[[noreturn]] inline void ctnn_error_a_sample_weight_must_be_finite_and_not_negative(std::size_t sample)
{
  raise(argument_error("ctnn: sample weights: the weight of sample " + std::to_string(sample) +
                       " must be finite and not negative"));
}

// Every sample weight finite and not negative (for a data set that has them).
template <class D>
constexpr void check_sample_weights(const D& data)
{
  if constexpr (SampleWeightedDataset<D>) {
    using T = typename D::scalar_type;
    for (std::size_t i = 0; i < data.size(); ++i) {
      const T w = data.weight(i);
      if (!(w >= T(0) && w <= std::numeric_limits<T>::max()))
        ctnn_error_a_sample_weight_must_be_finite_and_not_negative(i);
    }
  }
}

}  // namespace detail

/// The class a network output stands for: the index of the largest value (the first, on a tie),
/// or for a single output, 1 when it is at least one half and 0 otherwise.
template <class T, std::size_t N>
constexpr std::size_t predicted_class(const Vector<T, N>& y) noexcept
{
  if constexpr (N == 1) {
    return y.values[0] >= T(0.5) ? 1 : 0;
  } else {
    std::size_t best = 0;
    for (std::size_t i = 1; i < N; ++i)
      if (y.values[i] > y.values[best]) best = i;
    return best;
  }
}

/// A data set whose size is part of its type (Dataset): algorithms keep per-sample arrays for it on
/// the stack (std::size_t[N]) rather than in a std::vector, which the constant evaluator handles
/// more cheaply and which may outlive a constant expression.
template <class D>
concept FixedSizeDataset = IndexedDataset<D> && requires { std::integral_constant<std::size_t, D::size()>{}; };

/// The class names of any data set: its class_names() when it has them (RuntimeDataset), else none.
template <IndexedDataset D>
constexpr std::vector<std::string> class_names_of(const D& data)
{
  if constexpr (requires {
                  {
                    data.class_names()
                  } -> std::convertible_to<const std::vector<std::string>&>;
                })
    return data.class_names();
  else
    return {};
}

namespace detail {

// The samples as something the subscript reaches directly: Dataset's array (a built-in subscript,
// no call per sample for the constant evaluator), a pointer for contiguous storage, or else the
// data set itself through its operator[].
template <IndexedDataset D>
constexpr decltype(auto) sample_access(const D& data) noexcept
{
  if constexpr (requires { data.samples[std::size_t{0}]; })
    return (data.samples);
  else if constexpr (requires {
                       {
                         data.begin()
                       } -> std::same_as<const typename D::sample_type*>;
                     })
    return data.begin();
  else
    return (data);
}

// Fisher-Yates with a bounded draw by rejection, so each order is equally likely on every platform.
template <class Order, class Generator>
constexpr void shuffle_order(Order& order, std::size_t size, Generator& rng) noexcept
{
  for (std::size_t i = size > 0 ? size - 1 : 0; i > 0; --i) {
    const std::uint64_t range = std::uint64_t{i} + 1;  // no cast: one that is useless on LP64 would warn
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % range) - 1;
    std::uint64_t draw = rng();
    while (draw > limit) draw = rng();
    const std::uint64_t j = draw % range;
    const std::size_t held = order[i];
    order[i] = order[j];
    order[j] = held;
  }
}

template <std::size_t N, class Generator>
constexpr void shuffle_order(std::size_t (&order)[N], Generator& rng) noexcept
{
  shuffle_order(order, N, rng);
}

template <class D>
constexpr void check_not_empty(const D& data, const char* what)
{
  if (data.size() == 0) ctnn_error_the_data_set_is_empty(what);
}

}  // namespace detail

/// A data set cut in two by hold_out_every().
template <std::size_t In, std::size_t Out, std::size_t TrainSize, std::size_t TestSize, class T>
struct TrainTestSplit {
  Dataset<In, Out, TrainSize, T> train;
  Dataset<In, Out, TestSize, T> test;
};

/// Holds out every K-th sample (indices K-1, 2K-1, ...) as the test set and keeps the rest for
/// training, both in their original order. On a data set sorted by class with equal class sizes
/// divisible by K, as Iris with K = 5, both parts keep the class proportions.
template <std::size_t K, std::size_t In, std::size_t Out, std::size_t N, class T>
constexpr TrainTestSplit<In, Out, N - N / K, N / K, T> hold_out_every(const Dataset<In, Out, N, T>& data) noexcept
{
  static_assert(K >= 2 && N / K >= 1 && N / K < N,
                "ctnn: hold_out_every<K> needs 2 <= K <= the data set's size, so both parts have a sample");
  TrainTestSplit<In, Out, N - N / K, N / K, T> split{};
  std::size_t train = 0, test = 0;
  for (std::size_t i = 0; i < N; ++i) {
    if ((i + 1) % K == 0)
      split.test.samples[test++] = data.samples[i];
    else
      split.train.samples[train++] = data.samples[i];
  }
  return split;
}

/// A runtime-sized data set cut in two (hold_out_every, random_split, stratified_split); both parts
/// keep the class names of the data set.
template <std::size_t In, std::size_t Out, class T>
struct RuntimeSplit {
  RuntimeDataset<In, Out, T> train;
  RuntimeDataset<In, Out, T> test;
};

/// hold_out_every<K> for a runtime-sized data set: the same rule, parts sized at runtime. A data set
/// with fewer than K samples (no test sample) is an error (std::invalid_argument at runtime).
template <std::size_t K, std::size_t In, std::size_t Out, class T>
constexpr RuntimeSplit<In, Out, T> hold_out_every(const RuntimeDataset<In, Out, T>& data)
{
  static_assert(K >= 2, "ctnn: hold_out_every<K> needs K >= 2");
  if (data.size() < K) detail::ctnn_error_hold_out_every_needs_at_least_k_samples(K, data.size());
  RuntimeSplit<In, Out, T> split;
  split.train.set_class_names(data.class_names());
  split.test.set_class_names(data.class_names());
  split.test.reserve(data.size() / K);
  split.train.reserve(data.size() - data.size() / K);
  for (std::size_t i = 0; i < data.size(); ++i) {
    if ((i + 1) % K == 0)
      split.test.push_back(data[i]);
    else
      split.train.push_back(data[i]);
  }
  return split;
}

namespace detail {

// Marks the test part (is_test[i] = 1) of a split of data. Random: the first test_size samples of
// an order shuffled from seed. Stratified: each class (predicted_class of the target) gets its share
// of test_size, rounded by largest remainder (ties to the lower class), filled with the class's
// first samples in the same shuffled order. order and is_test hold data.size() elements.
template <class Data, class Order, class Flags>
constexpr void mark_test_samples(const Data& data, std::size_t test_size, Seed seed, bool stratified, Order& order,
                                 Flags& is_test)
{
  const std::size_t n = data.size();
  if (test_size == 0 || test_size >= n)
    ctnn_error_a_split_needs_a_test_size_between_1_and_the_size_minus_1(test_size, n);
  for (std::size_t i = 0; i < n; ++i) {
    order[i] = i;
    is_test[i] = 0;
  }
  Random rng{seed};
  shuffle_order(order, n, rng);
  if (!stratified) {
    for (std::size_t i = 0; i < test_size; ++i) is_test[order[i]] = 1;
    return;
  }
  constexpr std::size_t classes = Data::outputs == 1 ? 2 : Data::outputs;
  const auto& samples = sample_access(data);
  std::size_t count[classes]{}, quota[classes]{}, remainder[classes]{}, taken[classes]{};
  bool rounded_up[classes]{};
  for (std::size_t i = 0; i < n; ++i) ++count[predicted_class(samples[i].target)];
  std::size_t given = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    quota[c] = test_size * count[c] / n;
    remainder[c] = test_size * count[c] % n;
    given += quota[c];
  }
  // The remainders sum to (test_size - given) n, each below n: enough classes to round up.
  for (; given < test_size; ++given) {
    std::size_t best = classes;
    for (std::size_t c = 0; c < classes; ++c)
      if (!rounded_up[c] && quota[c] < count[c] && (best == classes || remainder[c] > remainder[best])) best = c;
    rounded_up[best] = true;
    ++quota[best];
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = predicted_class(samples[order[i]].target);
    if (taken[c] < quota[c]) {
      is_test[order[i]] = 1;
      ++taken[c];
    }
  }
}

template <std::size_t TestSize, std::size_t In, std::size_t Out, std::size_t N, class T>
constexpr TrainTestSplit<In, Out, N - TestSize, TestSize, T> fixed_split(const Dataset<In, Out, N, T>& data, Seed seed,
                                                                         bool stratified)
{
  static_assert(TestSize >= 1 && TestSize < N, "ctnn: a split needs 1 <= TestSize < the data set's size");
  std::size_t order[N];
  unsigned char is_test[N];
  mark_test_samples(data, TestSize, seed, stratified, order, is_test);
  TrainTestSplit<In, Out, N - TestSize, TestSize, T> split{};
  std::size_t train = 0, test = 0;
  for (std::size_t i = 0; i < N; ++i) {
    if (is_test[i])
      split.test.samples[test++] = data.samples[i];
    else
      split.train.samples[train++] = data.samples[i];
  }
  return split;
}

template <IndexedDataset Data>
constexpr RuntimeSplit<Data::inputs, Data::outputs, typename Data::scalar_type> runtime_split(const Data& data,
                                                                                              std::size_t test_size,
                                                                                              Seed seed,
                                                                                              bool stratified)
{
  // Filled by push_back, not sized: Clang 16 cannot evaluate libstdc++ 12's value-initialising fill.
  std::vector<std::size_t> order;
  std::vector<unsigned char> is_test;
  order.reserve(data.size());
  is_test.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    order.push_back(0);
    is_test.push_back(0);
  }
  mark_test_samples(data, test_size, seed, stratified, order, is_test);
  RuntimeSplit<Data::inputs, Data::outputs, typename Data::scalar_type> split;
  if (auto names = class_names_of(data); !names.empty()) {  // a generic data set's names, kept as they are
    split.train.set_class_names(names);
    split.test.set_class_names(std::move(names));
  }
  split.test.reserve(test_size);
  split.train.reserve(data.size() - test_size);
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (is_test[i])
      split.test.push_back(data[i]);
    else
      split.train.push_back(data[i]);
  }
  return split;
}

}  // namespace detail

/// TestSize samples drawn at random (seeded) as the test part, the rest for training; both keep
/// the data's order. The same seed gives the same split, in the compiler and at runtime.
template <std::size_t TestSize, std::size_t In, std::size_t Out, std::size_t N, class T>
constexpr TrainTestSplit<In, Out, N - TestSize, TestSize, T> random_split(const Dataset<In, Out, N, T>& data, Seed seed)
{
  return detail::fixed_split<TestSize>(data, seed, false);
}

/// As random_split, but each class (predicted_class of the target: the largest target value, or for
/// one target, >= 0.5) gives the test part its share of TestSize, rounded by largest remainder, so
/// both parts keep the class proportions as closely as whole samples allow.
template <std::size_t TestSize, std::size_t In, std::size_t Out, std::size_t N, class T>
constexpr TrainTestSplit<In, Out, N - TestSize, TestSize, T> stratified_split(const Dataset<In, Out, N, T>& data,
                                                                              Seed seed)
{
  return detail::fixed_split<TestSize>(data, seed, true);
}

/// random_split with the test size given at runtime, for any data set (a RuntimeDataset, say):
/// the parts are RuntimeDatasets. A test size of 0 or of at least the data set's size is an error.
template <IndexedDataset Data>
constexpr RuntimeSplit<Data::inputs, Data::outputs, typename Data::scalar_type> random_split(const Data& data,
                                                                                             std::size_t test_size,
                                                                                             Seed seed)
{
  return detail::runtime_split(data, test_size, seed, false);
}

/// stratified_split with the test size given at runtime, for any data set; the parts are
/// RuntimeDatasets.
template <IndexedDataset Data>
constexpr RuntimeSplit<Data::inputs, Data::outputs, typename Data::scalar_type> stratified_split(const Data& data,
                                                                                                 std::size_t test_size,
                                                                                                 Seed seed)
{
  return detail::runtime_split(data, test_size, seed, true);
}

namespace datasets {

/// The XOR truth table in the tutorial's order: (0,0)->0, (0,1)->1, (1,0)->1, (1,1)->0.
template <class T = double>
constexpr Dataset<2, 1, 4, T> xor_gate() noexcept
{
  return {
      {{{{T(0), T(0)}}, {{T(0)}}}, {{{T(0), T(1)}}, {{T(1)}}}, {{{T(1), T(0)}}, {{T(1)}}}, {{{T(1), T(1)}}, {{T(0)}}}}};
}

}  // namespace datasets

/// True when a data set of type Data can train or evaluate a network of type Net.
template <class Data, class Net>
concept DatasetFor = IndexedDataset<Data> && Data::inputs == Net::inputs && Data::outputs == Net::outputs &&
                     std::same_as<typename Data::scalar_type, typename Net::scalar_type>;

}  // namespace ctnn
