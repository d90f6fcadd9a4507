// ctnn_dataset_generator: writes a header that holds a CSV file's data as a constexpr ctnn::Dataset.
// ctnn_add_dataset (cmake/CtnnAddDataset.cmake) builds it once per project and runs it at build time;
// it reads the file with ctnn's own CSV reader, so its rules and error messages are read_csv's.
//
//   ctnn_dataset_generator --csv <file> --name <name> --output <header>
//       [--header none|names|sklearn] [--type float|double|both] [--label <what the header says it was made from>]
//       [--inputs <n>] [--input-column <c>]...
//       [--classes <k>] [--class-column <c>] [--class-name <name>]... [--class-order sorted|first_seen]
//       [--targets <m>] [--target-column <c>]...
//       [--na <spelling>]... [--na-empty] [--na-none] [--na-policy error|drop_row|fill|keep] [--na-fill <number>]
//       [--check]
//
// A column <c> is an index (from 0) when it is decimal digits, else a name of a --header names line.
// The sizes: the inputs are the --input-column count, else --inputs, else scikit-learn's feature count
// (--header sklearn), else, with the targets chosen by column, every other column, else the columns
// left of the targets. A class label (--class-column, --classes or --class-name, or a scikit-learn
// header's class names when neither --targets nor --target-column is given) has --classes classes,
// else as many as --class-name gives, else the header's, else as many as the labels name. --na
// replaces read_csv's spellings of a missing value (--na-empty adds the empty field, --na-none keeps
// none). --check compares with the existing header instead of writing it (exit status 1 when they
// differ). Values are written as the shortest decimals that read back to the same bits.

#include <charconv>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include <ctnn/csv.hpp>

namespace {

struct Arguments {
  std::string csv, name, output, label, type = "both", header = "none";
  std::size_t inputs = 0, classes = 0, targets = 0;
  std::vector<std::string> input_columns, target_columns, class_names;
  std::optional<std::string> class_column, class_order, na_policy, na_fill;
  std::optional<std::vector<std::string>> na_values;  // given: they replace read_csv's
  bool check = false;
};

/// A mistake in how the generator is called (ctnn_add_dataset's arguments), not in the data.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::size_t count_argument(std::string_view option, std::string_view value)
{
  std::size_t count = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), count);
  if (error != std::errc{} || end != value.data() + value.size() || count == 0)
    throw usage_error(std::string(option) + " needs a positive integer, not '" + std::string(value) + "'");
  return count;
}

Arguments parse_arguments(int argc, char** argv)
{
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    const std::string_view option = argv[i];
    if (option == "--check") {
      arguments.check = true;
      continue;
    }
    if (option == "--na-empty" || option == "--na-none") {
      if (!arguments.na_values) arguments.na_values.emplace();
      if (option == "--na-empty") arguments.na_values->emplace_back();
      continue;
    }
    if (i + 1 == argc) throw usage_error(std::string(option) + " needs a value");
    const std::string value = argv[++i];
    if (option == "--csv")
      arguments.csv = value;
    else if (option == "--name")
      arguments.name = value;
    else if (option == "--output")
      arguments.output = value;
    else if (option == "--label")
      arguments.label = value;
    else if (option == "--type")
      arguments.type = value;
    else if (option == "--header")
      arguments.header = value;
    else if (option == "--inputs")
      arguments.inputs = count_argument(option, value);
    else if (option == "--classes")
      arguments.classes = count_argument(option, value);
    else if (option == "--targets")
      arguments.targets = count_argument(option, value);
    else if (option == "--input-column")
      arguments.input_columns.push_back(value);
    else if (option == "--target-column")
      arguments.target_columns.push_back(value);
    else if (option == "--class-column")
      arguments.class_column = value;
    else if (option == "--class-name")
      arguments.class_names.push_back(value);
    else if (option == "--class-order")
      arguments.class_order = value;
    else if (option == "--na") {
      if (!arguments.na_values) arguments.na_values.emplace();
      arguments.na_values->push_back(value);
    } else if (option == "--na-policy")
      arguments.na_policy = value;
    else if (option == "--na-fill")
      arguments.na_fill = value;
    else
      throw usage_error("unknown option '" + std::string(option) + "'");
  }
  if (arguments.csv.empty() || arguments.name.empty() || arguments.output.empty())
    throw usage_error("--csv, --name and --output are required");
  if (arguments.type != "float" && arguments.type != "double" && arguments.type != "both")
    throw usage_error("--type is float, double or both, not '" + arguments.type + "'");
  if (arguments.label.empty()) arguments.label = arguments.csv;
  for (char& c : arguments.label)  // it goes into // comments, which a line break would end
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return arguments;
}

ctnn::CsvHeader header_mode(const std::string& header)
{
  if (header == "none") return ctnn::CsvHeader::none;
  if (header == "names") return ctnn::CsvHeader::names;
  if (header == "sklearn") return ctnn::CsvHeader::sklearn;
  throw usage_error("--header is none, names or sklearn, not '" + header + "'");
}

/// A column as ctnn_add_dataset gives it: decimal digits are an index, anything else a name.
ctnn::CsvColumn column(const std::string& text)
{
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && error == std::errc{} &&
      end == text.data() + text.size())
    return ctnn::CsvColumn(index);
  return ctnn::CsvColumn(text);
}

std::vector<ctnn::CsvColumn> columns(const std::vector<std::string>& texts)
{
  std::vector<ctnn::CsvColumn> chosen;
  for (const std::string& text : texts) chosen.push_back(column(text));
  return chosen;
}

/// The options of read_csv that ctnn_add_dataset's arguments stand for, but the sizes; checks the
/// arguments that do not go together.
ctnn::CsvOptions csv_options(const Arguments& arguments)
{
  ctnn::CsvOptions options{.header = header_mode(arguments.header)};
  options.input_columns = columns(arguments.input_columns);
  const bool class_label = arguments.class_column || arguments.classes != 0 || !arguments.class_names.empty() ||
                           arguments.class_order.has_value();
  const bool numeric = arguments.targets != 0 || !arguments.target_columns.empty();
  if (arguments.classes != 0 && arguments.targets != 0) throw usage_error("give CLASSES or TARGETS, not both");
  if (class_label && numeric)
    throw usage_error(
        "give a class label (CLASS_COLUMN, CLASSES, CLASS_NAMES, CLASS_ORDER) or numeric targets "
        "(TARGET_COLUMNS, TARGETS), not both");
  if (arguments.inputs != 0 && !arguments.input_columns.empty() && arguments.inputs != arguments.input_columns.size())
    throw usage_error("INPUTS " + std::to_string(arguments.inputs) + " does not match the " +
                      std::to_string(arguments.input_columns.size()) + " INPUT_COLUMNS");
  if (arguments.targets != 0 && !arguments.target_columns.empty() &&
      arguments.targets != arguments.target_columns.size())
    throw usage_error("TARGETS " + std::to_string(arguments.targets) + " does not match the " +
                      std::to_string(arguments.target_columns.size()) + " TARGET_COLUMNS");
  if (arguments.classes != 0 && !arguments.class_names.empty() && arguments.classes != arguments.class_names.size())
    throw usage_error("CLASSES " + std::to_string(arguments.classes) + " does not match the " +
                      std::to_string(arguments.class_names.size()) + " CLASS_NAMES");
  if (class_label || (!numeric && options.header == ctnn::CsvHeader::sklearn))
    options.targets = ctnn::CsvTargets::class_label;
  if (arguments.class_column) options.target_columns = {column(*arguments.class_column)};
  if (!arguments.target_columns.empty()) options.target_columns = columns(arguments.target_columns);
  options.class_names = arguments.class_names;
  if (arguments.class_order) {
    if (*arguments.class_order == "sorted")
      options.class_order = ctnn::CsvClassOrder::sorted;
    else if (*arguments.class_order == "first_seen")
      options.class_order = ctnn::CsvClassOrder::first_seen;
    else
      throw usage_error("--class-order is sorted or first_seen, not '" + *arguments.class_order + "'");
  }
  if (arguments.na_values) options.na_values = *arguments.na_values;
  if (arguments.na_policy) {
    if (*arguments.na_policy == "error")
      options.na_policy = ctnn::CsvNaPolicy::error;
    else if (*arguments.na_policy == "drop_row")
      options.na_policy = ctnn::CsvNaPolicy::drop_row;
    else if (*arguments.na_policy == "fill")
      options.na_policy = ctnn::CsvNaPolicy::fill;
    else if (*arguments.na_policy == "keep")
      options.na_policy = ctnn::CsvNaPolicy::keep;
    else
      throw usage_error("--na-policy is error, drop_row, fill or keep, not '" + *arguments.na_policy + "'");
  }
  if ((options.na_policy == ctnn::CsvNaPolicy::fill) != arguments.na_fill.has_value())
    throw usage_error(arguments.na_fill ? "NA_FILL is the value of NA_POLICY FILL, which is not given"
                                        : "NA_POLICY FILL needs NA_FILL <number>");
  if (arguments.na_fill) {
    const std::string source = "NA_FILL";
    options.na_fill = ctnn::detail::csv::parse_number<double>(*arguments.na_fill, {source, 0, 0, {}});
  }
  return options;
}

/// value as a C++ floating literal of type T that the compiler reads back to the same bits.
template <class T>
std::string literal(T value)
{
  if (value != value)  // a missing input kept by NA_POLICY KEEP, for an Impute layer
    return std::is_same_v<T, float> ? "std::numeric_limits<float>::quiet_NaN()"
                                    : "std::numeric_limits<double>::quiet_NaN()";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (result.ec != std::errc{}) throw std::logic_error("std::to_chars failed");
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";  // "5" and "-0" would be integers
  if constexpr (std::is_same_v<T, float>) text += 'f';
  return text;
}

/// text as a C++ string literal.
std::string string_literal(std::string_view text)
{
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte >= 0x7f) {
      char octal[5];
      std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned>(byte));
      out += octal;
    } else
      out += c;
  }
  return out + "\"";
}

void write_names(std::ostringstream& out, const std::string& variable, const std::vector<std::string>& names)
{
  out << "inline constexpr std::string_view " << variable << "[" << names.size() << "] = {";
  for (std::size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << string_literal(names[i]);
  out << "};\n";
}

template <class T>
void write_samples(std::ostringstream& out, const std::string& variable, const ctnn::detail::csv::Table<T>& table)
{
  out << "inline constexpr Dataset<" << table.inputs << ", " << table.outputs << ", " << table.rows() << ", "
      << (std::is_same_v<T, float> ? "float" : "double") << "> " << variable << "{{\n";
  const std::size_t width = table.inputs + table.outputs;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    out << "    {{{";
    for (std::size_t i = 0; i < width; ++i) {
      if (i == table.inputs)
        out << "}}, {{";
      else if (i != 0)
        out << ", ";
      out << literal(table.values[row * width + i]);
    }
    out << "}}},\n";
  }
  out << "}};\n";
}

std::string generate(const Arguments& arguments)
{
  const std::string text = ctnn::detail::csv::read_file(arguments.csv);
  ctnn::CsvOptions options = csv_options(arguments);
  const bool class_label = options.targets == ctnn::CsvTargets::class_label;

  // The sizes: from the arguments, else from the first line, as read_csv reads it.
  std::size_t classes = arguments.classes != 0 ? arguments.classes : arguments.class_names.size();
  std::size_t targets = arguments.targets != 0 ? arguments.targets : arguments.target_columns.size();
  std::size_t inputs = !arguments.input_columns.empty() ? arguments.input_columns.size() : arguments.inputs;
  if (!class_label && targets == 0)
    throw usage_error(
        "give CLASSES <k> (a class-label column) or TARGETS <m> (numeric targets), or choose the "
        "columns with CLASS_COLUMN or TARGET_COLUMNS");
  if (inputs == 0 || (class_label && classes == 0)) {
    const auto first = ctnn::detail::csv::first_columns(text, arguments.csv, options);
    if (options.header == ctnn::CsvHeader::sklearn) {
      if (class_label && classes == 0) classes = first.sklearn.class_names.size();
      if (inputs == 0) inputs = first.sklearn.features;
    }
    const std::size_t target_columns = class_label ? 1 : targets;
    if (inputs == 0 && !options.target_columns.empty()) {
      // The targets chosen by column: every other column is an input, in order.
      for (std::size_t index = 0; index < first.count; ++index) {
        bool target = false;
        for (const auto& chosen : options.target_columns)
          target = target || (chosen.by_name() ? index < first.names.size() && first.names[index] == chosen.name()
                                               : chosen.index() == index);
        if (!target) options.input_columns.emplace_back(index);
      }
      inputs = options.input_columns.size();
      if (inputs == 0)
        throw usage_error(arguments.csv + " has " + std::to_string(first.count) +
                          " columns: no room for inputs besides the targets");
    }
    if (inputs == 0) {
      if (first.count <= target_columns)
        throw usage_error(arguments.csv + " has " + std::to_string(first.count) +
                          " columns on its first line: no room for inputs besides the targets; give INPUTS");
      inputs = first.count - target_columns;
    }
  }
  const std::size_t outputs = class_label ? classes : targets;  // 0: the labels count the classes

  const bool with_double = arguments.type != "float";
  const bool with_float = arguments.type != "double";
  ctnn::detail::csv::Table<double> doubles;
  ctnn::detail::csv::Table<float> floats;
  if (with_double) doubles = ctnn::detail::csv::read_table<double>(text, arguments.csv, inputs, outputs, options, true);
  if (with_float) floats = ctnn::detail::csv::read_table<float>(text, arguments.csv, inputs, outputs, options, true);
  const auto& names = with_double ? doubles.class_names : floats.class_names;
  const auto& input_names = with_double ? doubles.input_names : floats.input_names;
  const auto& target_names = with_double ? doubles.target_names : floats.target_names;
  const auto& report = with_double ? doubles.report : floats.report;
  const std::size_t rows = with_double ? doubles.rows() : floats.rows();
  const std::size_t out_count = with_double ? doubles.outputs : floats.outputs;

  const std::string& name = arguments.name;
  const std::string shape =
      std::to_string(inputs) + ", " + std::to_string(out_count) + ", " + std::to_string(rows) + ", T";
  std::ostringstream out;
  out << "#pragma once\n"
      << "// Generated from " << arguments.label << " by ctnn_add_dataset; do not edit.\n";
  if (report.dropped_rows != 0) {
    out << "// " << report.dropped_rows << " of its " << report.rows
        << " rows have a missing value and were left out (NA_POLICY DROP_ROW), on lines";
    for (const std::size_t line : report.dropped_lines) out << ' ' << line;
    out << ".\n";
  }
  if (report.filled_values != 0)
    out << "// " << report.filled_values << " missing values were filled with " << *arguments.na_fill
        << " (NA_POLICY FILL).\n";
  if (options.na_policy == ctnn::CsvNaPolicy::keep) {
    std::size_t kept = 0;
    for (const std::size_t count : report.missing_inputs) kept += count;
    if (kept != 0)
      out << "// " << kept << " missing inputs are NaN (NA_POLICY KEEP), for a model that starts with ctnn::Impute.\n";
  }
  out << "// clang-format off\n\n"
      << "#include <limits>\n#include <string_view>\n#include <type_traits>\n\n#include \"ctnn/data.hpp\"\n\n"
      << "namespace ctnn::datasets {\n\nnamespace detail {\n";
  if (with_double) write_samples(out, name + "_double", doubles);
  if (with_float) write_samples(out, name + "_float", floats);
  out << "}  // namespace detail\n\n";
  if (!names.empty()) {
    out << "/// The class names, by class index.\n";
    write_names(out, name + "_class_names", names);
    out << "\n";
  }
  if (options.header == ctnn::CsvHeader::names) {
    out << "/// The names of the input columns and of the target " << (class_label ? "column" : "columns")
        << ", from the header line.\n";
    write_names(out, name + "_input_names", input_names);
    write_names(out, name + "_target_names", target_names);
    out << "\n";
  }
  out << "/// The " << rows << " samples of " << arguments.label << ": " << inputs << " inputs, "
      << (class_label ? "targets one-hot over the " + std::to_string(out_count) + " classes"
                      : std::to_string(targets) + (targets == 1 ? " target" : " targets"))
      << ", in the file's order.\n";
  const char* default_type = with_double ? "double" : "float";
  out << "template <class T = " << default_type << ">\n"
      << "constexpr Dataset<" << shape << "> " << name << "() noexcept\n{\n";
  if (with_double && with_float) {
    out << "  static_assert(std::is_same_v<T, double> || std::is_same_v<T, float>,\n"
        << "                \"ctnn: " << name << "<T>() holds float and double values\");\n"
        << "  if constexpr (std::is_same_v<T, float>)\n    return detail::" << name << "_float;\n"
        << "  else\n    return detail::" << name << "_double;\n";
  } else {
    out << "  static_assert(std::is_same_v<T, " << default_type << ">, \"ctnn: " << name << "<T>() holds "
        << default_type << " values (ctnn_add_dataset TYPE " << default_type << ")\");\n"
        << "  return detail::" << name << "_" << default_type << ";\n";
  }
  out << "}\n\n}  // namespace ctnn::datasets\n// clang-format on\n";
  return out.str();
}

std::string file_text(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv)
{
  try {
    const Arguments arguments = parse_arguments(argc, argv);
    const std::string header = generate(arguments);
    if (arguments.check) {
      if (file_text(arguments.output) == header) return 0;
      std::fprintf(stderr, "ctnn: %s differs from what %s generates; regenerate it\n", arguments.output.c_str(),
                   arguments.csv.c_str());
      return 1;
    }
    std::ofstream out(arguments.output, std::ios::binary | std::ios::trunc);
    out << header;
    out.close();
    if (!out) {
      std::fprintf(stderr, "ctnn: cannot write %s\n", arguments.output.c_str());
      return 1;
    }
    return 0;
  } catch (const usage_error& error) {
    std::fprintf(stderr, "ctnn_dataset_generator: %s\n", error.what());
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s\n", error.what());  // a data_error: "ctnn: <file>, line L, column C: ..."
  }
  return 1;
}
