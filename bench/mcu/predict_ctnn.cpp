// The benchmark's predict-only program, ctnn side: one prediction of a model exported by
// ctnn-export, through predict_once(), which run.sh counts the instructions of. Built with
//   -DMODEL=sine_model -DMODEL_HEADER='"sine_model.hpp"'  the model
//   -DPRINT -DBENCH_INPUTS=sine_inputs  instead, the outputs for every benchmark input printed
//                (semihosting), for their accuracy
//   -DSTACK      instead, the stack bytes one predict_once() call uses printed
//   -DBASELINE   predict_once() does nothing: the size of the program around a model
//   -DINFERENCE  through ctnn::for_inference(model) (W by columns) instead of model.predict
//   -DPLAIN_LOOPS  not ctnn's forward pass but the floor: each Dense layer's h = W x + b in two plain
//                loops, in ctnn's order (so the same bits), then ctnn's own activation call

#include <cstddef>
#include <type_traits>
#include <utility>

#if defined(PRINT) || defined(STACK)
#include <cstdio>

#include "inputs.hpp"
#include "stack_probe.h"
#endif

#include MODEL_HEADER

#if defined(INFERENCE)
#include <ctnn/inference.hpp>  // a lean model header includes only its layers' headers
#endif

namespace {
using Model = std::remove_cvref_t<decltype(MODEL)>;
constexpr std::size_t inputs = Model::inputs;
constexpr std::size_t outputs = Model::outputs;
#if defined(INFERENCE)
constexpr auto model = ctnn::for_inference(MODEL);
#else
constexpr const Model& model = MODEL;
#endif
}  // namespace

#if defined(PLAIN_LOOPS)
namespace {
// y = f(W x + b) for one Dense layer, x and y of its sizes.
template <class Layer>
void dense_in_plain_loops(const Layer& layer, const float* x, float* y)
{
  constexpr std::size_t in = Layer::inputs;
  float h[Layer::outputs];
  for (std::size_t i = 0; i < Layer::outputs; ++i) {
    float sum = layer.weights.values[i * in] * x[0];
    for (std::size_t j = 1; j < in; ++j) sum += layer.weights.values[i * in + j] * x[j];
    h[i] = sum + layer.bias.values[i];
  }
  float activated[Layer::outputs];
  Layer::activate_at_runtime(h, activated);
  for (std::size_t i = 0; i < Layer::outputs; ++i) y[i] = activated[i];
}
}  // namespace
#endif

[[gnu::noinline]] void predict_once(const float* in, float* out)
{
#if defined(BASELINE)
  (void)in;
  (void)out;
#elif defined(PLAIN_LOOPS)
  // Each layer from one buffer into the other, the last one into out.
  float buffers[2][64];
  const float* from = in;
  [&]<std::size_t... l>(std::index_sequence<l...>) {
    static_assert(((std::remove_cvref_t<decltype(model.template layer<l>())>::outputs <= 64) && ...));
    ((dense_in_plain_loops(model.template layer<l>(), from, l + 1 == Model::layer_count ? out : buffers[l % 2]),
      from = buffers[l % 2]),
     ...);
  }(std::make_index_sequence<Model::layer_count>{});
#else
  typename Model::input_type x;
  for (std::size_t i = 0; i < inputs; ++i) x[i] = in[i];
  const auto y = model.predict(x);
  for (std::size_t i = 0; i < outputs; ++i) out[i] = y[i];
#endif
}

#if defined(PRINT)
int main()
{
  for (const auto& input : BENCH_INPUTS) {
    float output[outputs];
    predict_once(input, output);
    for (const float value : output) std::printf("%a ", static_cast<double>(value));
    std::printf("\n");
  }
}
#elif defined(STACK)
int main()
{
  float in[inputs] = {};
  float out[outputs];
  std::printf("%u\n", stack_of_one_call(predict_once, in, out));
}
#else
volatile float input[inputs];  // what the optimiser cannot see: one real prediction
volatile float output[outputs];

int main()
{
  float in[inputs];
  float out[outputs];
  for (std::size_t i = 0; i < inputs; ++i) in[i] = input[i];
  predict_once(in, out);
  for (std::size_t i = 0; i < outputs; ++i) output[i] = out[i];
}
#endif
