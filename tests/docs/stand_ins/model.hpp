#pragma once
// Stands in for the model.hpp that the README's interop commands make with ctnn-export from a PyTorch
// model (which needs torch; the interop tests compile real ones): the object the README says that
// header defines, with the README's type and zero weights, so that the README's app.cpp compiles.
#include <ctnn/ctnn.hpp>

inline constexpr ctnn::Network<ctnn::Dense<4, 8, ctnn::Tanh, float>, ctnn::Dense<8, 3, ctnn::Softmax, float>> model{};
