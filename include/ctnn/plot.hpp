#pragma once
// Runtime-only pictures: a History as CSV and as an SVG loss curve, and a two-input model's output
// as a shaded text grid.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ctnn/detail/errors.hpp"
#include "ctnn/detail/file_io.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/network.hpp"
#include "ctnn/report.hpp"

namespace ctnn {

namespace detail::plot {

// Numbers as text without the locale: shortest round-trip form, or a fixed number of decimals.
inline std::string shortest(double value)
{
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

inline std::string fixed(double value, int decimals)
{
  char buffer[400];  // DBL_MAX in fixed notation fits
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  return result.ec == std::errc{} ? std::string(buffer, result.ptr) : shortest(value);
}

inline std::string significant(double value, int digits)
{
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, digits);
  return std::string(buffer, result.ptr);
}

inline std::string xml_escaped(std::string_view text)
{
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

// The smallest of 1, 2, 2.5, 5, 10 times a power of ten that is at least raw (raw > 0).
inline double nice_step(double raw)
{
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (factor * magnitude >= raw * (1 - 1e-9)) return factor * magnitude;
  return 10 * magnitude;
}

// The fewest decimals (up to 12) that write every multiple of step exactly enough for a label.
inline int decimals_for(double step)
{
  int decimals = 0;
  for (double scaled = std::fabs(step); decimals < 12; ++decimals, scaled *= 10)
    if (std::fabs(scaled - std::round(scaled)) <= 1e-9 * std::max(1.0, scaled)) break;
  return decimals;
}

// 10^k as a tick label: 0.001, 0.01, ..., 1000; further out 1e-5, 1e5.
inline std::string decade_label(int k)
{
  if (k >= 0 && k <= 4) return "1" + std::string(static_cast<std::size_t>(k), '0');
  if (k < 0 && k >= -4) return "0." + std::string(static_cast<std::size_t>(-k - 1), '0') + "1";
  return "1e" + std::to_string(k);
}

// Raises io_error "ctnn: cannot write '<path>': <why>".
struct write_failure {
  const std::filesystem::path& path;
  [[noreturn]] void operator()(const std::string& why) const
  {
    raise(io_error("ctnn: cannot write '" + path.string() + "': " + why));
  }
};

// Atomically, as model files are written (detail/file_io.hpp).
inline void write_file(const std::filesystem::path& path, const std::string& text)
{
  write_atomically(path, text, write_failure{path});
}

}  // namespace detail::plot

// ---------------------------------------------------------------------------------------------
// CSV

/// The history as CSV: a header line "epoch,loss", then one "epoch,loss" line per recorded epoch.
/// Losses are written in the shortest form that reads back as the same double.
inline std::string history_csv(const History& history)
{
  std::string csv = "epoch,loss\n";
  for (std::size_t i = 0; i < history.size(); ++i)
    csv += std::to_string(history.epochs[i]) + ',' + detail::plot::shortest(history.losses[i]) + '\n';
  return csv;
}

/// Writes history_csv(history) to path, atomically; raises ctnn::io_error (a std::runtime_error)
/// naming the path on failure.
inline void write_history_csv(const History& history, const std::filesystem::path& path)
{
  detail::plot::write_file(path, history_csv(history));
}

// ---------------------------------------------------------------------------------------------
// SVG loss curve

/// How loss_svg draws.
struct LossPlotOptions {
  std::string title = "Training loss";
  double width = 640;   // pixels, the whole picture
  double height = 400;  // pixels
  /// Log-scale y axis (decades). Falls back to linear when a loss is zero or negative.
  bool log_y = true;
  /// The polyline has one point per recorded epoch up to this many epochs. Beyond, the epochs are
  /// cut into max_points / 2 equal runs and each run gives its lowest and highest loss (so spikes
  /// survive), plus the first and last epoch: at most max_points + 2 points. 0: no limit.
  std::size_t max_points = 2000;
};

/// The loss curve as an SVG document: title, axes with ticks, grid and labels (x: epoch, y: loss,
/// log scale by default), and the losses as one <polyline>. Non-finite losses are left out.
/// Throws std::invalid_argument when the history has no finite loss.
inline std::string loss_svg(const History& history, const LossPlotOptions& options = {})
{
  namespace p = detail::plot;
  std::vector<std::size_t> valid;  // indices of finite losses
  for (std::size_t i = 0; i < history.size() && i < history.epochs.size(); ++i)
    if (std::isfinite(history.losses[i])) valid.push_back(i);
  if (valid.empty()) detail::raise(argument_error("ctnn: loss_svg needs a history with at least one finite loss"));

  double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
  double first_epoch = lowest, last_epoch = -lowest;
  for (std::size_t i : valid) {
    lowest = std::min(lowest, history.losses[i]);
    highest = std::max(highest, history.losses[i]);
    first_epoch = std::min(first_epoch, static_cast<double>(history.epochs[i]));
    last_epoch = std::max(last_epoch, static_cast<double>(history.epochs[i]));
  }
  const bool log_y = options.log_y && lowest > 0;

  // The plot area.
  const double width = std::max(options.width, 200.0), height = std::max(options.height, 150.0);
  const double left = 72, right = width - 24, top = 44, bottom = height - 52;

  // x: epochs, linear, ticks at a nice step.
  const double x_step = std::max(1.0, p::nice_step(std::max(1.0, last_epoch - first_epoch) / 6));
  const double x_lo = std::floor(first_epoch / x_step) * x_step;
  double x_hi = std::ceil(last_epoch / x_step) * x_step;
  if (x_hi <= x_lo) x_hi = x_lo + x_step;
  const auto x_of = [&](double epoch) { return left + (epoch - x_lo) / (x_hi - x_lo) * (right - left); };

  // y: decades for log scale, a nice step for linear.
  double y_lo, y_hi, y_step;
  if (log_y) {
    y_lo = std::floor(std::log10(lowest));
    y_hi = std::ceil(std::log10(highest));
    if (y_hi <= y_lo) y_hi = y_lo + 1;
    y_step = std::max(1.0, std::ceil((y_hi - y_lo) / 8));
  } else {
    const double span = highest > lowest ? highest - lowest : std::max(std::fabs(highest), 1.0);
    y_step = p::nice_step(span / 5);
    y_lo = std::min(0.0, std::floor(lowest / y_step) * y_step);
    y_hi = std::ceil(highest / y_step) * y_step;
    if (y_hi <= y_lo) y_hi = y_lo + y_step;
  }
  const auto y_of = [&](double loss) {
    const double v = log_y ? std::log10(loss) : loss;
    return bottom - (v - y_lo) / (y_hi - y_lo) * (bottom - top);
  };

  std::string svg;
  const auto add = [&](std::initializer_list<std::string_view> parts) {
    for (std::string_view part : parts) svg += part;
  };
  const auto px = [](double v) { return detail::plot::fixed(v, 1); };

  add({"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", px(width), "\" height=\"", px(height), "\" viewBox=\"0 0 ",
       px(width), " ", px(height), "\" font-family=\"sans-serif\" font-size=\"12\">\n"});
  add({"<title>", p::xml_escaped(options.title), "</title>\n"});
  add({"<desc>", std::to_string(valid.size()), " epochs; loss ", p::shortest(history.losses[valid.front()]),
       " at epoch ", std::to_string(history.epochs[valid.front()]), ", ", p::shortest(history.losses[valid.back()]),
       " at epoch ", std::to_string(history.epochs[valid.back()]), "</desc>\n"});
  add({"<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"});
  add({"<text x=\"", px((left + right) / 2),
       "\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">", p::xml_escaped(options.title),
       "</text>\n"});

  // Grid lines and tick marks, then labels.
  std::string grid, ticks, labels;
  const auto line = [](std::string& to, double x1, double y1, double x2, double y2) {
    to += "<line x1=\"" + detail::plot::fixed(x1, 1) + "\" y1=\"" + detail::plot::fixed(y1, 1) + "\" x2=\"" +
          detail::plot::fixed(x2, 1) + "\" y2=\"" + detail::plot::fixed(y2, 1) + "\"/>\n";
  };
  for (double t = x_lo; t <= x_hi + x_step / 2; t += x_step) {
    const double x = x_of(t);
    line(grid, x, top, x, bottom);
    line(ticks, x, bottom, x, bottom + 5);
    labels += "<text x=\"" + px(x) + "\" y=\"" + px(bottom + 19) + "\" text-anchor=\"middle\">" + p::fixed(t, 0) +
              "</text>\n";
  }
  if (log_y) {
    for (double k = y_lo; k <= y_hi + 0.5; k += 1) {
      const double y = y_of(std::pow(10.0, k));
      line(grid, left, y, right, y);
      line(ticks, left - 5, y, left, y);
      if (std::fmod(k - y_lo, y_step) == 0)
        labels += "<text x=\"" + px(left - 8) + "\" y=\"" + px(y + 4) + "\" text-anchor=\"end\">" +
                  p::decade_label(static_cast<int>(k)) + "</text>\n";
      if (k < y_hi && y_hi - y_lo <= 6)
        for (int m = 2; m <= 9; ++m) {  // minor ticks at 2..9 x 10^k
          const double ym = y_of(m * std::pow(10.0, k));
          line(ticks, left - 3, ym, left, ym);
        }
    }
  } else {
    const int decimals = p::decimals_for(y_step);
    for (double t = y_lo; t <= y_hi + y_step / 2; t += y_step) {
      const double y = y_of(t);
      line(grid, left, y, right, y);
      line(ticks, left - 5, y, left, y);
      labels += "<text x=\"" + px(left - 8) + "\" y=\"" + px(y + 4) + "\" text-anchor=\"end\">" +
                p::fixed(t, decimals) + "</text>\n";
    }
  }
  add({"<g stroke=\"#e4e4e4\" stroke-width=\"1\">\n", grid, "</g>\n"});
  add({"<g stroke=\"black\" stroke-width=\"1\">\n", ticks});
  line(svg, left, top, left, bottom);
  line(svg, left, bottom, right, bottom);
  add({"</g>\n<g fill=\"black\">\n", labels, "</g>\n"});
  add({"<text x=\"", px((left + right) / 2), "\" y=\"", px(height - 12), "\" text-anchor=\"middle\">epoch</text>\n"});
  add({"<text x=\"16\" y=\"", px((top + bottom) / 2), "\" text-anchor=\"middle\" transform=\"rotate(-90 16 ",
       px((top + bottom) / 2), ")\">", log_y ? "loss (log scale)" : "loss", "</text>\n"});

  // The curve, decimated as documented on LossPlotOptions::max_points.
  std::vector<std::size_t> points;
  if (options.max_points == 0 || valid.size() <= options.max_points) {
    points = valid;
  } else {
    const std::size_t runs = std::max<std::size_t>(1, options.max_points / 2);
    points.push_back(valid.front());
    for (std::size_t r = 0; r < runs; ++r) {
      const std::size_t begin = r * valid.size() / runs, end = (r + 1) * valid.size() / runs;
      if (begin == end) continue;
      std::size_t low = valid[begin], high = valid[begin];
      for (std::size_t j = begin; j < end; ++j) {
        if (history.losses[valid[j]] < history.losses[low]) low = valid[j];
        if (history.losses[valid[j]] > history.losses[high]) high = valid[j];
      }
      points.push_back(std::min(low, high));
      points.push_back(std::max(low, high));
    }
    points.push_back(valid.back());
    points.erase(std::unique(points.begin(), points.end()), points.end());
  }
  svg += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" stroke-linejoin=\"round\" points=\"";
  for (std::size_t n = 0; n < points.size(); ++n) {
    if (n != 0) svg += ' ';
    const std::size_t i = points[n];
    svg += p::fixed(x_of(static_cast<double>(history.epochs[i])), 2) + ',' + p::fixed(y_of(history.losses[i]), 2);
  }
  svg += "\"/>\n";

  // The last loss, top right.
  add({"<text x=\"", px(right - 4), "\" y=\"", px(top + 16),
       "\" text-anchor=\"end\" fill=\"#1f77b4\">last: ", p::significant(history.losses[valid.back()], 4), " (epoch ",
       std::to_string(history.epochs[valid.back()]), ")</text>\n"});
  svg += "</svg>\n";
  return svg;
}

/// Writes loss_svg(history, options) to path, atomically; raises ctnn::io_error (a
/// std::runtime_error) naming the path on failure.
inline void write_loss_svg(const History& history, const std::filesystem::path& path,
                           const LossPlotOptions& options = {})
{
  detail::plot::write_file(path, loss_svg(history, options));
}

// ---------------------------------------------------------------------------------------------
// Text surface of a 2-input, 1-output model

/// What print_surface draws.
struct SurfaceOptions {
  std::size_t columns = 21;  // samples of x0, left to right
  std::size_t rows = 11;     // samples of x1, top (x1_max) to bottom (x1_min)
  double x0_min = 0, x0_max = 1;
  double x1_min = 0, x1_max = 1;
  /// Outputs from low to high map evenly onto the shades; outside, they clamp. NaN shows as '?'.
  double low = 0, high = 1;
  std::string_view shades = " .:-=+*#%@";
};

/// Prints the output of a network with two inputs and one output over a grid of inputs, one shade
/// character per cell, with x1 labels on the left, x0 labels below and a legend line.
template <class... Layers>
void print_surface(const Network<Layers...>& net, std::ostream& out = std::cout, const SurfaceOptions& options = {})
{
  using Net = Network<Layers...>;
  using T = typename Net::scalar_type;
  static_assert(Net::inputs == 2 && Net::outputs == 1,
                "ctnn: print_surface needs a network with 2 inputs and 1 output");
  if (options.columns == 0 || options.rows == 0 || options.shades.empty())
    detail::raise(argument_error("ctnn: print_surface needs at least one column, one row and one shade"));
  namespace p = detail::plot;

  const auto at = [](double lo, double hi, std::size_t i, std::size_t n) {
    return n == 1 ? (lo + hi) / 2 : lo + (hi - lo) * static_cast<double>(i) / static_cast<double>(n - 1);
  };
  const auto decimals = [&](double lo, double hi, std::size_t n) {
    return n <= 1 || hi == lo ? 1 : std::max(1, p::decimals_for(std::fabs(hi - lo) / static_cast<double>(n - 1)));
  };
  const int row_decimals = decimals(options.x1_min, options.x1_max, options.rows);
  // Only the first, middle and last columns are labelled: as few decimals as they need.
  const int column_decimals =
      std::max({1, p::decimals_for(options.x0_min), p::decimals_for(options.x0_max),
                p::decimals_for(at(options.x0_min, options.x0_max, (options.columns - 1) / 2, options.columns))});

  std::vector<std::string> row_labels;
  std::size_t label_width = 2;
  for (std::size_t r = 0; r < options.rows; ++r) {
    row_labels.push_back(p::fixed(at(options.x1_max, options.x1_min, r, options.rows), row_decimals));
    label_width = std::max(label_width, row_labels.back().size());
  }
  const std::string margin(label_width + 1, ' ');
  const std::size_t levels = options.shades.size();

  std::string text = std::string(label_width - 2, ' ') + "x1\n";
  for (std::size_t r = 0; r < options.rows; ++r) {
    text += std::string(label_width - row_labels[r].size(), ' ') + row_labels[r] + " |";
    const double x1 = at(options.x1_max, options.x1_min, r, options.rows);
    for (std::size_t c = 0; c < options.columns; ++c) {
      const double x0 = at(options.x0_min, options.x0_max, c, options.columns);
      const double v = static_cast<double>(net.predict({{static_cast<T>(x0), static_cast<T>(x1)}})[0]);
      if (std::isnan(v)) {
        text += '?';
        continue;
      }
      const double scaled = options.high == options.low ? (v >= options.high ? 1.0 : 0.0)
                                                        : (v - options.low) / (options.high - options.low);
      const double level = std::floor(std::clamp(scaled, 0.0, 1.0) * static_cast<double>(levels));
      text += options.shades[std::min(levels - 1, static_cast<std::size_t>(level))];
    }
    text += "|\n";
  }
  text += margin + '+' + std::string(options.columns, '-') + "+\n";

  // x0 labels: the first starts under the first column, the last ends under the last column, the
  // middle one is centred, each when it fits.
  const std::size_t cells = label_width + 2;  // where the first column is
  std::string axis(cells + options.columns, ' ');
  const auto put = [&](std::size_t start, const std::string& label) {
    if (start + label.size() > axis.size()) axis.resize(start + label.size(), ' ');
    axis.replace(start, label.size(), label);
  };
  const std::string first = p::fixed(options.x0_min, column_decimals);
  const std::string last = p::fixed(options.x0_max, column_decimals);
  put(cells, first);
  const std::size_t first_end = cells + first.size();
  const std::size_t last_start = std::max(cells + options.columns, last.size()) - last.size();
  const bool last_fits = options.columns > 1 && last_start > first_end;
  if (last_fits) put(last_start, last);
  if (options.columns >= 3) {
    const std::size_t centre_column = (options.columns - 1) / 2;
    const std::string middle =
        p::fixed(at(options.x0_min, options.x0_max, centre_column, options.columns), column_decimals);
    const std::size_t middle_start = cells + centre_column - std::min(cells + centre_column, middle.size() / 2);
    if (middle_start > first_end && (!last_fits || middle_start + middle.size() < last_start))
      put(middle_start, middle);
  }
  text += axis + "  x0\n";
  text += "shades: '" + std::string(options.shades) + "' for output " + p::shortest(options.low) + " .. " +
          p::shortest(options.high) + '\n';
  out << text;
}

}  // namespace ctnn
