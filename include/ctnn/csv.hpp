#pragma once
// Reading data sets from CSV files at runtime, and writing them back (docs/csv.md is the reference):
//
//   auto iris = ctnn::read_csv<4, 3>("iris.csv", {.header = ctnn::CsvHeader::sklearn,
//                                                 .targets = ctnn::CsvTargets::class_label});
//   auto cars = ctnn::read_csv<2, 3>("cars.csv", {.header = ctnn::CsvHeader::names,
//                                                 .targets = ctnn::CsvTargets::class_label,
//                                                 .input_columns = {"Horsepower", "Weight_in_lbs"},
//                                                 .target_columns = {"Origin"},
//                                                 .na_policy = ctnn::CsvNaPolicy::drop_row});
//   cars.class_names();                       // {"Europe", "Japan", "USA"}: the labels, sorted
//   auto same = ctnn::read_csv_text<4, 3>(text, "iris.csv", options);  // from memory
//   ctnn::write_csv(cars, "cars-copy.csv");   // reads back to the same bits
//
// RFC 4180 records (ctnn/detail/csv_records.hpp), lines ended by "\n" or "\r\n", the last one with
// or without. Numbers are read as std::from_chars reads them (exact and locale-free), with spaces and tabs
// around them ignored. Class labels are integers or names. Missing values (na_values) are an error,
// drop their row, are filled, or are kept as NaN inputs for an Impute layer (na_policy). Every
// malformed input throws ctnn::data_error naming the file, the line and the column (both from 1) and
// what was expected and found; option combinations that cannot work throw std::invalid_argument.
// The same rules make the headers of ctnn_add_dataset (cmake/CtnnAddDataset.cmake), whose
// generator calls this reader.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctnn/data.hpp"
#include "ctnn/detail/csv_labels.hpp"
#include "ctnn/detail/csv_records.hpp"
#include "ctnn/detail/parse_number.hpp"
#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/math.hpp"

namespace ctnn {

/// What the first line of a CSV file is.
enum class CsvHeader {
  none,     ///< no header: the first line is a data row
  names,    ///< a line of column names, which input_columns and target_columns may refer to
  sklearn,  ///< scikit-learn's "n_samples,n_features,class names..." line, checked against the data
};

/// What the target columns hold.
enum class CsvTargets {
  values,       ///< Out numbers, the targets as they are (regression)
  class_label,  ///< one column of class labels, integers or names, made into one-hot targets (or, for a
                ///< single output, 0 or 1)
};

/// In which order the names in a class-label column become class indices, when class_names does not
/// give them.
enum class CsvClassOrder {
  sorted,      ///< sorted by their bytes, as scikit-learn's classes_; labels that are all integers are
               ///< the class indices themselves (label n is class n)
  first_seen,  ///< in the order they first appear in the file, integers too
};

/// What read_csv does with a missing value: a field of a column it reads that is one of na_values.
enum class CsvNaPolicy {
  error,     ///< nothing is missing: every field must be a number or a class label (na_values unused)
  drop_row,  ///< the row is left out (CsvReport says which and how many)
  fill,      ///< a missing number becomes na_fill; a missing class label is still an error
  keep,      ///< a missing input becomes NaN, for a model that starts with an Impute layer (impute.hpp);
             ///< a missing target (a number or a class label) is still an error
};

/// A column chosen by its index (from 0, as in C++) or by its name in a CsvHeader::names line.
class CsvColumn {
 public:
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)  // 'a' is no index
  CsvColumn(I index) : index_(checked_index(index))             // NOLINT: implicit, so {0, 2, "age"} reads naturally
  {
  }
  CsvColumn(const char* name) : name_(name), by_name_(true) {}  // NOLINT: implicit, as above
  CsvColumn(std::string name) : name_(std::move(name)), by_name_(true) {}

  bool by_name() const noexcept { return by_name_; }
  std::size_t index() const noexcept { return index_; }
  const std::string& name() const noexcept { return name_; }

 private:
  template <class I>
  static std::size_t checked_index(I index)
  {
    if constexpr (std::is_signed_v<I>) {
      if (index < 0) detail::raise(argument_error("ctnn: a CSV column index cannot be negative"));
    }
    return static_cast<std::size_t>(index);
  }

  std::size_t index_ = 0;
  std::string name_;
  bool by_name_ = false;
};

/// How read_csv reads a file. By default: no header, the first In columns are the inputs and the
/// next Out columns the targets (or, with CsvTargets::class_label, the next one column); a field that
/// is not a number is an error.
struct CsvOptions {
  CsvHeader header = CsvHeader::none;
  /// The field separator: ',' by default, or ';', '\t', ...; never '"', '\r' or '\n'.
  char separator = ',';
  CsvTargets targets = CsvTargets::values;
  /// The In input columns, in order; empty: the first In columns. With explicit columns, columns
  /// that no option names are skipped unread.
  std::vector<CsvColumn> input_columns = {};
  /// The target columns (Out of them, or the one label column); empty: the columns after the inputs.
  std::vector<CsvColumn> target_columns = {};
  /// With class_label: the classes' names in class order, which the labels must be (class_count(Out)
  /// of them); empty: the labels themselves, in class_order (or scikit-learn's header's names).
  std::vector<std::string> class_names = {};
  /// With class_label and no class_names: the order of the classes.
  CsvClassOrder class_order = CsvClassOrder::sorted;
  /// The spellings of a missing value (compared without the spaces and tabs around a field). The
  /// default is pandas' core: the empty field, NA, NaN, ? and null. Used unless na_policy is error.
  std::vector<std::string> na_values = {"", "NA", "NaN", "?", "null"};
  CsvNaPolicy na_policy = CsvNaPolicy::error;
  /// With CsvNaPolicy::fill: the value of a missing number (finite, within the scalar type's range).
  double na_fill = 0.0;
};

/// What read_csv found besides the samples: how many rows the file has and which were left out.
/// Given to read_csv / read_csv_text as a last argument, it is filled in.
struct CsvReport {
  std::size_t rows = 0;                      ///< the data rows of the file, dropped ones included
  std::size_t dropped_rows = 0;              ///< rows left out for a missing value (CsvNaPolicy::drop_row)
  std::vector<std::size_t> dropped_lines;    ///< the line (from 1) each dropped row starts on
  std::size_t filled_values = 0;             ///< missing numbers replaced by na_fill (CsvNaPolicy::fill)
  std::vector<std::size_t> missing_inputs;   ///< per input, in order: its missing values (In entries)
  std::vector<std::size_t> missing_targets;  ///< per target column (Out, or 1 for a class label)
};

namespace detail::csv {

template <class T>
constexpr const char* scalar_name() noexcept
{
  return std::is_same_v<T, float> ? "float" : "double";
}

template <class T>
T parse_number(std::string_view field, const Place& place)
{
  const std::string_view digits = trimmed(field);
  if (digits.empty())
    detail::raise(data_error(place.source, place.line, place.column, "expected a number, found an empty field",
                             place.column_name));
  T value{};
  const auto [end, error] = detail::read_floating(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc::result_out_of_range && end == digits.data() + digits.size())
    detail::raise(
        data_error(place.source, place.line, place.column,
                   std::string("expected a number that a ") + scalar_name<T>() + " can hold, found " + shown(field),
                   place.column_name));
  if (error != std::errc{} || end != digits.data() + digits.size())
    detail::raise(data_error(place.source, place.line, place.column, "expected a number, found " + shown(field),
                             place.column_name));
  if (!math::isfinite(value))
    detail::raise(data_error(place.source, place.line, place.column, "expected a finite number, found " + shown(field),
                             place.column_name));
  return value;
}

/// A header line's last field, when it is empty and not in quotes, is a separator at the end of the
/// line, not a column; so is a data row's, when the row has one field more than the columns.
inline void drop_trailing_separator(Record& record) noexcept
{
  if (record.fields.size() > 1 && record.fields.back().empty() && !record.last_was_quoted) {
    record.fields.pop_back();
    record.lines.pop_back();
  }
}

/// scikit-learn's header line: n_samples, n_features, then the class names.
struct SklearnHeader {
  std::size_t samples = 0;
  std::size_t features = 0;
  std::vector<std::string> class_names;
};

inline SklearnHeader parse_sklearn_header(const Record& record, const std::string& source)
{
  if (record.fields.size() < 2)
    detail::raise(data_error(source, record.line(), record.fields.size() + 1,
                             "expected scikit-learn's header line (n_samples,n_features,class names...), found " +
                                 plural(record.fields.size(), "column")));
  SklearnHeader header;
  if (!parse_unsigned(record.fields[0], header.samples))
    detail::raise(data_error(source, record.lines[0], 1,
                             "expected the sample count of scikit-learn's header line (n_samples,n_features,class "
                             "names...), found " +
                                 shown(record.fields[0])));
  if (!parse_unsigned(record.fields[1], header.features))
    detail::raise(data_error(source, record.lines[1], 2,
                             "expected the feature count of scikit-learn's header line (n_samples,n_features,class "
                             "names...), found " +
                                 shown(record.fields[1])));
  header.class_names.assign(record.fields.begin() + 2, record.fields.end());
  return header;
}

/// The columns of a CSV text as read_csv counts them: their number (on the header line of names, or
/// on the first data row) and the names of a CsvHeader::names line. For ctnn_add_dataset's
/// generator, which sizes the data set from them before it reads the file.
struct Columns {
  std::size_t count = 0;
  std::vector<std::string> names;  ///< with CsvHeader::names
  SklearnHeader sklearn;           ///< with CsvHeader::sklearn
};

inline Columns first_columns(std::string_view text, const std::string& source, const CsvOptions& options)
{
  Reader reader(text, source, options.separator);
  Record record;
  const bool has_header = options.header != CsvHeader::none;
  if (!reader.next(record))
    detail::raise(
        data_error(source, 1, 1,
                   std::string("expected ") + (has_header ? "a header line" : "a data row") + ", found an empty file"));
  Columns columns;
  if (has_header) drop_trailing_separator(record);
  if (options.header == CsvHeader::names) columns.names = record.fields;
  if (options.header == CsvHeader::sklearn) {
    columns.sklearn = parse_sklearn_header(record, source);
    if (!reader.next(record))
      detail::raise(
          data_error(source, reader.line(), 1, "expected a data row after the header line, found the end of the file"));
  }
  columns.count = record.fields.size();
  return columns;
}

/// The rows of a CSV file as flat arrays, for sizes known only at runtime.
template <class T>
struct Table {
  std::size_t inputs = 0;
  std::size_t outputs = 0;
  std::vector<T> values;                  ///< per row: the inputs, then the targets (one-hot for class labels,
                                          ///< or the class for one output)
  std::vector<std::size_t> labels;        ///< per row, with CsvTargets::class_label
  std::vector<std::string> class_names;   ///< with class_label: given, read from the labels, or scikit-learn's
  std::vector<std::string> input_names;   ///< from a CsvHeader::names line
  std::vector<std::string> target_names;  ///< from a CsvHeader::names line
  CsvReport report;

  std::size_t rows() const noexcept { return values.size() / (inputs + outputs); }
};

inline void check_options(std::size_t inputs, std::size_t outputs, const CsvOptions& options, bool count_classes)
{
  const bool class_label = options.targets == CsvTargets::class_label;
  if (inputs == 0 || (outputs == 0 && !(count_classes && class_label)))
    detail::raise(argument_error("ctnn: read_csv needs at least one input and one output"));
  if (options.separator == '"' || options.separator == '\r' || options.separator == '\n')
    detail::raise(argument_error("ctnn: read_csv: the separator cannot be a quote or a line break"));
  if (!options.input_columns.empty() && options.input_columns.size() != inputs)
    detail::raise(argument_error("ctnn: read_csv: input_columns names " +
                                 plural(options.input_columns.size(), "column") + ", but the data set has " +
                                 plural(inputs, "input")));
  const std::size_t target_count = class_label ? 1 : outputs;
  if (!options.target_columns.empty() && options.target_columns.size() != target_count)
    detail::raise(argument_error(
        "ctnn: read_csv: target_columns names " + plural(options.target_columns.size(), "column") + ", but " +
        (class_label ? std::string("a class label is one column") : "the data set has " + plural(outputs, "output"))));
  for (const auto* columns : {&options.input_columns, &options.target_columns})
    for (const CsvColumn& column : *columns)
      if (column.by_name() && options.header != CsvHeader::names)
        detail::raise(argument_error("ctnn: read_csv: column '" + column.name() +
                                     "' is chosen by name, but only a CsvHeader::names file has column names"));
  const auto& names = options.class_names;
  if (!names.empty()) {
    if (!class_label)
      detail::raise(argument_error(
          "ctnn: read_csv: class_names are for a class-label column (targets = CsvTargets::class_label)"));
    if (options.header == CsvHeader::sklearn)
      detail::raise(argument_error(
          "ctnn: read_csv: class_names cannot be given for a CsvHeader::sklearn file, whose first line names the "
          "classes"));
    if (outputs != 0 && names.size() != class_count(outputs))
      detail::raise(argument_error("ctnn: read_csv: class_names names " + plural(names.size(), "class", "classes") +
                                   ", but the data set has " + plural(class_count(outputs), "class", "classes") +
                                   classes_reason(outputs)));
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string which = "ctnn: read_csv: class_names[" + std::to_string(i) + "] ";
      if (names[i].empty()) detail::raise(argument_error(which + "is empty"));
      if (trimmed(names[i]).size() != names[i].size())
        detail::raise(argument_error(which + shown(names[i]) +
                                     " has spaces or tabs around it, which a label read from a file never has"));
      for (std::size_t j = 0; j < i; ++j)
        if (names[j] == names[i])
          detail::raise(argument_error(which + shown(names[i]) + " is also class_names[" + std::to_string(j) + "]"));
    }
  }
  if (options.na_policy == CsvNaPolicy::fill && !math::isfinite(options.na_fill))
    detail::raise(argument_error("ctnn: read_csv: na_fill must be a finite number"));
}

/// The index of a column chosen by the options, checked against the file's column count.
inline std::size_t resolve(const CsvColumn& column, const char* role, const std::vector<std::string>& names,
                           std::size_t column_count, const std::string& source, std::size_t line)
{
  if (column.by_name()) {
    std::size_t found = column_count;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] != column.name()) continue;
      if (found != column_count)
        detail::raise(
            data_error(source, line, i + 1,
                       "expected one column named " + shown(column.name()) + " (" + role + "), found a second one"));
      found = i;
    }
    if (found == column_count) {
      constexpr std::size_t short_list = 12;
      detail::raise(data_error(source, line, 0,
                               "expected a column named " + shown(column.name()) + " (" + role + "), found none" +
                                   closest_of(column.name(), names) +
                                   (names.size() <= short_list ? "; the columns are " + listed(names)
                                                               : "; the file has " + plural(names.size(), "column"))));
    }
    return found;
  }
  if (column.index() >= column_count)
    detail::raise(data_error(source, line, 0,
                             "expected a column " + std::to_string(column.index()) + " (counting from 0; " + role +
                                 "), found " + plural(column_count, "column")));
  return column.index();
}

/// The spellings of a missing value, when the options use them.
class MissingValues {
 public:
  explicit MissingValues(const CsvOptions& options)
  {
    if (options.na_policy == CsvNaPolicy::error) return;
    for (const std::string& value : options.na_values) spellings_.emplace_back(trimmed(value));
  }

  bool operator()(std::string_view field) const noexcept
  {
    return std::find(spellings_.begin(), spellings_.end(), trimmed(field)) != spellings_.end();
  }

 private:
  std::vector<std::string_view> spellings_;  // views into the options, which outlive the reading
};

/// Reads a whole CSV text by the rules of read_csv, with the sizes given at runtime. With
/// count_classes and a class-label column, outputs may be 0: the labels give the number of classes.
template <class T>
Table<T> read_table(std::string_view text, const std::string& source, std::size_t inputs, std::size_t outputs,
                    const CsvOptions& options, bool count_classes = false)
{
  check_options(inputs, outputs, options, count_classes);
  const bool class_label = options.targets == CsvTargets::class_label;
  const bool fill = options.na_policy == CsvNaPolicy::fill;
  if (fill && !(options.na_fill >= -double(std::numeric_limits<T>::max()) &&
                options.na_fill <= double(std::numeric_limits<T>::max())))
    detail::raise(
        argument_error(std::string("ctnn: read_csv: na_fill is not a number a ") + scalar_name<T>() + " can hold"));
  const T fill_value = fill ? static_cast<T>(options.na_fill) : T(0);
  const bool keep = options.na_policy == CsvNaPolicy::keep;
  // A target cannot be filled in by a model: with na_policy keep a missing one is an error.
  const auto fail_to_keep_a_target = [&](const Place& where, const std::string& field, const char* expected) {
    detail::raise(data_error(source, where.line, where.column,
                             std::string("expected ") + expected + " (a target), found " + shown(field) +
                                 ", a missing value, which na_policy keep keeps only in inputs",
                             where.column_name));
  };
  const MissingValues missing(options);
  Table<T> table;
  table.inputs = inputs;
  table.outputs = outputs;

  Reader reader(text, source, options.separator);
  Record record;
  const bool has_header = options.header != CsvHeader::none;
  if (!reader.next(record))
    detail::raise(
        data_error(source, 1, 1,
                   std::string("expected ") + (has_header ? "a header line" : "a data row") + ", found an empty file"));

  std::vector<std::string> names;
  SklearnHeader sklearn;
  std::size_t header_line = 0;
  if (has_header) {
    header_line = record.line();
    drop_trailing_separator(record);
    if (options.header == CsvHeader::names) {
      names = record.fields;
    } else {
      sklearn = parse_sklearn_header(record, source);
      if (options.input_columns.empty() && sklearn.features != inputs)
        detail::raise(data_error(source, header_line, 2,
                                 "expected the feature count " + std::to_string(inputs) +
                                     " (the data set's inputs), found " + shown(record.fields[1])));
      const std::size_t classes = outputs == 0 ? sklearn.class_names.size() : class_count(outputs);
      if (class_label && sklearn.class_names.size() != classes)
        detail::raise(data_error(source, header_line, 3 + std::min(sklearn.class_names.size(), classes),
                                 "expected " + plural(classes, "class name") + classes_reason(outputs) + ", found " +
                                     std::to_string(sklearn.class_names.size())));
      // The names name the data set's classes: without the spaces around them, as labels, and each its own.
      for (std::size_t c = 0; class_label && c < sklearn.class_names.size(); ++c) {
        std::string& name = sklearn.class_names[c];
        name = std::string(trimmed(name));
        if (name.empty())
          detail::raise(data_error(source, record.lines[c + 2], c + 3, "expected a class name, found an empty field"));
        for (std::size_t other = 0; other < c; ++other)
          if (sklearn.class_names[other] == name)
            detail::raise(data_error(source, record.lines[c + 2], c + 3,
                                     "expected a class name of its own, found " + shown(name) + " again"));
      }
    }
  }

  // The column count every row must have, and the line that sets it.
  const bool default_columns = options.input_columns.empty() && options.target_columns.empty();
  const bool header_sets_columns = options.header == CsvHeader::names;
  if (options.header == CsvHeader::sklearn && !reader.next(record))
    detail::raise(
        data_error(source, reader.line(), 1, "expected a data row after the header line, found the end of the file"));
  const std::size_t columns = default_columns ? inputs + (class_label ? 1 : outputs) : record.fields.size();
  const std::string column_rule =
      default_columns ? " (" + plural(inputs, "input") + " and " +
                            (class_label ? std::string("a class label") : plural(outputs, "target")) + ")"
      : header_sets_columns ? " (as the header line has)"
                            : " (as line " + std::to_string(record.line()) + " has)";

  auto check_column_count = [&](Record& row) {
    if (row.fields.size() == columns + 1) drop_trailing_separator(row);
    if (row.fields.size() == columns) return;
    if (row.blank)
      detail::raise(data_error(source, row.line(), 1,
                               "expected " + plural(columns, "column") + column_rule + ", found an empty line"));
    const std::size_t column = std::min(row.fields.size(), columns) + 1;
    detail::raise(data_error(
        source, row.lines[std::min(column, row.lines.size()) - 1], column,
        "expected " + plural(columns, "column") + column_rule + ", found " + std::to_string(row.fields.size())));
  };
  check_column_count(record);

  // Which column feeds which input and target.
  std::vector<std::size_t> input_index(inputs), target_index(class_label ? 1 : outputs);
  for (std::size_t i = 0; i < input_index.size(); ++i)
    input_index[i] = options.input_columns.empty()
                         ? i
                         : resolve(options.input_columns[i], "an input", names, columns, source, record.line());
  for (std::size_t i = 0; i < target_index.size(); ++i)
    target_index[i] = options.target_columns.empty()
                          ? (options.input_columns.empty() ? inputs + i : columns)
                          : resolve(options.target_columns[i], "a target", names, columns, source, record.line());
  if (options.target_columns.empty() && !options.input_columns.empty()) {
    // Explicit inputs, default targets: the columns no input uses, in order.
    std::size_t next = 0;
    for (std::size_t i = 0; i < target_index.size(); ++i) {
      while (next < columns && std::find(input_index.begin(), input_index.end(), next) != input_index.end()) ++next;
      if (next == columns)
        detail::raise(data_error(source, record.line(), 0,
                                 "expected " + plural(target_index.size(), "target column") +
                                     " besides the input columns, found " + plural(columns - inputs, "column")));
      target_index[i] = next++;
    }
  }
  if (header_sets_columns) {
    for (std::size_t i : input_index) table.input_names.push_back(names[i]);
    for (std::size_t i : target_index) table.target_names.push_back(names[i]);
    if (!reader.next(record))
      detail::raise(
          data_error(source, reader.line(), 1, "expected a data row after the header line, found the end of the file"));
  }

  CsvReport& report = table.report;
  report.missing_inputs.assign(inputs, 0);
  report.missing_targets.assign(target_index.size(), 0);
  using Rule = ClassLabels::Rule;
  const Rule rule = !options.class_names.empty()                   ? Rule::given
                    : options.header == CsvHeader::sklearn         ? Rule::integers
                    : options.class_order == CsvClassOrder::sorted ? Rule::sorted
                                                                   : Rule::first_seen;
  ClassLabels labels(rule, rule == Rule::given ? options.class_names : sklearn.class_names, outputs, source);
  std::vector<T> kept;  // per row kept: the inputs, then the numeric targets
  std::vector<T> row;   // the row being read
  std::size_t first_row_line = 0;
  auto name_of = [&](std::size_t column) { return names.empty() ? std::string() : shown(names[column]); };
  do {
    check_column_count(record);
    if (first_row_line == 0) first_row_line = record.line();
    ++report.rows;
    auto place = [&](std::size_t column) { return Place{source, record.lines[column], column + 1, name_of(column)}; };
    bool drop = false;
    row.clear();
    auto read_number = [&](std::size_t column, std::size_t& missing_count, bool input) {
      if (!missing(record.fields[column])) {
        row.push_back(parse_number<T>(record.fields[column], place(column)));
        return;
      }
      ++missing_count;
      if (keep && input) {
        row.push_back(std::numeric_limits<T>::quiet_NaN());
        return;
      }
      if (keep) fail_to_keep_a_target(place(column), record.fields[column], "a number");
      drop = drop || !fill;
      report.filled_values += fill ? 1 : 0;
      row.push_back(fill_value);
    };
    for (std::size_t i = 0; i < inputs; ++i) read_number(input_index[i], report.missing_inputs[i], true);
    if (class_label) {
      const std::size_t column = target_index[0];
      const std::string& field = record.fields[column];
      if (missing(field) && !labels.names_a_given_class(field)) {
        ++report.missing_targets[0];
        if (keep) fail_to_keep_a_target(place(column), field, "a class label");
        if (fill) {
          const Place where = place(column);
          detail::raise(data_error(source, where.line, where.column,
                                   "expected a class label, found " + shown(field) +
                                       ", a missing value, which na_policy fill cannot fill (it fills numbers)",
                                   where.column_name));
        }
        drop = true;
      } else if (!drop) {
        labels.add(field, place(column));
      }
    } else {
      for (std::size_t k = 0; k < target_index.size(); ++k)
        read_number(target_index[k], report.missing_targets[k], false);
    }
    if (drop) {
      ++report.dropped_rows;
      report.dropped_lines.push_back(record.line());
      continue;
    }
    kept.insert(kept.end(), row.begin(), row.end());
  } while (reader.next(record));

  if (options.header == CsvHeader::sklearn && sklearn.samples != report.rows)
    detail::raise(data_error(source, header_line, 1,
                             "expected the sample count " + std::to_string(report.rows) +
                                 " (the data rows that follow), found " + std::to_string(sklearn.samples)));
  if (report.dropped_rows == report.rows)
    detail::raise(data_error(source, first_row_line, 0,
                             "expected a data row without a missing value (na_policy drop_row), found none in " +
                                 plural(report.rows, "row")));

  if (!class_label) {
    table.values = std::move(kept);
    return table;
  }
  labels.finish();
  if (outputs == 0) table.outputs = labels.classes();
  table.class_names = labels.names();
  table.labels = labels.indices();
  const std::size_t kept_rows = table.labels.size();
  table.values.reserve(kept_rows * (inputs + table.outputs));
  for (std::size_t r = 0; r < kept_rows; ++r) {
    table.values.insert(table.values.end(), kept.begin() + static_cast<std::ptrdiff_t>(r * inputs),
                        kept.begin() + static_cast<std::ptrdiff_t>((r + 1) * inputs));
    const std::size_t label = table.labels[r];
    if (table.outputs == 1)
      table.values.push_back(label == 1 ? T(1) : T(0));
    else
      for (std::size_t k = 0; k < table.outputs; ++k) table.values.push_back(k == label ? T(1) : T(0));
  }
  return table;
}

/// The whole file as text; data_error when it cannot be read.
inline std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    detail::raise(data_error(path.string(), 0, 0, "cannot open the file: " + std::generic_category().message(errno)));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) detail::raise(data_error(path.string(), 0, 0, "cannot read the file"));
  return text;
}

}  // namespace detail::csv

/// Reads a CSV text (named `source` in error messages) into a data set of In inputs and Out targets,
/// and says in report how many rows it read and left out.
template <std::size_t In, std::size_t Out, class T = double>
RuntimeDataset<In, Out, T> read_csv_text(std::string_view text, std::string_view source, const CsvOptions& options,
                                         CsvReport& report)
{
  auto table = detail::csv::read_table<T>(text, std::string(source), In, Out, options);
  RuntimeDataset<In, Out, T> data;
  data.reserve(table.rows());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    Sample<T, In, Out> sample{};
    const T* values = table.values.data() + row * (In + Out);
    for (std::size_t i = 0; i < In; ++i) sample.input.values[i] = values[i];
    for (std::size_t k = 0; k < Out; ++k) sample.target.values[k] = values[In + k];
    data.push_back(sample);
  }
  data.set_class_names(std::move(table.class_names));
  report = std::move(table.report);
  return data;
}

/// Reads a CSV text (named `source` in error messages) into a data set of In inputs and Out targets.
template <std::size_t In, std::size_t Out, class T = double>
RuntimeDataset<In, Out, T> read_csv_text(std::string_view text, std::string_view source, const CsvOptions& options = {})
{
  CsvReport report;
  return read_csv_text<In, Out, T>(text, source, options, report);
}

/// Reads a CSV file into a data set of In inputs and Out targets (see CsvOptions and docs/csv.md),
/// and says in report how many rows it read and left out.
template <std::size_t In, std::size_t Out, class T = double>
RuntimeDataset<In, Out, T> read_csv(const std::filesystem::path& path, const CsvOptions& options, CsvReport& report)
{
  return read_csv_text<In, Out, T>(detail::csv::read_file(path), path.string(), options, report);
}

/// Reads a CSV file into a data set of In inputs and Out targets (see CsvOptions and docs/csv.md).
template <std::size_t In, std::size_t Out, class T = double>
RuntimeDataset<In, Out, T> read_csv(const std::filesystem::path& path, const CsvOptions& options = {})
{
  CsvReport report;
  return read_csv<In, Out, T>(path, options, report);
}

// ---------------------------------------------------------------------------------------------
// Writing

/// How write_csv writes a data set.
struct CsvWriteOptions {
  /// A first line of column names (input_names, then target_names).
  bool header = true;
  /// The field separator, as CsvOptions::separator.
  char separator = ',';
  /// values: Out numbers per row. class_label: one column, the class's name when the data set has
  /// class names, else its index (each target must be one-hot, or 0 or 1 for one output). Default:
  /// class_label when the data set has class names, values otherwise.
  std::optional<CsvTargets> targets = std::nullopt;
  /// The input columns' names; default x0, x1, ...
  std::vector<std::string> input_names = {};
  /// The target columns' names; default y0, y1, ..., or "class" for a class-label column.
  std::vector<std::string> target_names = {};
};

namespace detail::csv {

/// A field as RFC 4180 writes it: in quotes (with "" for a quote) when it holds the separator, a
/// quote or a line break, or is empty (so that an empty last field is not a trailing separator).
inline void append_field(std::string& out, std::string_view field, char separator)
{
  if (!field.empty() && field.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <class T>
void append_number(std::string& out, T value)
{
  if (value != value) {  // a missing input kept by CsvNaPolicy::keep: a spelling read_csv's na_values has
    out += "NaN";
    return;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest: reads back to the same bits
  out.append(buffer, result.ptr);
}

inline std::vector<std::string> column_names(const std::vector<std::string>& given, std::size_t count,
                                             const char* prefix, const char* what)
{
  if (given.empty()) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) names.push_back(prefix + std::to_string(i));
    return names;
  }
  if (given.size() != count)
    detail::raise(argument_error(std::string("ctnn: write_csv: ") + what + " names " + plural(given.size(), "column") +
                                 ", but the data set writes " + plural(count, "column") + " there"));
  return given;
}

}  // namespace detail::csv

/// A data set as CSV text: a header line of names (unless options.header is false), then one row per
/// sample, every number in the shortest form that reads back to the same bits. read_csv_text of it
/// with `.header = CsvHeader::names` (and for class labels `.targets = CsvTargets::class_label,
/// .class_names = data.class_names()`) gives the data set again, bit for bit.
template <IndexedDataset Data>
std::string write_csv_text(const Data& data, const CsvWriteOptions& options = {})
{
  using namespace detail::csv;
  constexpr std::size_t in = Data::inputs, out = Data::outputs;
  using T = typename Data::scalar_type;
  if (options.separator == '"' || options.separator == '\r' || options.separator == '\n')
    detail::raise(argument_error("ctnn: write_csv: the separator cannot be a quote or a line break"));
  const std::vector<std::string> class_names = class_names_of(data);
  const bool class_label =
      options.targets.value_or(class_names.empty() ? CsvTargets::values : CsvTargets::class_label) ==
      CsvTargets::class_label;
  for (const std::string& name : class_names)
    if (class_label && trimmed(name).size() != name.size())
      detail::raise(argument_error("ctnn: write_csv: class name " + shown(name) +
                                   " has spaces or tabs around it, which read_csv would remove"));
  const auto input_names = column_names(options.input_names, in, "x", "input_names");
  const auto target_names = class_label && options.target_names.empty()
                                ? std::vector<std::string>{"class"}
                                : column_names(options.target_names, class_label ? 1 : out, "y", "target_names");
  std::string text;
  const char separator = options.separator;
  if (options.header) {
    for (std::size_t i = 0; i < in; ++i) {
      append_field(text, input_names[i], separator);
      text += separator;
    }
    for (std::size_t k = 0; k < target_names.size(); ++k) {
      append_field(text, target_names[k], separator);
      text += k + 1 < target_names.size() ? separator : '\n';
    }
  }
  for (std::size_t s = 0; s < data.size(); ++s) {
    const auto& sample = data[s];
    for (std::size_t i = 0; i < in; ++i) {
      append_number(text, sample.input.values[i]);
      text += separator;
    }
    if (!class_label) {
      for (std::size_t k = 0; k < out; ++k) {
        append_number(text, sample.target.values[k]);
        text += k + 1 < out ? separator : '\n';
      }
      continue;
    }
    const std::size_t label = predicted_class(sample.target);
    bool one_hot = true;
    for (std::size_t k = 0; k < out; ++k)
      one_hot = one_hot && sample.target.values[k] == (out == 1 ? T(label) : T(k == label ? 1 : 0));
    if (!one_hot)
      detail::raise(argument_error("ctnn: write_csv: the target of sample " + std::to_string(s) +
                                   " is not a class (one-hot, or 0 or 1 for one output), so it cannot be written as a "
                                   "class label"));
    if (class_names.empty())
      text += std::to_string(label);
    else
      append_field(text, class_names[label], separator);
    text += '\n';
  }
  return text;
}

/// Writes write_csv_text(data, options) to path; data_error when the file cannot be written.
template <IndexedDataset Data>
void write_csv(const Data& data, const std::filesystem::path& path, const CsvWriteOptions& options = {})
{
  const std::string text = write_csv_text(data, options);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    detail::raise(data_error(path.string(), 0, 0, "cannot write the file: " + std::generic_category().message(errno)));
  file << text;
  file.close();
  if (!file) detail::raise(data_error(path.string(), 0, 0, "cannot write the file"));
}

}  // namespace ctnn
