// A PerLayer must hold exactly one initialiser per layer: here three for a two-layer network.
#include <ctnn/core.hpp>

using Model = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr ctnn::PerLayer initializers{ctnn::XavierUniform{}, ctnn::HeNormal{}, ctnn::Uniform01{}};
#else
constexpr ctnn::PerLayer initializers{ctnn::XavierUniform{}, ctnn::HeNormal{}};
#endif

constexpr Model model = ctnn::initialized<Model>(initializers, ctnn::Seed{1});
static_assert(model.layer<0>().bias[0] == 0.0);  // XavierUniform leaves biases zero
