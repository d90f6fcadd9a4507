// ctnn_dataset_generator: writes a header that holds a CSV file's data as a constexpr ctnn::Dataset.
// ctnn_add_dataset (cmake/CtnnAddDataset.cmake) builds it once per project and runs it at build time;
// it reads the file with ctnn's own CSV reader, so its rules and error messages are read_csv's.
//
//   ctnn_dataset_generator --csv <file> --name <name> --output <header>
//       [--inputs <n>] [--classes <k> | --targets <m>] [--type float|double|both]
//       [--header none|names|sklearn] [--label <what the header says it was made from>] [--check]
//
// Without --inputs the inputs are scikit-learn's feature count (--header sklearn) or the columns left
// of the targets. Without --classes and --targets, a scikit-learn header's class names give the
// classes. --check compares with the existing header instead of writing it (exit status 1 when they
// differ). Values are written as the shortest decimals that read back to the same bits.

#include <charconv>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <fstream>
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
    else
      throw usage_error("unknown option '" + std::string(option) + "'");
  }
  if (arguments.csv.empty() || arguments.name.empty() || arguments.output.empty())
    throw usage_error("--csv, --name and --output are required");
  if (arguments.classes != 0 && arguments.targets != 0) throw usage_error("give --classes or --targets, not both");
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

/// value as a C++ floating literal of type T that the compiler reads back to the same bits.
template <class T>
std::string literal(T value)
{
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
  ctnn::CsvOptions options{.header = header_mode(arguments.header)};

  // The sizes: from the arguments, else from the first line, as read_csv reads it.
  std::size_t classes = arguments.classes;
  std::size_t targets = arguments.targets;
  std::size_t inputs = arguments.inputs;
  if ((classes == 0 && targets == 0) || inputs == 0) {
    const auto first = ctnn::detail::csv::first_record(text, arguments.csv, options.separator);
    if (options.header == ctnn::CsvHeader::sklearn) {
      const auto sklearn = ctnn::detail::csv::parse_sklearn_header(first, arguments.csv);
      if (classes == 0 && targets == 0) classes = sklearn.class_names.size();
      if (inputs == 0) inputs = sklearn.features;
    }
    if (classes == 0 && targets == 0)
      throw usage_error("give CLASSES <k> (a class-label column) or TARGETS <m> (numeric targets)");
    if (inputs == 0) {
      const std::size_t target_columns = classes != 0 ? 1 : targets;
      if (first.fields.size() <= target_columns)
        throw usage_error(arguments.csv + " has " + std::to_string(first.fields.size()) +
                          " columns on its first line: no room for inputs besides the targets; give INPUTS");
      inputs = first.fields.size() - target_columns;
    }
  }
  options.targets = classes != 0 ? ctnn::CsvTargets::class_label : ctnn::CsvTargets::values;
  const std::size_t outputs = classes != 0 ? classes : targets;

  const bool with_double = arguments.type != "float";
  const bool with_float = arguments.type != "double";
  ctnn::detail::csv::Table<double> doubles;
  ctnn::detail::csv::Table<float> floats;
  if (with_double) doubles = ctnn::detail::csv::read_table<double>(text, arguments.csv, inputs, outputs, options);
  if (with_float) floats = ctnn::detail::csv::read_table<float>(text, arguments.csv, inputs, outputs, options);
  const auto& names = with_double ? doubles.class_names : floats.class_names;
  const auto& input_names = with_double ? doubles.input_names : floats.input_names;
  const auto& target_names = with_double ? doubles.target_names : floats.target_names;
  const std::size_t rows = with_double ? doubles.rows() : floats.rows();

  const std::string& name = arguments.name;
  const std::string shape =
      std::to_string(inputs) + ", " + std::to_string(outputs) + ", " + std::to_string(rows) + ", T";
  std::ostringstream out;
  out << "#pragma once\n"
      << "// Generated from " << arguments.label << " by ctnn_add_dataset; do not edit.\n"
      << "// clang-format off\n\n"
      << "#include <string_view>\n#include <type_traits>\n\n#include \"ctnn/data.hpp\"\n\n"
      << "namespace ctnn::datasets {\n\nnamespace detail {\n";
  if (with_double) write_samples(out, name + "_double", doubles);
  if (with_float) write_samples(out, name + "_float", floats);
  out << "}  // namespace detail\n\n";
  if (classes != 0 && options.header == ctnn::CsvHeader::sklearn) {
    out << "/// The class names, by class index.\n";
    write_names(out, name + "_class_names", names);
    out << "\n";
  }
  if (options.header == ctnn::CsvHeader::names) {
    out << "/// The names of the input columns and of the target " << (classes != 0 ? "column" : "columns")
        << ", from the header line.\n";
    write_names(out, name + "_input_names", input_names);
    write_names(out, name + "_target_names", target_names);
    out << "\n";
  }
  out << "/// The " << rows << " samples of " << arguments.label << ": " << inputs << " inputs, "
      << (classes != 0 ? "targets one-hot over the " + std::to_string(classes) + " classes"
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
