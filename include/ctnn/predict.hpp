#pragma once
// Batch prediction, one spelling for every model (a Network or its inference form, for_inference):
//   ctnn::predict(model, inputs, outputs)   every input's output into the caller's buffers (spans, or
//                                           anything that converts to one); nothing allocated
//   ctnn::predict(model, data)              every sample's output of a data set: a std::array for a
//                                           Dataset, a std::vector otherwise
//   ctnn::predict(model, inputs)            a std::array of inputs to a std::array of outputs
// Each output has model.predict(input)'s bits. In the compiler they loop over predict(); at runtime
// an inference form runs blocks of samples through each layer together, and the data-set form of a
// large Network builds one first (on the heap, beside the std::vector it returns).

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "ctnn/data.hpp"
#include "ctnn/detail/checks.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/detail/runtime_only.hpp"
#include "ctnn/inference.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

namespace detail {

template <class M>
inline constexpr bool is_inference_model = false;
template <class Net>
inline constexpr bool is_inference_model<InferenceModel<Net>> = true;

template <class M>
concept PredictModel = is_network<M> || is_inference_model<M>;

// results[s] = model.predict(samples[s]): an inference form in blocks, a Network sample by sample.
template <class M>
void predict_into_buffers(const M& model, const typename M::input_type* samples, typename M::output_type* results,
                          std::size_t count)
{
  if constexpr (is_inference_model<M>) {
    model.run_batch(samples, results, count);
  } else {
    for (std::size_t s = 0; s < count; ++s) results[s] = model.predict(samples[s]);
  }
}

// A data set's outputs at runtime: from two blocks of samples on, a Network is first frozen (on the
// heap: as large as its parameters), which costs less than one block's sums and needs no transposes.
template <class M, class Samples>
void predict_samples(const M& model, const Samples& samples, std::size_t count, typename M::output_type* outputs)
{
  std::vector<typename M::input_type> inputs(count);
  for (std::size_t i = 0; i < count; ++i) inputs[i] = samples[i].input;
  if constexpr (is_network<M>) {
    using Model = InferenceModel<M>;
    if (count >= 2 * Model::batch_block) {
      const auto frozen = std::make_unique<Model>(model);
      frozen->run_batch(inputs.data(), outputs, count);
      return;
    }
  }
  predict_into_buffers(model, inputs.data(), outputs, count);
}

template <class M>
struct network_of {
  using type = M;
};
template <class Net>
struct network_of<InferenceModel<Net>> {
  using type = Net;
};

}  // namespace detail

/// model's output for each input, written to outputs, which must be as long as inputs (else
/// ctnn::argument_error at runtime, a compile error in a constant expression). Allocates nothing.
template <detail::PredictModel M>
constexpr void predict(const M& model, std::span<const typename M::input_type> inputs,
                       std::span<typename M::output_type> outputs)
{
  if (inputs.size() != outputs.size())
    detail::ctnn_error_predict_needs_as_many_outputs_as_inputs(inputs.size(), outputs.size());
  if (__builtin_is_constant_evaluated()) {
    for (std::size_t i = 0; i < inputs.size(); ++i) outputs[i] = model.predict(inputs[i]);
  } else {
    detail::predict_into_buffers(model, inputs.data(), outputs.data(), inputs.size());
  }
}

/// model's outputs for every sample of data, in order: a std::array for a data set whose size is in
/// its type (Dataset), a std::vector otherwise (RuntimeDataset).
template <detail::PredictModel M, IndexedDataset Data>
[[nodiscard]] constexpr auto predict(const M& model, const Data& data)
{
  static_assert(detail::check_dataset<typename detail::network_of<M>::type, Data>);
  if (!__builtin_is_constant_evaluated()) detail::runtime_only();  // see detail/runtime_only.hpp
  const auto& samples = detail::sample_access(data);
  if constexpr (FixedSizeDataset<Data>) {
    std::array<typename M::output_type, Data::size()> outputs{};
    if (__builtin_is_constant_evaluated()) {
      for (std::size_t i = 0; i < Data::size(); ++i) outputs[i] = model.predict(samples[i].input);
    } else {
      detail::predict_samples(model, samples, Data::size(), outputs.data());
    }
    return outputs;
  } else {
    std::vector<typename M::output_type> outputs(data.size());
    if (__builtin_is_constant_evaluated()) {
      for (std::size_t i = 0; i < data.size(); ++i) outputs[i] = model.predict(samples[i].input);
    } else {
      detail::predict_samples(model, samples, data.size(), outputs.data());
    }
    return outputs;
  }
}

/// model's output for each of N inputs, as an array.
template <detail::PredictModel M, std::size_t N>
[[nodiscard]] constexpr std::array<typename M::output_type, N> predict(
    const M& model, const std::array<typename M::input_type, N>& inputs)
{
  std::array<typename M::output_type, N> outputs{};
  predict(model, std::span<const typename M::input_type>(inputs), std::span<typename M::output_type>(outputs));
  return outputs;
}

}  // namespace ctnn
