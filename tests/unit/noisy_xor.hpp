#pragma once
// Test data shared by the training-loop tests: the XOR table and four points near its corners, so
// that batches of 3 leave a smaller last batch and shuffling matters.

#include <ctnn/data.hpp>

namespace test_data {

constexpr ctnn::Dataset<2, 1, 8> noisy_xor()
{
  return {{{{{0.0, 0.0}}, {{0.0}}},
           {{{0.0, 1.0}}, {{1.0}}},
           {{{1.0, 0.0}}, {{1.0}}},
           {{{1.0, 1.0}}, {{0.0}}},
           {{{0.1, 0.2}}, {{0.0}}},
           {{{0.2, 0.9}}, {{1.0}}},
           {{{0.9, 0.1}}, {{1.0}}},
           {{{0.8, 0.8}}, {{0.0}}}}};
}

}  // namespace test_data
