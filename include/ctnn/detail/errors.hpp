#pragma once
// Runtime errors that are also readable compile errors: each is a non-constexpr function named for
// the problem, so reaching it in a constant expression makes the compiler print its name, and at
// runtime it throws std::invalid_argument with the same words.

#include <stdexcept>

namespace ctnn::detail {

[[noreturn]] inline void ctnn_error_fit_needs_at_least_one_epoch()
{
  throw std::invalid_argument("ctnn: fit needs at least one epoch");
}

[[noreturn]] inline void ctnn_error_learning_rate_must_be_positive_and_finite()
{
  throw std::invalid_argument("ctnn: the learning rate must be positive and finite");
}

}  // namespace ctnn::detail
