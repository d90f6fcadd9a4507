#pragma once
// Runtime errors that are also readable compile errors: each is a non-constexpr function named for
// the problem, so reaching it in a constant expression makes the compiler print its name, and at
// runtime it raises (error.hpp: throws, or without exceptions calls the error handler) a
// ctnn::argument_error (a std::invalid_argument) with the same words, naming the optimizer,
// initialiser or option, the parameter and its value. Every such function of the library is here.

#include <charconv>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"

namespace ctnn::detail {

// A value as the shortest decimal that reads back to it in its own type ("-0.01", "inf", "nan").
template <class T>
std::string show_value(T value)
{
  char text[64];
  const auto written = std::to_chars(text, text + sizeof text, value);
  return std::string(text, written.ptr);
}

// "ctnn: Adam: learning rate -0.01 must be positive and finite": who, which parameter, its value.
template <class T>
[[noreturn]] void raise_bad_parameter(std::string_view who, std::string_view parameter, T value,
                                      std::string_view requirement)
{
  raise(argument_error("ctnn: " + std::string(who) + ": " + std::string(parameter) + " " + show_value(value) + " " +
                       std::string(requirement)));
}

[[noreturn]] inline void ctnn_error_fit_needs_at_least_one_epoch()
{
  raise(argument_error("ctnn: fit: option epochs 0 must be at least 1"));
}

template <class T>
[[noreturn]] void ctnn_error_learning_rate_must_be_positive_and_finite(std::string_view optimizer, T value)
{
  raise_bad_parameter(optimizer, "learning rate", value, "must be positive and finite");
}

template <class T>
[[noreturn]] void ctnn_error_momentum_must_be_in_0_1(std::string_view optimizer, T value)
{
  raise_bad_parameter(optimizer, "momentum", value, "must be in [0, 1)");
}

template <class T>
[[noreturn]] void ctnn_error_adam_beta_must_be_in_0_1(std::string_view parameter, T value)
{
  raise_bad_parameter("Adam", parameter, value, "must be in [0, 1)");
}

template <class T>
[[noreturn]] void ctnn_error_epsilon_must_be_positive_and_finite(std::string_view optimizer, T value)
{
  raise_bad_parameter(optimizer, "epsilon", value, "must be positive and finite");
}

template <class T>
[[noreturn]] void ctnn_error_initializer_range_must_be_finite_and_low_below_high(std::string_view initializer,
                                                                                 std::string_view scalar, T low, T high)
{
  raise(argument_error("ctnn: " + std::string(initializer) + ": range [" + show_value(low) + ", " + show_value(high) +
                       ") must have low < high in " + std::string(scalar) + ", each finite and within half of " +
                       std::string(scalar) + "'s largest value"));
}

[[noreturn]] inline void ctnn_error_batch_size_must_be_between_1_and_the_data_set_size(std::size_t batch_size,
                                                                                       std::size_t data_set_size)
{
  raise(argument_error("ctnn: fit: option batch_size " + std::to_string(batch_size) +
                       " must be at least 1 and at most the data set's size " + std::to_string(data_set_size)));
}

[[noreturn]] inline void ctnn_error_batch_statistics_need_a_batch_size_of_at_least_2(std::size_t batch_size)
{
  raise(
      argument_error("ctnn: fit: a layer normalises with batch statistics (BatchNorm), which needs option "
                     "batch_size at least 2, not " +
                     std::to_string(batch_size)));
}

[[noreturn]] inline void ctnn_error_training_data_has_a_nan_or_infinity(std::size_t sample)
{
  raise(argument_error("ctnn: the training data has a NaN or an infinity in sample " + std::to_string(sample)));
}

[[noreturn]] inline void ctnn_error_validation_data_has_a_nan_or_infinity(std::size_t sample)
{
  raise(argument_error("ctnn: the validation data has a NaN or an infinity in sample " + std::to_string(sample)));
}

// Divergence: the epoch and sample are arguments so that compilers print them in the trace of the
// failed constant expression ("in call to ...(12, 3)").
[[noreturn]] inline void ctnn_error_training_diverged_the_loss_is_nan_or_infinite(std::size_t epoch, std::size_t sample)
{
  raise(divergence_error(epoch, sample, "loss"));
}

[[noreturn]] inline void ctnn_error_training_diverged_a_parameter_is_nan_or_infinite(std::size_t epoch,
                                                                                     std::size_t layer)
{
  raise(divergence_error(epoch, divergence_error::no_sample, "parameters of layer " + std::to_string(layer)));
}

[[noreturn]] inline void ctnn_error_a_training_state_resumes_with_the_shuffle_seed_it_started_with()
{
  raise(argument_error(
      "ctnn: a TrainingState resumes the shuffle it started: pass the same shuffle_seed to every fit() call"));
}

[[noreturn]] inline void ctnn_error_the_scheduled_learning_rate_must_be_finite_and_not_negative(std::size_t epoch)
{
  raise(argument_error("ctnn: the learning-rate schedule gave a negative or non-finite rate at epoch " +
                       std::to_string(epoch)));
}

[[noreturn]] inline void ctnn_error_predict_needs_as_many_outputs_as_inputs(std::size_t inputs, std::size_t outputs)
{
  raise(argument_error("ctnn: predict needs as many outputs as inputs, got " + std::to_string(inputs) + " inputs and " +
                       std::to_string(outputs) + " outputs"));
}

[[noreturn]] inline void ctnn_error_early_stopping_monitors_the_validation_loss_but_fit_has_no_validation_data()
{
  raise(
      argument_error("ctnn: EarlyStopping monitors the validation loss, but fit() has no validation data (use "
                     "with_validation(train, validation), or .monitor = Monitor::training_loss)"));
}

[[noreturn]] inline void ctnn_error_class_names_need_one_name_per_class(std::size_t classes, std::size_t given)
{
  detail::raise(argument_error("ctnn: class names: the data set has " + std::to_string(classes) +
                               " classes, so it needs " + std::to_string(classes) + " names, got " +
                               std::to_string(given)));
}

[[noreturn]] inline void ctnn_error_a_class_name_cannot_be_empty(std::size_t index)
{
  detail::raise(argument_error("ctnn: class names: the name of class " + std::to_string(index) + " is empty"));
}

[[noreturn]] inline void ctnn_error_class_names_must_differ(const std::string& name)
{
  detail::raise(argument_error("ctnn: class names: '" + name + "' names two classes"));
}

[[noreturn]] inline void ctnn_error_hold_out_every_needs_at_least_k_samples(std::size_t k, std::size_t size)
{
  detail::raise(argument_error("ctnn: hold_out_every<" + std::to_string(k) + "> needs at least " + std::to_string(k) +
                               " samples, the data set has " + std::to_string(size)));
}

// Reached only when a data set is empty: at runtime it throws, in a constant expression the
// compiler prints its name.
[[noreturn]] inline void ctnn_error_the_data_set_is_empty(const char* what)
{
  detail::raise(argument_error(std::string("ctnn: ") + what + " needs a data set with at least one sample"));
}

[[noreturn]] inline void ctnn_error_a_split_needs_a_test_size_between_1_and_the_size_minus_1(std::size_t test_size,
                                                                                             std::size_t size)
{
  detail::raise(argument_error("ctnn: a split needs 1 <= test size < the data set's size (" + std::to_string(size) +
                               "), got " + std::to_string(test_size)));
}

}  // namespace ctnn::detail
