#pragma once
// Including this header trains the XOR recipe in the compiler, in xor_recipe::stages stages
// (ctnn/staged.hpp): the whole run in one evaluation peaks at about 1.2 GB on GCC 12, in stages at
// about a third of that (bench/README.md).

#include <ctnn/staged.hpp>

#include "xor_recipe.hpp"

namespace xor_recipe {

static_assert(stages == 20, "xor_trained_by_compiler.hpp passes the stage count as a literal");

/// The recipe's 15000 epochs, trained while compiling; bit for bit what train() gives at runtime.
CTNN_TRAIN_IN_STAGES(trained_by_compiler, Staged, 20);

}  // namespace xor_recipe
