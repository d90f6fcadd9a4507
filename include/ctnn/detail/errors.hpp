#pragma once
// Runtime errors that are also readable compile errors: each is a non-constexpr function named for
// the problem, so reaching it in a constant expression makes the compiler print its name, and at
// runtime it throws std::invalid_argument with the same words.

#include <cstddef>
#include <stdexcept>
#include <string>

#include "ctnn/errors.hpp"

namespace ctnn::detail {

[[noreturn]] inline void ctnn_error_fit_needs_at_least_one_epoch()
{
  throw std::invalid_argument("ctnn: fit needs at least one epoch");
}

[[noreturn]] inline void ctnn_error_learning_rate_must_be_positive_and_finite()
{
  throw std::invalid_argument("ctnn: the learning rate must be positive and finite");
}

[[noreturn]] inline void ctnn_error_momentum_must_be_in_0_1()
{
  throw std::invalid_argument("ctnn: the momentum must be in [0, 1)");
}

[[noreturn]] inline void ctnn_error_adam_beta_must_be_in_0_1()
{
  throw std::invalid_argument("ctnn: Adam's beta1 and beta2 must be in [0, 1)");
}

[[noreturn]] inline void ctnn_error_epsilon_must_be_positive_and_finite()
{
  throw std::invalid_argument("ctnn: the optimizer's epsilon must be positive and finite");
}

[[noreturn]] inline void ctnn_error_initializer_range_must_be_finite_and_low_below_high()
{
  throw std::invalid_argument("ctnn: an initializer's range must be finite with low < high");
}

[[noreturn]] inline void ctnn_error_batch_size_must_be_between_1_and_the_data_set_size()
{
  throw std::invalid_argument("ctnn: the batch size must be at least 1 and at most the data set's size");
}

[[noreturn]] inline void ctnn_error_training_data_has_a_nan_or_infinity(std::size_t sample)
{
  throw std::invalid_argument("ctnn: the training data has a NaN or an infinity in sample " + std::to_string(sample));
}

// Divergence: the epoch and sample are arguments so that compilers print them in the trace of the
// failed constant expression ("in call to ...(12, 3)").
[[noreturn]] inline void ctnn_error_training_diverged_the_loss_is_nan_or_infinite(std::size_t epoch, std::size_t sample)
{
  throw divergence_error(epoch, sample, "loss");
}

[[noreturn]] inline void ctnn_error_training_diverged_a_parameter_is_nan_or_infinite(std::size_t epoch,
                                                                                     std::size_t layer)
{
  throw divergence_error(epoch, divergence_error::no_sample, "parameters of layer " + std::to_string(layer));
}

}  // namespace ctnn::detail
