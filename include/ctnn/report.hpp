#pragma once
// Runtime-only reports: the Keras-style model summary, the training history, the epoch reporter
// with its terminal progress bar, the confusion matrix as a table (callbacks(...), to give fit()
// several at once, is in callbacks.hpp). The only header that includes <iostream>.

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <iomanip>
#include <iostream>
#include <limits>
#include <locale>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(_WIN32)
#include <io.h>
#elif __has_include(<unistd.h>)
#include <unistd.h>
#endif

#include "ctnn/callbacks.hpp"
#include "ctnn/detail/errors.hpp"
#include "ctnn/epoch_report.hpp"
#include "ctnn/evaluate.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/network.hpp"
#include "ctnn/shape.hpp"
#include "ctnn/train.hpp"

namespace ctnn {

/// Writes a Keras-style summary: one row per layer (name, output shape, its parameter count, trainable
/// or not), then the totals. Layers are named like Keras names them, numbered per kind: standardize_1,
/// dense_1, dense_2, ...
template <class... Layers>
void summary(const Network<Layers...>& net, std::ostream& out = std::cout)
{
  using Net = Network<Layers...>;
  struct row {
    std::string name;
    std::string shape;
    std::size_t parameters;
  };
  std::vector<row> rows;
  std::vector<std::pair<std::string_view, std::size_t>> seen_kinds;
  net.for_each_layer([&]<class L>(const L&) {
    std::size_t number = 1;
    for (const auto& [kind, count] : seen_kinds)
      if (kind == L::kind) number = count + 1;
    seen_kinds.emplace_back(L::kind, number);
    std::string lower;
    for (char c : L::kind) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    // Keras's "(None, 8, 4)": the batch dimension, then the layer's output shape.
    std::string shape = "(None";
    for (const std::size_t d : L::output_shape::dims) shape += ", " + std::to_string(d);
    shape += ')';
    rows.push_back(
        {lower + '_' + std::to_string(number) + " (" + std::string(L::kind) + ')', shape, stored_value_count_of<L>});
  });

  // Keras's widths, the name column widened when a name would touch the shape column.
  std::size_t name_width = 28;
  for (const auto& r : rows) name_width = std::max(name_width, r.name.size() + 2);
  constexpr std::size_t shape_width = 26;
  const std::string rule(name_width + 37, '_');
  const std::string double_rule(name_width + 37, '=');
  const auto width = [](std::size_t w) { return std::setw(static_cast<int>(w)); };

  out << "Model: \"sequential\"\n" << rule << '\n';
  out << ' ' << std::left << width(name_width - 1) << "Layer (type)" << width(shape_width) << "Output Shape"
      << "Param #\n";
  out << double_rule << '\n';
  for (const auto& r : rows)
    out << ' ' << std::left << width(name_width - 1) << r.name << width(shape_width) << r.shape << r.parameters << '\n';
  out << double_rule << '\n';
  out << "Total params: " << Net::total_parameter_count << '\n';
  out << "Trainable params: " << Net::parameter_count << '\n';
  out << "Non-trainable params: " << Net::non_trainable_parameter_count << '\n' << rule << '\n';
}

/// summary(net, out), then the names of the classes its outputs stand for, by class index:
///
///     Classes: 0 Adelie, 1 Chinstrap, 2 Gentoo
///
/// class_names: one per class (the outputs, or 2 for one output), or none (then as summary(net, out)).
template <class... Layers>
void summary(const Network<Layers...>& net, const std::vector<std::string>& class_names, std::ostream& out = std::cout)
{
  constexpr std::size_t classes = class_count(Network<Layers...>::outputs);
  if (!class_names.empty() && class_names.size() != classes)
    detail::raise(argument_error("ctnn: summary needs one class name per class (" + std::to_string(classes) +
                                 "), got " + std::to_string(class_names.size())));
  summary(net, out);
  if (class_names.empty()) return;
  out << "Classes:";
  for (std::size_t c = 0; c < classes; ++c) out << (c > 0 ? ", " : " ") << c << ' ' << class_names[c];
  out << '\n';
}

// ---------------------------------------------------------------------------------------------
// History

/// Every epoch's figures, in the order recorded: the loss summed over the epoch (as fit() gives it
/// to callback(epoch, loss)), and, from an EpochReport, the mean loss per sample, the training
/// accuracy (classifiers), and the validation data's mean loss and accuracy (with_validation). A
/// figure an epoch did not have is NaN, so all the vectors have one entry per recorded epoch.
/// It is itself a fit() callback: pass it (an lvalue, so fit() fills this object) or recorder().
/// Figures are kept as double; a float converts exactly.
struct History {
  std::vector<std::size_t> epochs;
  std::vector<double> losses;
  std::vector<double> mean_losses;
  std::vector<double> accuracies;
  std::vector<double> validation_losses;
  std::vector<double> validation_accuracies;

  static constexpr double missing = std::numeric_limits<double>::quiet_NaN();

  template <std::floating_point T>
  void record(std::size_t epoch, T loss)
  {
    epochs.push_back(epoch);
    losses.push_back(static_cast<double>(loss));
    mean_losses.push_back(missing);
    accuracies.push_back(missing);
    validation_losses.push_back(missing);
    validation_accuracies.push_back(missing);
  }

  template <class Net>
  void record(const EpochReport<Net>& report)
  {
    epochs.push_back(report.epoch);
    losses.push_back(static_cast<double>(report.loss));
    mean_losses.push_back(static_cast<double>(report.mean_loss()));
    accuracies.push_back(report.has_accuracy ? static_cast<double>(report.accuracy()) : missing);
    validation_losses.push_back(report.has_validation ? static_cast<double>(report.validation.mean_loss()) : missing);
    validation_accuracies.push_back(
        report.has_validation && report.has_accuracy ? static_cast<double>(report.validation.accuracy()) : missing);
  }

  template <std::floating_point T>
  void operator()(std::size_t epoch, T loss)
  {
    record(epoch, loss);
  }

  template <class Net>
  void operator()(const EpochReport<Net>& report)
  {
    record(report);
  }

  /// A small copyable callback that records into this History (which must outlive it).
  [[deprecated("pass the History itself (an lvalue) to fit() or callbacks(...)")]] auto recorder() noexcept
  {
    return [this](const auto&... figures) { record(figures...); };
  }

  std::size_t size() const noexcept { return losses.size(); }
  bool empty() const noexcept { return losses.empty(); }
  void clear() noexcept
  {
    for (auto* figures : {&losses, &mean_losses, &accuracies, &validation_losses, &validation_accuracies})
      figures->clear();
    epochs.clear();
  }
};

/// fit() that also returns every epoch's figures. extra runs after the History has recorded the
/// epoch (e.g. a Reporter, an EarlyStopping, or callbacks(a, b) for more). data may be
/// with_validation(train, validation).
template <class... Layers, class Data, class Loss, class Optimizer, class Callback = NoCallback>
[[deprecated("pass a History to fit(): fit(net, data, loss, optimizer, options, callbacks(history, ...))")]] History
fit_with_history(Network<Layers...>& net, const Data& data, const Loss& loss, const Optimizer& optimizer,
                 FitOptions options, Callback&& extra = {})
{
  History history;
  fit(net, data, loss, optimizer, options, callbacks(history, extra));
  return history;
}

// ---------------------------------------------------------------------------------------------
// Reporter

/// Prints a confusion matrix as a table, rows the true classes and columns the predicted ones,
/// labelled by class_names (class numbers when it is empty).
template <std::size_t Classes>
void print_confusion_matrix(const ConfusionMatrix<Classes>& matrix, const std::vector<std::string>& class_names = {},
                            std::ostream& out = std::cout)
{
  if (!class_names.empty() && class_names.size() != Classes)
    detail::raise(argument_error("ctnn: print_confusion_matrix needs one name per class (" + std::to_string(Classes) +
                                 "), got " + std::to_string(class_names.size())));
  std::vector<std::string> names(class_names);
  if (names.empty())
    for (std::size_t c = 0; c < Classes; ++c) names.push_back(std::to_string(c));
  constexpr std::string_view corner = "true \\ predicted";
  std::size_t width = corner.size();
  for (const auto& name : names) width = std::max(width, name.size());
  // Each count column is as wide as its class name, and at least 5.
  const auto column = [&](std::size_t c) { return static_cast<int>(std::max<std::size_t>(names[c].size(), 5)); };
  std::ostringstream text;
  text.imbue(std::locale::classic());
  text << std::left << std::setw(static_cast<int>(width)) << corner;
  for (std::size_t c = 0; c < Classes; ++c) text << "  " << std::right << std::setw(column(c)) << names[c];
  text << '\n';
  for (std::size_t t = 0; t < Classes; ++t) {
    text << std::left << std::setw(static_cast<int>(width)) << names[t];
    for (std::size_t p = 0; p < Classes; ++p) text << "  " << std::right << std::setw(column(p)) << matrix.counts[t][p];
    text << '\n';
  }
  out << text.str();
}

/// The same, labelled by the class names of a generated header (<name>_class_names) or any
/// std::string_views, one per class.
template <std::size_t Classes>
void print_confusion_matrix(const ConfusionMatrix<Classes>& matrix,
                            std::type_identity_t<std::span<const std::string_view, Classes>> class_names,
                            std::ostream& out = std::cout)
{
  print_confusion_matrix(matrix, std::vector<std::string>(class_names.begin(), class_names.end()), out);
}

/// True when out is std::cout, std::cerr or std::clog and that file descriptor is a terminal.
/// Any other stream (a file, an std::ostringstream) is not a terminal.
inline bool is_terminal(const std::ostream& out) noexcept
{
#if defined(_WIN32)
  if (&out == &std::cout) return _isatty(1) != 0;
  if (&out == &std::cerr || &out == &std::clog) return _isatty(2) != 0;
  return false;
#elif __has_include(<unistd.h>)
  if (&out == &std::cout) return isatty(STDOUT_FILENO) != 0;
  if (&out == &std::cerr || &out == &std::clog) return isatty(STDERR_FILENO) != 0;
  return false;
#else
  (void)out;
  return false;
#endif
}

/// When a Reporter draws its progress bar.
enum class Progress {
  automatic,  ///< only when the stream is a terminal (is_terminal): logs and CI output stay clean
  always,     ///< always (for tests, or a terminal is_terminal cannot see)
  never,      ///< never
};

/// What a Reporter prints.
struct ReportOptions {
  /// A line at epoch 1, at every `every`-th epoch and at the last epoch; 0 prints no lines.
  std::size_t every = 1000;
  /// The progress bar, redrawn in place with '\r' (see Progress).
  Progress progress = Progress::automatic;
  /// Characters between the bar's brackets.
  std::size_t bar_width = 30;
  /// The bar is redrawn when its percentage changes, and also when this much time has passed since
  /// the last draw (so a slow run still shows the current loss); 0 turns the timed redraw off.
  std::chrono::milliseconds refresh{250};
  /// From an EpochReport, print the loss summed over the epoch ("Loss = ", the tutorial's figure)
  /// instead of the mean per sample ("loss = "). Called as callback(epoch, loss), a Reporter prints
  /// the figure it is given, the sum, as "Loss = ".
  bool summed_loss = false;
};

/// Progress lines, as a fit() callback. From fit()'s EpochReport, the mean loss per sample and,
/// when fit() has them, the training accuracy and the validation figures:
///
///     epoch: 1 / 100  loss = 0.693147  accuracy = 0.5250  val_loss = 0.688412  val_accuracy = 0.5833
///
/// or, with summed_loss (or called as callback(epoch, loss)), the tutorial's lines:
///
///     epoch: 1 / 15000  Loss = 0.826220
///     epoch: 1000 / 15000  Loss = 0.504417
///
/// (losses as printf's "%f": six decimals), plus, on a terminal, a progress bar redrawn in place:
///
///     [#############                 ]  45% epoch 6750/15000 loss 0.0123
///
/// Before a line is printed the bar is erased, so lines and bar never mix. At the last epoch the
/// bar goes away when that epoch's line is printed, and stays (ended by a newline) when lines are
/// off (every = 0). If training stops before total_epochs, call finish() to end the bar's line.
/// The stream must outlive the Reporter; copies share the stream, not the drawing state.
class Reporter {
 public:
  explicit Reporter(std::size_t total_epochs, ReportOptions options = {}, std::ostream& out = std::cout)
      : out_(&out), total_(total_epochs), options_(options)
  {
    if (total_epochs == 0) detail::raise(argument_error("ctnn: a Reporter needs the number of epochs (at least 1)"));
    bar_on_ = options.progress == Progress::always || (options.progress == Progress::automatic && is_terminal(out));
  }

  template <std::floating_point T>
  void operator()(std::size_t epoch, T loss)
  {
    show(epoch, static_cast<double>(loss), [&](std::ostream& text) {
      text << "  Loss = " << std::fixed << std::setprecision(6) << static_cast<double>(loss);
    });
  }

  template <class Net>
  void operator()(const EpochReport<Net>& report)
  {
    const double shown = static_cast<double>(options_.summed_loss ? report.loss : report.mean_loss());
    show(report.epoch, shown, [&](std::ostream& text) {
      text << (options_.summed_loss ? "  Loss = " : "  loss = ") << std::fixed << std::setprecision(6) << shown;
      if (report.has_accuracy)
        text << "  accuracy = " << std::setprecision(4) << static_cast<double>(report.accuracy());
      if (report.has_validation) {
        text << "  val_loss = " << std::setprecision(6) << static_cast<double>(report.validation.mean_loss());
        if (report.has_accuracy)
          text << "  val_accuracy = " << std::setprecision(4) << static_cast<double>(report.validation.accuracy());
      }
    });
  }

 private:
  // A line for this epoch if due (figures writes what follows "epoch: E / N"), then the bar.
  template <class Figures>
  void show(std::size_t epoch, double loss, Figures figures)
  {
    const bool line = options_.every != 0 && (epoch == 1 || epoch % options_.every == 0 || epoch == total_);
    if (line) {
      erase_bar();
      std::ostringstream text;
      text.imbue(std::locale::classic());
      text << "epoch: " << epoch << " / " << total_;
      figures(text);
      text << '\n';
      *out_ << text.str();
    }
    if (!bar_on_ || finished_) return;

    if (epoch >= total_) {
      if (!line) {
        draw_bar(epoch, loss);
        *out_ << '\n';
        out_->flush();
      }
      bar_length_ = 0;
      finished_ = true;
      return;
    }
    const std::size_t percent = epoch * 100 / total_;
    bool due = line || percent != last_percent_;
    if (!due && options_.refresh.count() > 0) due = std::chrono::steady_clock::now() - last_draw_ >= options_.refresh;
    if (due) draw_bar(epoch, loss);
  }

 public:
  /// Ends the progress bar's line (a newline after the bar on screen); later epochs draw no bar.
  void finish()
  {
    if (bar_length_ != 0) {
      *out_ << '\n';
      out_->flush();
    }
    bar_length_ = 0;
    finished_ = true;
  }

  /// Whether this Reporter draws the bar (Progress, and for automatic, whether out is a terminal).
  bool draws_progress() const noexcept { return bar_on_; }

 private:
  void draw_bar(std::size_t epoch, double loss)
  {
    const std::size_t shown = std::min(epoch, total_);
    const std::size_t filled = shown * options_.bar_width / total_;
    last_percent_ = shown * 100 / total_;
    std::ostringstream text;
    text.imbue(std::locale::classic());
    text << '[' << std::string(filled, '#') << std::string(options_.bar_width - filled, ' ') << "] " << std::setw(3)
         << last_percent_ << "% epoch " << epoch << '/' << total_ << " loss " << std::setprecision(4) << loss;
    std::string bar = text.str();
    const std::size_t length = bar.size();
    if (length < bar_length_) bar.append(bar_length_ - length, ' ');  // cover a longer previous bar
    *out_ << '\r' << bar;
    out_->flush();
    bar_length_ = length;
    last_draw_ = std::chrono::steady_clock::now();
  }

  void erase_bar()
  {
    if (bar_length_ == 0) return;
    *out_ << '\r' << std::string(bar_length_, ' ') << '\r';
    bar_length_ = 0;
  }

  std::ostream* out_;
  std::size_t total_;
  ReportOptions options_;
  bool bar_on_ = false;
  bool finished_ = false;
  std::size_t bar_length_ = 0;  // characters of the bar now on screen; 0: none
  std::size_t last_percent_ = static_cast<std::size_t>(-1);
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ctnn
