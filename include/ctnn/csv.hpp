#pragma once
// Reading data sets from CSV files at runtime (docs/csv.md is the reference):
//
//   auto data = ctnn::read_csv<4, 3>("iris.csv", {.header = ctnn::CsvHeader::sklearn,
//                                                 .targets = ctnn::CsvTargets::class_label});
//   auto same = ctnn::read_csv_text<4, 3>(text, "iris.csv", options);  // from memory
//
// RFC 4180 records (quoted fields with "" for a quote, separators and line breaks inside quotes),
// lines ended by "\n" or "\r\n", the last one with or without. Numbers are read by std::from_chars
// (exact and locale-free), with spaces and tabs around them ignored. Every malformed input throws
// ctnn::data_error naming the file, the line and the column (both from 1) and what was expected and
// found; option combinations that cannot work throw std::invalid_argument. The same rules make the
// headers of ctnn_add_dataset (cmake/CtnnAddDataset.cmake), whose generator calls this reader.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctnn/data.hpp"
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
  class_label,  ///< one column of integer class labels 0 .. Out-1, turned into one-hot targets
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
      if (index < 0) throw std::invalid_argument("ctnn: a CSV column index cannot be negative");
    }
    return static_cast<std::size_t>(index);
  }

  std::size_t index_ = 0;
  std::string name_;
  bool by_name_ = false;
};

/// How read_csv reads a file. By default: no header, the first In columns are the inputs and the
/// next Out columns the targets (or, with CsvTargets::class_label, the next one column).
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
};

namespace detail::csv {

/// One record: its fields, unquoted, and the 1-based line each field starts on.
struct Record {
  std::vector<std::string> fields;
  std::vector<std::size_t> lines;
  bool blank = false;  ///< an empty line (one empty field)

  std::size_t line() const noexcept { return lines.empty() ? 0 : lines.front(); }
};

/// A field as error messages show it: quoted, non-printable bytes escaped, long fields shortened.
inline std::string shown(std::string_view field)
{
  constexpr std::size_t longest = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < field.size() && i < longest; ++i) {
    const unsigned char c = static_cast<unsigned char>(field[i]);
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\\' || c == '\'') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      constexpr char digits[] = "0123456789abcdef";
      out += "\\x";
      out += digits[c >> 4];
      out += digits[c & 15];
    } else
      out += static_cast<char>(c);
  }
  if (field.size() > longest) out += "...";
  return out + "'";
}

/// Splits a text into RFC 4180 records, one per call of next().
class Reader {
 public:
  Reader(std::string_view text, const std::string& source, char separator)
      : text_(text), source_(source), separator_(separator)
  {
  }

  /// Reads the next record; false at the end of the text. Line breaks that only end the text are no
  /// records; an empty line elsewhere is a blank record.
  bool next(Record& record)
  {
    record.fields.clear();
    record.lines.clear();
    record.blank = false;
    if (at_end()) return false;
    if (text_[position_] == '\n' || text_[position_] == '\r') {
      if (only_line_breaks_remain()) {
        position_ = text_.size();
        return false;
      }
      if (end_of_line()) {
        record.fields.emplace_back();
        record.lines.push_back(line_ - 1);
        record.blank = true;
        return true;
      }
    }
    for (;;) {
      record.lines.push_back(line_);
      record.fields.emplace_back();
      std::string& field = record.fields.back();
      const std::size_t column = record.fields.size();
      if (!at_end() && text_[position_] == '"')
        read_quoted(field, column);
      else
        read_plain(field);
      if (at_end() || end_of_line()) return true;
      if (text_[position_] == separator_) {
        ++position_;
        continue;
      }
      // Only a quoted field can stop elsewhere: at the character after its closing quote.
      throw data_error(source_, line_, column,
                       "expected a separator or the end of the line after a closing quote, found " +
                           shown(text_.substr(position_, 1)));
    }
  }

  /// The line the next record would start on.
  std::size_t line() const noexcept { return line_; }

 private:
  bool at_end() const noexcept { return position_ >= text_.size(); }

  /// Consumes "\n" or "\r\n" if it comes next.
  bool end_of_line() noexcept
  {
    if (text_[position_] == '\n') {
      ++position_;
      ++line_;
      return true;
    }
    if (text_[position_] == '\r' && position_ + 1 < text_.size() && text_[position_ + 1] == '\n') {
      position_ += 2;
      ++line_;
      return true;
    }
    return false;
  }

  bool only_line_breaks_remain() const noexcept
  {
    for (std::size_t i = position_; i < text_.size(); ++i)
      if (text_[i] != '\n' && text_[i] != '\r') return false;
    return true;
  }

  void read_plain(std::string& field)
  {
    const std::size_t start = position_;
    while (!at_end()) {
      const char c = text_[position_];
      if (c == separator_ || c == '\n' || (c == '\r' && position_ + 1 < text_.size() && text_[position_ + 1] == '\n'))
        break;
      ++position_;
    }
    field.assign(text_.substr(start, position_ - start));
  }

  void read_quoted(std::string& field, std::size_t column)
  {
    const std::size_t first_line = line_;
    ++position_;  // the opening quote
    for (;;) {
      if (at_end())
        throw data_error(source_, first_line, column,
                         "expected a closing quote for the quoted field that starts here, found the end of the file");
      const char c = text_[position_++];
      if (c == '"') {
        if (at_end() || text_[position_] != '"') return;
        ++position_;  // "" is one quote
      } else if (c == '\n')
        ++line_;
      field += c;
    }
  }

  std::string_view text_;
  const std::string& source_;
  char separator_;
  std::size_t position_ = 0;
  std::size_t line_ = 1;
};

inline std::string_view trimmed(std::string_view field) noexcept
{
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) field.remove_prefix(1);
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  return field;
}

template <class T>
constexpr const char* scalar_name() noexcept
{
  return std::is_same_v<T, float> ? "float" : "double";
}

/// Where a field is, for error messages.
struct Place {
  const std::string& source;
  std::size_t line;
  std::size_t column;  // 1-based
  std::string column_name;
};

template <class T>
T parse_number(std::string_view field, const Place& place)
{
  const std::string_view digits = trimmed(field);
  if (digits.empty())
    throw data_error(place.source, place.line, place.column, "expected a number, found an empty field",
                     place.column_name);
  T value{};
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc::result_out_of_range && end == digits.data() + digits.size())
    throw data_error(place.source, place.line, place.column,
                     std::string("expected a number that a ") + scalar_name<T>() + " can hold, found " + shown(field),
                     place.column_name);
  if (error != std::errc{} || end != digits.data() + digits.size())
    throw data_error(place.source, place.line, place.column, "expected a number, found " + shown(field),
                     place.column_name);
  if (!math::isfinite(value))
    throw data_error(place.source, place.line, place.column, "expected a finite number, found " + shown(field),
                     place.column_name);
  return value;
}

/// A count or a class label: decimal digits only. False when the field is not one or is too large.
inline bool parse_unsigned(std::string_view field, std::size_t& value) noexcept
{
  const std::string_view digits = trimmed(field);
  if (digits.empty()) return false;
  for (const char c : digits)
    if (c < '0' || c > '9') return false;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return error == std::errc{} && end == digits.data() + digits.size();
}

inline std::string plural(std::size_t count, const char* word)
{
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
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
    throw data_error(source, record.line(), record.fields.size() + 1,
                     "expected scikit-learn's header line (n_samples,n_features,class names...), found " +
                         plural(record.fields.size(), "column"));
  SklearnHeader header;
  if (!parse_unsigned(record.fields[0], header.samples))
    throw data_error(source, record.lines[0], 1,
                     "expected the sample count of scikit-learn's header line (n_samples,n_features,class "
                     "names...), found " +
                         shown(record.fields[0]));
  if (!parse_unsigned(record.fields[1], header.features))
    throw data_error(source, record.lines[1], 2,
                     "expected the feature count of scikit-learn's header line (n_samples,n_features,class "
                     "names...), found " +
                         shown(record.fields[1]));
  header.class_names.assign(record.fields.begin() + 2, record.fields.end());
  return header;
}

/// Reads the first record of a text (the header line, if it has one); throws data_error for an
/// empty text. For ctnn_add_dataset's generator, which sizes the data set from it.
inline Record first_record(std::string_view text, const std::string& source, char separator)
{
  Reader reader(text, source, separator);
  Record record;
  if (!reader.next(record)) throw data_error(source, 1, 1, "expected a line, found an empty file");
  return record;
}

/// The rows of a CSV file as flat arrays, for sizes known only at runtime.
template <class T>
struct Table {
  std::size_t inputs = 0;
  std::size_t outputs = 0;
  std::vector<T> values;                  ///< per row: the inputs, then the targets (one-hot for class labels)
  std::vector<std::size_t> labels;        ///< per row, with CsvTargets::class_label
  std::vector<std::string> class_names;   ///< from a CsvHeader::sklearn line
  std::vector<std::string> input_names;   ///< from a CsvHeader::names line
  std::vector<std::string> target_names;  ///< from a CsvHeader::names line

  std::size_t rows() const noexcept { return values.size() / (inputs + outputs); }
};

inline void check_options(std::size_t inputs, std::size_t outputs, const CsvOptions& options)
{
  if (inputs == 0 || outputs == 0)
    throw std::invalid_argument("ctnn: read_csv needs at least one input and one output");
  if (options.separator == '"' || options.separator == '\r' || options.separator == '\n')
    throw std::invalid_argument("ctnn: read_csv: the separator cannot be a quote or a line break");
  if (!options.input_columns.empty() && options.input_columns.size() != inputs)
    throw std::invalid_argument("ctnn: read_csv: input_columns names " +
                                plural(options.input_columns.size(), "column") + ", but the data set has " +
                                plural(inputs, "input"));
  const std::size_t target_count = options.targets == CsvTargets::class_label ? 1 : outputs;
  if (!options.target_columns.empty() && options.target_columns.size() != target_count)
    throw std::invalid_argument(
        "ctnn: read_csv: target_columns names " + plural(options.target_columns.size(), "column") + ", but " +
        (options.targets == CsvTargets::class_label ? std::string("a class label is one column")
                                                    : "the data set has " + plural(outputs, "output")));
  for (const auto* columns : {&options.input_columns, &options.target_columns})
    for (const CsvColumn& column : *columns)
      if (column.by_name() && options.header != CsvHeader::names)
        throw std::invalid_argument("ctnn: read_csv: column '" + column.name() +
                                    "' is chosen by name, but only a CsvHeader::names file has column names");
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
        throw data_error(source, line, i + 1,
                         "expected one column named " + shown(column.name()) + " (" + role + "), found a second one");
      found = i;
    }
    if (found == column_count)
      throw data_error(source, line, 0,
                       "expected a column named " + shown(column.name()) + " (" + role + "), found none");
    return found;
  }
  if (column.index() >= column_count)
    throw data_error(source, line, 0,
                     "expected a column " + std::to_string(column.index()) + " (counting from 0; " + role +
                         "), found " + plural(column_count, "column"));
  return column.index();
}

/// Reads a whole CSV text by the rules of read_csv, with the sizes given at runtime.
template <class T>
Table<T> read_table(std::string_view text, const std::string& source, std::size_t inputs, std::size_t outputs,
                    const CsvOptions& options)
{
  check_options(inputs, outputs, options);
  const bool class_label = options.targets == CsvTargets::class_label;
  Table<T> table;
  table.inputs = inputs;
  table.outputs = outputs;

  Reader reader(text, source, options.separator);
  Record record;
  const bool has_header = options.header != CsvHeader::none;
  if (!reader.next(record))
    throw data_error(
        source, 1, 1,
        std::string("expected ") + (has_header ? "a header line" : "a data row") + ", found an empty file");

  std::vector<std::string> names;
  SklearnHeader sklearn;
  std::size_t header_line = 0;
  if (has_header) {
    header_line = record.line();
    if (options.header == CsvHeader::names) {
      names = record.fields;
    } else {
      sklearn = parse_sklearn_header(record, source);
      if (options.input_columns.empty() && sklearn.features != inputs)
        throw data_error(source, header_line, 2,
                         "expected the feature count " + std::to_string(inputs) + " (the data set's inputs), found " +
                             shown(record.fields[1]));
      if (class_label && sklearn.class_names.size() != outputs)
        throw data_error(source, header_line, 3 + std::min(sklearn.class_names.size(), outputs),
                         "expected " + plural(outputs, "class name") + " (the data set's outputs), found " +
                             std::to_string(sklearn.class_names.size()));
      table.class_names = sklearn.class_names;
    }
  }

  // The column count every row must have, and the line that sets it.
  const bool default_columns = options.input_columns.empty() && options.target_columns.empty();
  const bool header_sets_columns = options.header == CsvHeader::names;
  if (options.header == CsvHeader::sklearn && !reader.next(record))
    throw data_error(source, reader.line(), 1, "expected a data row after the header line, found the end of the file");
  const std::size_t columns = default_columns ? inputs + (class_label ? 1 : outputs) : record.fields.size();
  const std::string column_rule =
      default_columns ? " (" + plural(inputs, "input") + " and " +
                            (class_label ? std::string("a class label") : plural(outputs, "target")) + ")"
      : header_sets_columns ? " (as the header line has)"
                            : " (as line " + std::to_string(record.line()) + " has)";

  auto check_column_count = [&](const Record& row) {
    if (row.fields.size() == columns) return;
    if (row.blank)
      throw data_error(source, row.line(), 1,
                       "expected " + plural(columns, "column") + column_rule + ", found an empty line");
    const std::size_t column = std::min(row.fields.size(), columns) + 1;
    throw data_error(
        source, row.lines[std::min(column, row.lines.size()) - 1], column,
        "expected " + plural(columns, "column") + column_rule + ", found " + std::to_string(row.fields.size()));
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
        throw data_error(source, record.line(), 0,
                         "expected " + plural(target_index.size(), "target column") +
                             " besides the input columns, found " + plural(columns - inputs, "column"));
      target_index[i] = next++;
    }
  }
  if (header_sets_columns) {
    for (std::size_t i : input_index) table.input_names.push_back(names[i]);
    for (std::size_t i : target_index) table.target_names.push_back(names[i]);
    if (!reader.next(record))
      throw data_error(source, reader.line(), 1,
                       "expected a data row after the header line, found the end of the file");
  }

  auto name_of = [&](std::size_t column) { return names.empty() ? std::string() : shown(names[column]); };
  do {
    check_column_count(record);
    auto place = [&](std::size_t column) { return Place{source, record.lines[column], column + 1, name_of(column)}; };
    for (std::size_t column : input_index)
      table.values.push_back(parse_number<T>(record.fields[column], place(column)));
    if (class_label) {
      const std::size_t column = target_index[0];
      std::size_t label = 0;
      if (!parse_unsigned(record.fields[column], label) || label >= outputs) {
        const Place where = place(column);
        throw data_error(source, where.line, where.column,
                         "expected a class label, an integer from 0 to " + std::to_string(outputs - 1) + ", found " +
                             shown(record.fields[column]),
                         where.column_name);
      }
      for (std::size_t k = 0; k < outputs; ++k) table.values.push_back(k == label ? T(1) : T(0));
      table.labels.push_back(label);
    } else {
      for (std::size_t column : target_index)
        table.values.push_back(parse_number<T>(record.fields[column], place(column)));
    }
  } while (reader.next(record));

  if (options.header == CsvHeader::sklearn && sklearn.samples != table.rows())
    throw data_error(source, header_line, 1,
                     "expected the sample count " + std::to_string(table.rows()) +
                         " (the data rows that follow), found " + std::to_string(sklearn.samples));
  return table;
}

/// The whole file as text; data_error when it cannot be read.
inline std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) throw data_error(path.string(), 0, 0, "cannot open the file: " + std::generic_category().message(errno));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw data_error(path.string(), 0, 0, "cannot read the file");
  return text;
}

}  // namespace detail::csv

/// Reads a CSV text (named `source` in error messages) into a data set of In inputs and Out targets.
template <std::size_t In, std::size_t Out, class T = double>
RuntimeDataset<In, Out, T> read_csv_text(std::string_view text, std::string_view source, const CsvOptions& options = {})
{
  const auto table = detail::csv::read_table<T>(text, std::string(source), In, Out, options);
  RuntimeDataset<In, Out, T> data;
  data.reserve(table.rows());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    Sample<T, In, Out> sample{};
    const T* values = table.values.data() + row * (In + Out);
    for (std::size_t i = 0; i < In; ++i) sample.input.values[i] = values[i];
    for (std::size_t k = 0; k < Out; ++k) sample.target.values[k] = values[In + k];
    data.push_back(sample);
  }
  return data;
}

/// Reads a CSV file into a data set of In inputs and Out targets (see CsvOptions and docs/csv.md).
template <std::size_t In, std::size_t Out, class T = double>
RuntimeDataset<In, Out, T> read_csv(const std::filesystem::path& path, const CsvOptions& options = {})
{
  return read_csv_text<In, Out, T>(detail::csv::read_file(path), path.string(), options);
}

}  // namespace ctnn
