#pragma once
// The exceptions ctnn throws at runtime, each a ctnn::error (error.hpp) and the standard exception it
// always was. In a constant expression the same problems are compile errors instead, and without
// exceptions they go to the handler of set_error_handler() (see error.hpp and detail/errors.hpp).

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include "ctnn/error.hpp"

namespace ctnn {

/// A bad argument or option: a hyper-parameter out of range, a batch size, a data set with a NaN,
/// mismatched buffers. what() names the function or type, the parameter and its value.
class argument_error : public std::invalid_argument, public error {
 public:
  explicit argument_error(const std::string& message) : std::invalid_argument(message) {}
  const char* what() const noexcept override { return std::invalid_argument::what(); }
};

/// Training stopped because the loss or a parameter became NaN or infinite (e.g. a learning rate
/// far too large). Epochs count from 1; sample is the data set index of the sample being trained
/// (0-based), or no_sample when the problem was found at the end of an epoch.
class divergence_error : public std::runtime_error, public error {
 public:
  static constexpr std::size_t no_sample = static_cast<std::size_t>(-1);

  divergence_error(std::size_t epoch, std::size_t sample, std::string quantity)
      : std::runtime_error(describe(epoch, sample, quantity)),
        epoch_(epoch),
        sample_(sample),
        quantity_(std::move(quantity))
  {
  }

  const char* what() const noexcept override { return std::runtime_error::what(); }
  std::size_t epoch() const noexcept { return epoch_; }
  std::size_t sample() const noexcept { return sample_; }
  /// What was not finite: "loss" or "parameters of layer N" (1-based).
  const std::string& quantity() const noexcept { return quantity_; }

 private:
  static std::string describe(std::size_t epoch, std::size_t sample, const std::string& quantity)
  {
    std::string where = "epoch " + std::to_string(epoch);
    if (sample != no_sample) where += ", sample " + std::to_string(sample);
    return "ctnn: training diverged at " + where + ": the " + quantity +
           " became NaN or infinite (is the learning rate too large?)";
  }

  std::size_t epoch_;
  std::size_t sample_;
  std::string quantity_;
};

/// A data file (a CSV file, say) is malformed. what() reads "ctnn: <source>, line L, column C (name):
/// expected ..., found ...", where lines and columns count from 1 (a column is a field of a record, and
/// its name is shown when the file has a header line of names); line() and column() are 0 when the
/// problem is not about one (a file that cannot be opened).
class data_error : public std::runtime_error, public error {
 public:
  data_error(std::string source, std::size_t line, std::size_t column, const std::string& problem,
             const std::string& column_name = {})
      : std::runtime_error(describe(source, line, column, problem, column_name)),
        source_(std::move(source)),
        line_(line),
        column_(column)
  {
  }

  const char* what() const noexcept override { return std::runtime_error::what(); }
  /// The file name (or the name given to a text read from memory).
  const std::string& source() const noexcept { return source_; }
  std::size_t line() const noexcept { return line_; }
  std::size_t column() const noexcept { return column_; }

 private:
  static std::string describe(const std::string& source, std::size_t line, std::size_t column,
                              const std::string& problem, const std::string& column_name)
  {
    std::string where = "ctnn: " + source;
    if (line != 0) where += ", line " + std::to_string(line);
    if (column != 0) where += ", column " + std::to_string(column);
    if (column != 0 && !column_name.empty()) where += " (" + column_name + ")";
    return where + ": " + problem;
  }

  std::string source_;
  std::size_t line_;
  std::size_t column_;
};

/// A model file (or model text) that cannot be read or written: what() names the file, the line when
/// there is one, and what was expected and what was found.
class model_file_error : public std::runtime_error, public error {
 public:
  explicit model_file_error(const std::string& message, std::size_t line = 0) : std::runtime_error(message), line_{line}
  {
  }

  const char* what() const noexcept override { return std::runtime_error::what(); }
  /// The 1-based line of the model file the error is about, or 0 when it is not about a line.
  std::size_t line() const noexcept { return line_; }

 private:
  std::size_t line_;
};

/// A file ctnn writes or reads at runtime other than a model file (a plot, a history CSV) could not be
/// written or read: what() names the file and the reason.
class io_error : public std::runtime_error, public error {
 public:
  explicit io_error(const std::string& message) : std::runtime_error(message) {}
  const char* what() const noexcept override { return std::runtime_error::what(); }
};

}  // namespace ctnn
