#pragma once
// The model behind conv1d_emitted_model.hpp (a header ctnn::emit_header wrote from it, committed):
// every layer kind of conv1d.hpp, elu.hpp, prelu.hpp and time_distributed.hpp with every option
// spelled, values from bit_helpers::spread. Regenerate the header after a change of spelling with
//   g++ -std=c++20 -Iinclude -Itests/unit -x c++ - -o /tmp/gen <<< '#include <ctnn/ctnn.hpp>
//   #include "conv1d_emitted_source.hpp"
//   #include <iostream>
//   int main() { std::cout << ctnn::model_header(conv1d_emitted_source(), "conv1d_emitted"); }'
//   (echo '// clang-format off'; /tmp/gen) > tests/unit/conv1d_emitted_model.hpp

#include <cstddef>
#include <ratio>

#include <ctnn/conv1d.hpp>
#include <ctnn/elu.hpp>
#include <ctnn/prelu.hpp>
#include <ctnn/time_distributed.hpp>

#include "bit_helpers.hpp"

using Conv1DEmitted =
    ctnn::Network<ctnn::Conv1D<9, 2, 4, 3, ctnn::ELU<std::ratio<1, 2>>,
                               ctnn::Conv1DOptions{.dilation = 2, .groups = 2, .padding = ctnn::Padding::causal}>,
                  ctnn::PReLU<ctnn::Shape<9, 4>, 4>,
                  ctnn::Conv1D<9, 4, 3, 2, ctnn::Tanh,
                               ctnn::Conv1DOptions{.stride = 2, .padding = ctnn::Padding::same, .bias = false}>,
                  ctnn::TimeDistributed<ctnn::Dense<3, 2, ctnn::ELU<>>, 5>, ctnn::PReLU<ctnn::Shape<5, 2>, 1>>;

inline constexpr Conv1DEmitted conv1d_emitted_source()
{
  Conv1DEmitted net{};
  std::size_t k = 0;
  net.for_each_layer([&](auto& layer) {
    layer.visit_parameters([&](auto& tensor) {
      for (auto& v : tensor) v = bit_helpers::spread(k++);
    });
  });
  return net;
}
