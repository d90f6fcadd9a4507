#pragma once
// Model files, runtime only: save() and load() a trained Network as text. The format is specified
// in docs/model_file.md (tools/ctnn_interop implements it too); in short, version 3:
//
//   ctnn-model 3
//   scalar double
//   layers 3
//   layer 1 Standardize 2 2             position, kind, input shape, output shape (dimensions joined
//   layer 2 Dense 2 3 sigmoid             by x: 8x4), then the fields the layer's describe() writes
//   layer 3 Dense 3 1 sigmoid
//   architecture 1f2e3d4c5b6a7988       architecture_fingerprint(): FNV-1a 64 of the lines above it
//   classes 2 benign malignant          optional: output class names, percent-encoded
//   parameters 17                       then one value per line, in stored-value order (each layer's
//   0.5                                   non-trainable values, then its parameters)
//   ...
//   checksum 5c3e0d3a1f2b4e69           parameter_fingerprint() of the values
//   end
//
// A value is written by std::to_chars in its shortest round-trip form ("0.1", "-0", "5e-324",
// "inf"), a NaN as "nan:0x" and its bits; every float and double round-trips bit for bit. Version 2
// (ctnn 0.2: no architecture or classes line) is read too.
//
// A loader knows its architecture at compile time, so it checks every header line against it (the
// layer's own line, hyper-parameters included: a Conv1D of another kernel is rejected) and
// allocates nothing the file asks for: a file longer than 256 bytes per line it may hold is rejected
// before it is read whole. Any mismatch, malformed or truncated line, missing "end" or data after it
// raises model_file_error naming the file, the line and what was expected and found, and leaves the
// destination network untouched. A layer that refuses some values (check_values(), e.g.
// deviations that must be positive) is checked on save and on load. Saving is atomic
// (detail/file_io.hpp).

#include <bit>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "ctnn/detail/file_io.hpp"
#include "ctnn/detail/parse_number.hpp"
#include "ctnn/detail/text.hpp"
#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/fingerprint.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

/// The version of the text format that save() writes; load() reads it and version 2.
inline constexpr int model_file_version = 3;

namespace detail::model_file {

using detail::cat;
using detail::hex_digits;
using detail::num;
using detail::show;

template <class T>
constexpr std::string_view scalar_name() noexcept
{
  static_assert(std::is_same_v<T, double> || std::is_same_v<T, float>,
                "ctnn: model files hold float or double parameters");
  return detail::scalar_name<T>();
}

template <class T>
using bits_type = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;

// The longest line a reader accepts, and the most bytes a file of the architecture may hold.
inline constexpr std::size_t max_line_length = 255;

template <class Net>
constexpr std::size_t max_file_size() noexcept
{
  // ctnn-model, scalar, layers, architecture, classes, parameters, checksum, end: 8 lines, one per
  // layer, one per value.
  return (8 + Net::layer_count + Net::total_parameter_count) * (max_line_length + 1);
}

/// Appends v as the format writes it: shortest round-trip decimal, or nan:0x<bits>.
template <class T>
void append_value(std::string& out, T v)
{
  if (math::isnan(v)) {
    out += "nan:0x";
    out += hex_digits(std::bit_cast<bits_type<T>>(v), 2 * sizeof(T));
    return;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  if (result.ec != std::errc{}) raise(model_file_error("ctnn: std::to_chars failed on a model parameter"));
  out.append(buffer, result.ptr);
}

/// Reads one value as the format defines it; on failure returns false and says why.
template <class T>
bool parse_value(std::string_view s, T& out, std::string& why)
{
  if (s.starts_with("nan:0x")) {
    const std::string_view digits = s.substr(6);
    bits_type<T> bits{};
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), bits, 16);
    if (digits.size() != 2 * sizeof(T) || result.ec != std::errc{} || result.ptr != digits.data() + digits.size()) {
      why = cat("expected a NaN as nan:0x and ", num(2 * sizeof(T)), " hex digits");
      return false;
    }
    const T value = std::bit_cast<T>(bits);
    if (!math::isnan(value)) {
      why = cat("nan:0x", digits, " is not the bit pattern of a NaN");
      return false;
    }
    out = value;
    return true;
  }
  T value{};
  const auto result = read_floating(s.data(), s.data() + s.size(), value);
  if (result.ec == std::errc::result_out_of_range && result.ptr == s.data() + s.size()) {
    why = cat("the value is out of the range of ", scalar_name<T>());
    return false;
  }
  if (result.ec != std::errc{} || result.ptr != s.data() + s.size()) {
    why = cat("expected a ", scalar_name<T>(), " value");
    return false;
  }
  if (math::isnan(value)) {
    why = cat("a NaN must be written as nan:0x and its ", num(2 * sizeof(T)), " hex digits");
    return false;
  }
  out = value;
  return true;
}

/// The fields of a line separated by single spaces; well_formed is false for empty fields (doubled,
/// leading or trailing spaces).
struct fields {
  std::vector<std::string_view> items;
  bool well_formed = false;
};

inline fields split(std::string_view line)
{
  fields f;
  std::size_t start = 0;
  for (;;) {
    const std::size_t space = line.find(' ', start);
    const std::string_view item = line.substr(start, space == std::string_view::npos ? space : space - start);
    if (item.empty()) return f;
    f.items.push_back(item);
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  f.well_formed = true;
  return f;
}

/// Walks the lines of a model text; every failure raises model_file_error about the current line.
class line_reader {
 public:
  line_reader(std::string_view text, std::string_view source) : text_{text}, source_{source} {}

  [[noreturn]] void fail(const std::string& what) const { fail_at(line_, what); }

  [[noreturn]] void fail_at(std::size_t line, const std::string& what) const
  {
    std::string message = cat("ctnn: cannot load model \"", source_, "\": ");
    if (line > 0) message += cat("line ", num(line), ": ");
    message += what;
    raise(model_file_error(message, line));
  }

  /// The line last read (1-based; 0 before the first).
  std::size_t line_number() const noexcept { return line_; }

  /// The next line, without its '\n'; fails "expected <expected>, found the end of the file" at the end.
  std::string_view expect(const std::string& expected)
  {
    ++line_;
    if (pos_ >= text_.size()) fail(cat("expected ", expected, ", found the end of the file"));
    const std::size_t newline = text_.find('\n', pos_);
    const std::size_t end = newline == std::string_view::npos ? text_.size() : newline;
    std::string_view line = text_.substr(pos_, end - pos_);
    if (line.size() > max_line_length)
      fail(
          cat("expected ", expected, ", found a line longer than ", num(max_line_length), " characters: ", show(line)));
    if (newline == std::string_view::npos)
      fail(cat("expected ", expected, ", found ", show(line),
               " without a newline at the end of the file (is the file truncated?)"));
    // A file that passed through a Windows editor or a git checkout with core.autocrlf reads the same.
    if (line.ends_with('\r')) line.remove_suffix(1);
    pos_ = newline + 1;
    return line;
  }

  /// Throws unless every byte has been read.
  void expect_end_of_file()
  {
    if (pos_ >= text_.size()) return;
    ++line_;
    const std::string_view rest = text_.substr(pos_);
    fail(cat("expected the end of the file after \"end\", found ", show(rest.substr(0, rest.find('\n')))));
  }

 private:
  std::string_view text_;
  std::string_view source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 0;
};

/// Checks a "<key> <value>" line, naming what: "expected 2, found 3".
inline void expect_keyed(line_reader& in, std::string_view key, const std::string& value, const std::string& what)
{
  const std::string whole = cat(key, " ", value);
  const std::string_view line = in.expect(show(whole));
  const auto f = split(line);
  if (!f.well_formed || f.items.size() != 2 || f.items[0] != key)
    in.fail(cat("expected ", show(whole), ", found ", show(line)));
  if (f.items[1] != value) in.fail(cat(what, ": expected ", value, ", found ", show(f.items[1])));
}

// A sink for fingerprint.hpp's text writers that appends to a string.
struct string_sink {
  std::string& out;
  void put(char c) { out += c; }
  void put(std::string_view text) { out.append(text); }
};

// The label and text of each field a layer's describe() writes, for messages.
struct field_list {
  struct field {
    std::string label;
    std::string text;
  };
  std::vector<field> items;

  void token(std::string_view label, std::string_view value)
  {
    items.push_back({std::string(label), std::string(value)});
  }
  void field(std::string_view key, std::size_t value)
  {
    items.push_back({std::string(key), cat(key, "=", num(value))});
  }
  void field(std::string_view key, std::string_view value)
  {
    items.push_back({std::string(key), cat(key, "=", value)});
  }
};

/// The layer line as the format writes it, without its '\n'.
template <class L>
std::string layer_line(std::size_t position)
{
  std::string line;
  string_sink sink{line};
  detail::put_layer_line<L>(sink, position);
  return line;
}

template <class Shape>
std::string shape_text()
{
  std::string text;
  string_sink sink{text};
  detail::put_shape(sink, Shape{});
  return text;
}

template <class L>
field_list layer_fields()
{
  field_list fields;
  if constexpr (requires { L::describe(fields); }) L::describe(fields);
  return fields;
}

/// Model files need each layer's kind and fields to be single tokens of printable ASCII.
template <class L>
void require_file_layer(std::size_t position, std::string_view verb)
{
  const auto bad = [&](std::string_view what, std::string_view text) {
    raise(model_file_error(cat("ctnn: cannot ", verb, ": layer ", num(position), "'s ", what, " ", show(text),
                               " is not one word of printable ASCII")));
  };
  const auto is_field = [](std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
      if (c <= ' ' || c > '~') return false;
    return true;
  };
  if (!is_field(L::kind)) bad("kind", L::kind);
  for (const auto& f : layer_fields<L>().items)
    if (!is_field(f.text)) bad(f.label, f.text);
}

inline std::string checksum_line(std::uint64_t checksum)
{
  return cat("checksum ", hex_digits(checksum, 16));
}

inline std::string architecture_line(std::uint64_t fingerprint)
{
  return cat("architecture ", hex_digits(fingerprint, 16));
}

/// Raises model_file_error when a layer of net holds a value it cannot use (its check_values()).
template <class Net>
void require_usable_values(const Net& net, std::string_view verb)
{
  std::size_t position = 0;
  net.for_each_layer([&]<class L>(const L& layer) {
    ++position;
    if constexpr (requires { layer.check_values(); }) {
      const ValueCheck check = layer.check_values();
      if (!check.ok())
        raise(model_file_error(cat("ctnn: cannot ", verb, ": layer ", num(position), " (", L::kind, ") ", check.name,
                                   " ", num(check.number), " ", check.problem)));
    }
  });
}

/// Reads a checksum line's 16 lowercase hex digits; false when the line is not one.
inline bool parse_checksum(std::string_view line, std::uint64_t& out)
{
  const auto f = split(line);
  if (!f.well_formed || f.items.size() != 2 || f.items[0] != "checksum" || f.items[1].size() != 16) return false;
  std::uint64_t value = 0;
  for (const char c : f.items[1]) {
    if (c >= '0' && c <= '9')
      value = (value << 4) | static_cast<std::uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      value = (value << 4) | static_cast<std::uint64_t>(c - 'a' + 10);
    else
      return false;
  }
  out = value;
  return true;
}

/// Reads "architecture <16 hex digits>"; false when the line is not one.
inline bool parse_architecture(std::string_view line, std::uint64_t& out)
{
  if (!line.starts_with("architecture ")) return false;
  std::string as_checksum = cat("checksum", line.substr(12));
  return parse_checksum(as_checksum, out);
}

/// A class name as the classes line writes it: bytes outside printable ASCII, and '%', as %XX.
inline std::string percent_encoded(std::string_view name)
{
  constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c > 0x7e || c == '%') {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out;
}

/// The name a percent-encoded field stands for; false when an escape is malformed.
inline bool percent_decoded(std::string_view field, std::string& out)
{
  out.clear();
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '%') {
      out += field[i];
      continue;
    }
    if (i + 2 >= field.size()) return false;
    const int high = digit(field[i + 1]);
    const int low = digit(field[i + 2]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

template <class... Layers>
void require_file_layers(std::string_view verb)
{
  std::size_t position = 0;
  (require_file_layer<Layers>(++position, verb), ...);
}

// Checks one layer line against layer L at position, naming the first field that differs.
template <class L>
void check_layer_line(line_reader& in, std::size_t position)
{
  const std::string expected = layer_line<L>(position);
  const std::string_view line = in.expect(show(expected));
  if (line == expected) return;
  const auto f = split(line);
  const field_list described = layer_fields<L>();
  const std::string index = num(position);
  if (!f.well_formed || f.items.size() < 5 || f.items[0] != "layer" || f.items[1] != index)
    in.fail(cat("expected ", show(expected), ", found ", show(line)));
  const std::string what = cat("layer ", index, " ");
  if (f.items[2] != L::kind) in.fail(cat(what, "kind: expected ", L::kind, ", found ", show(f.items[2])));
  const std::string inputs = shape_text<typename L::input_shape>();
  const std::string outputs = shape_text<typename L::output_shape>();
  if (f.items[3] != inputs) in.fail(cat(what, "inputs: expected ", inputs, ", found ", show(f.items[3])));
  if (f.items[4] != outputs) in.fail(cat(what, "outputs: expected ", outputs, ", found ", show(f.items[4])));
  for (std::size_t i = 0; i < described.items.size() && 5 + i < f.items.size(); ++i)
    if (f.items[5 + i] != described.items[i].text)
      in.fail(cat(what, described.items[i].label, ": expected ", described.items[i].text, ", found ",
                  show(f.items[5 + i])));
  in.fail(cat("expected ", show(expected), ", found ", show(line)));
}

/// Parses a model text for Net into net, which changes only when the whole text is valid. Class
/// names, when the text has them, go to class_names (if not null).
template <class... Layers>
void parse_into(Network<Layers...>& net, std::string_view text, std::string_view source,
                std::vector<std::string>* class_names = nullptr)
{
  require_file_layers<Layers...>("load model");
  using Net = Network<Layers...>;
  using T = typename Net::scalar_type;
  line_reader in{text, source};

  int version = model_file_version;
  {
    const std::string current = num(model_file_version);
    const std::string first = cat("\"ctnn-model ", current, "\"");
    const std::string_view line = in.expect(first);
    const auto f = split(line);
    if (!f.well_formed || f.items.size() != 2 || f.items[0] != "ctnn-model")
      in.fail(cat("expected ", first, " (the first line of a ctnn model file), found ", show(line)));
    const std::string_view found = f.items[1];
    if (found == "2") {
      version = 2;
    } else if (found != current) {
      // A plain decimal number below or above ours: an older or a newer ctnn wrote the file.
      int number = 0;
      const auto parsed = std::from_chars(found.data(), found.data() + found.size(), number);
      const bool plain =
          parsed.ec == std::errc{} && parsed.ptr == found.data() + found.size() && found[0] >= '1' && found[0] <= '9';
      if (plain && number < 2)
        in.fail(cat("format version ", found, " was written by an older ctnn; this ctnn reads versions 2 and ", current,
                    " (load the file with the ctnn that wrote it and save it again with this one)"));
      if (plain)
        in.fail(cat("format version ", found, " was written by a newer ctnn; this ctnn reads versions 2 and ", current,
                    " (load the file with a ctnn that reads version ", found, ")"));
      in.fail(cat("format version: expected ", current, ", found ", show(found), " (this ctnn reads versions 2 and ",
                  current, ")"));
    }
  }
  expect_keyed(in, "scalar", std::string(scalar_name<T>()), "scalar type");
  expect_keyed(in, "layers", num(Net::layer_count), "layer count");

  std::size_t position = 0;
  (check_layer_line<Layers>(in, ++position), ...);

  std::vector<std::string> names;
  const std::string count = num(Net::total_parameter_count);
  if (version >= 3) {
    const std::uint64_t expected = architecture_fingerprint<Net>();
    const std::string_view line = in.expect("\"architecture\" and 16 hex digits");
    std::uint64_t written = 0;
    if (!parse_architecture(line, written))
      in.fail(cat("expected \"architecture\" and 16 lowercase hex digits after the layer lines, found ", show(line)));
    if (written != expected)
      in.fail(cat("the architecture line does not match the layer lines: the file says ", hex_digits(written, 16),
                  ", its lines give ", hex_digits(expected, 16), " (a line was changed or damaged)"));
    const std::string_view next = in.expect(cat("\"classes\" or \"parameters ", count, "\""));
    if (next.starts_with("classes ")) {
      const auto f = split(next);
      constexpr std::size_t classes = Net::outputs == 1 ? 2 : Net::outputs;
      if (!f.well_formed || f.items.size() < 2 || f.items[1] != num(classes) || f.items.size() != 2 + classes)
        in.fail(cat("expected \"classes ", num(classes), "\" and ", num(classes),
                    " percent-encoded class names (one per output class), found ", show(next)));
      for (std::size_t i = 2; i < f.items.size(); ++i) {
        std::string name;
        // Only the writer's spelling (every byte that needs it escaped, upper-case hex, no other
        // escape), so that a file read and written again is the same bytes.
        if (!percent_decoded(f.items[i], name) || percent_encoded(name) != f.items[i])
          in.fail(cat("class name ", num(i - 1),
                      ": expected a name with %XX escapes (upper-case hex) for bytes "
                      "outside printable ASCII, spaces and %, found ",
                      show(f.items[i])));
        names.push_back(std::move(name));
      }
      expect_keyed(in, "parameters", count, "parameter count");
    } else {
      const auto f = split(next);
      const std::string whole = cat("parameters ", count);
      if (!f.well_formed || f.items.size() != 2 || f.items[0] != "parameters")
        in.fail(cat("expected \"classes\" or ", show(whole), ", found ", show(next)));
      if (f.items[1] != count) in.fail(cat("parameter count: expected ", count, ", found ", show(f.items[1])));
    }
  } else {
    expect_keyed(in, "parameters", count, "parameter count");
  }
  const std::size_t first_value_line = in.line_number() + 1;

  // Values go to a copy, so net changes only after "end" and the end of the file have been seen.
  Net staged = net;
  std::size_t k = 0;
  std::string why;
  position = 0;
  staged.for_each_layer([&]<class L>(L& layer) {
    ++position;
    const std::size_t first = k;
    ::ctnn::detail::visit_stored_values(layer, [&](auto& tensor) {
      for (auto& value : tensor) {
        ++k;
        const std::string what = cat("parameter ", num(k), " of ", count);
        const std::string_view line = in.expect(what);
        T parsed{};
        if (!parse_value(line, parsed, why)) in.fail(cat(what, ": ", why, ", found ", show(line)));
        value = parsed;
      }
    });
    if constexpr (requires { layer.check_values(); }) {
      const ValueCheck check = layer.check_values();
      if (!check.ok())
        in.fail_at(first_value_line + first + check.index,
                   cat("parameter ", num(first + check.index + 1), " of ", count, ": layer ", num(position), " (",
                       L::kind, ") ", check.name, " ", num(check.number), " ", check.problem));
    }
  });

  {
    const std::string_view line = in.expect("\"checksum\" and 16 hex digits");
    std::uint64_t written = 0;
    if (!parse_checksum(line, written))
      in.fail(cat("expected \"checksum\" and 16 lowercase hex digits after the ", count, " parameters, found ",
                  show(line)));
    const std::uint64_t computed = parameter_fingerprint(staged);
    if (written != computed)
      in.fail(cat("the checksum does not match the values: the file says ", hex_digits(written, 16),
                  ", its values give ", hex_digits(computed, 16), " (a value was changed or damaged)"));
  }
  const std::string_view last = in.expect("\"end\"");
  if (last != "end") in.fail(cat("expected \"end\" after the checksum, found ", show(last)));
  in.expect_end_of_file();
  net = staged;
  if (class_names != nullptr) *class_names = std::move(names);
}

// Raises model_file_error "ctnn: cannot <verb> "<path>": <why>".
struct file_failure {
  std::string_view verb;
  const std::filesystem::path& path;

  [[noreturn]] void operator()(const std::string& why) const
  {
    raise(model_file_error(cat("ctnn: cannot ", verb, " \"", path.string(), "\": ", why)));
  }
};

}  // namespace detail::model_file

/// The model text of net, as docs/model_file.md defines it; class_names (one per output class, or
/// none) go to its classes line. Raises model_file_error when a layer holds a value load() would
/// reject (a deviation that is not positive, say) or names a class count other than the
/// outputs'.
template <class... Layers>
[[nodiscard]] std::string model_text(const Network<Layers...>& net, const std::vector<std::string>& class_names = {})
{
  namespace mf = detail::model_file;
  mf::require_file_layers<Layers...>("write the model");
  using Net = Network<Layers...>;
  constexpr std::size_t classes = Net::outputs == 1 ? 2 : Net::outputs;
  if (!class_names.empty() && class_names.size() != classes)
    detail::raise(
        model_file_error(mf::cat("ctnn: cannot write the model: it has ", mf::num(classes), " output classes but ",
                                 mf::num(class_names.size()), " class names were given")));
  for (const auto& name : class_names)
    if (name.empty()) detail::raise(model_file_error("ctnn: cannot write the model: a class name is empty"));
  std::string out = mf::cat("ctnn-model ", mf::num(model_file_version), "\n");
  {
    mf::string_sink sink{out};
    detail::put_architecture(sink, static_cast<const Net*>(nullptr));
  }
  mf::require_usable_values(net, "write the model");
  out += mf::cat(mf::architecture_line(architecture_fingerprint<Net>()), "\n");
  if (!class_names.empty()) {
    out += mf::cat("classes ", mf::num(classes));
    for (const auto& name : class_names) out += mf::cat(" ", mf::percent_encoded(name));
    out += "\n";
  }
  out += mf::cat("parameters ", mf::num(Net::total_parameter_count), "\n");
  net.for_each_layer([&](const auto& layer) {
    detail::visit_stored_values(layer, [&](const auto& tensor) {
      for (auto value : tensor) {
        mf::append_value(out, value);
        out += '\n';
      }
    });
  });
  out += mf::cat(mf::checksum_line(parameter_fingerprint(net)), "\n");
  out += "end\n";
  return out;
}

/// Reads a model text into net; source names the text in error messages. net is left untouched when
/// the text is not a valid model of net's architecture (model_file_error). Reads only text.
template <class... Layers>
void load_model_text_into(Network<Layers...>& net, std::string_view text, std::string_view source = "<text>",
                          std::vector<std::string>* class_names = nullptr)
{
  detail::model_file::parse_into(net, text, source, class_names);
}

/// Saves net to path atomically; raises model_file_error.
template <class... Layers>
void save(const Network<Layers...>& net, const std::filesystem::path& path,
          const std::vector<std::string>& class_names = {})
{
  detail::write_atomically(path, model_text(net, class_names), detail::model_file::file_failure{"save model", path});
}

/// Loads the model at path into net (its class names, if the file has them, into class_names); on
/// any error raises model_file_error and leaves net untouched.
template <class... Layers>
void load_into(Network<Layers...>& net, const std::filesystem::path& path,
               std::vector<std::string>* class_names = nullptr)
{
  namespace mf = detail::model_file;
  mf::require_file_layers<Layers...>("load model");
  const std::string text =
      detail::read_bounded(path, mf::max_file_size<Network<Layers...>>(), "a model file of this architecture",
                           mf::file_failure{"load model", path});
  mf::parse_into(net, text, path.string(), class_names);
}

/// The model saved at path as a Net (a Network type); raises model_file_error.
template <class Net>
  requires detail::is_network<Net>
[[nodiscard]] Net load(const std::filesystem::path& path)
{
  Net net{};
  load_into(net, path);
  return net;
}

}  // namespace ctnn
