// The position in the message is the failing pair's, not always 1 and 2.
#include <ctnn/dense.hpp>
#include <ctnn/network.hpp>

#ifdef CTNN_EXPECT_COMPILE_ERROR
constexpr std::size_t third_layer_inputs = 5;
#else
constexpr std::size_t third_layer_inputs = 8;
#endif

ctnn::Network<ctnn::Dense<4, 8, ctnn::ReLU>, ctnn::Dense<8, 8, ctnn::ReLU>,
              ctnn::Dense<third_layer_inputs, 3, ctnn::Sigmoid>>
    network{};
