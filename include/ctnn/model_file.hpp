#pragma once
// Model files, runtime only: save() and load() a trained Network as text, and emit_header() it as a
// C++ header that defines the same model as a constexpr object.
//
//   ctnn::save(net, path);                     // atomic; throws ctnn::model_file_error
//   auto net = ctnn::load<Net>(path);          // Net is the Network type the file must describe
//   ctnn::load_into(net, path);                // net is untouched when it throws
//   ctnn::emit_header(net, "model.hpp", "my_model");  // inline constexpr <Net> my_model{...};
//   ctnn::model_text(net), ctnn::load_model_text_into(net, text), ctnn::model_header(net, name):
//                                              // the same, in memory
//
// The text format, version 2
// --------------------------
// ASCII, one item per line, every line ended by a single '\n' (no '\r', no blank lines, no comments),
// fields separated by exactly one space, no other white space. A network of doubles that standardises
// its 2 inputs, then 2-3-1 sigmoid:
//
//   ctnn-model 2                      magic word and format version
//   scalar double                     the scalar type: double or float
//   layers 3                          the number of layers
//   layer 1 Standardize 2 2           per layer, in order: 1-based position, kind, inputs, outputs,
//   layer 2 Dense 2 3 sigmoid           and for Dense the activation name (Sigmoid::name, Tanh::name,
//   layer 3 Dense 3 1 sigmoid           ...); Standardize has no activation field
//   parameters 17                     the number of values that follow, trainable or not
//   0.5                               one value per line, in Network::stored_values() order: per layer,
//   ...                                 Standardize: its means, then its deviations (In each);
//                                       Dense: its weights row-major (Out x In), then its bias
//   checksum 5c3e0d3a1f2b4e69         16 lowercase hex digits: parameter_fingerprint() of the values,
//                                       i.e. FNV-1a 64 over each value's IEEE-754 bits, least
//                                       significant byte first; load() rejects a file whose values
//                                       do not give it (a digit changed, a line damaged)
//   end                               the last line; nothing may follow its '\n'
//
// A Standardize layer's means must be finite and its deviations positive and finite (it divides by
// them): load() rejects other values and save() does not write them. Dense values may be anything.
//
// Version 1 (ctnn 0.1) had no Standardize layer and no checksum line. This reader takes version 2
// only and says so when it meets a version-1 file (load it with the ctnn that wrote it, which
// reads its own files, and save it with this one) or a newer version.
//
// Counts are decimal without sign or leading zeros. A value is written by std::to_chars in its
// shortest form that reads back to the same bits ("0.1", "-0", "5e-324", "inf", "-inf"), and read by
// std::from_chars (chars_format::general, so "1.5", "15e-1" or "infinity" also read), except NaN: it
// is written "nan:0x" followed by its bit pattern as exactly 16 (double) or 8 (float) hex digits, e.g.
// "nan:0x7ff8000000000000", so sign and payload survive; a bare "nan" is rejected. Every double and
// float, including -0, subnormals, infinities and every NaN, round-trips bit for bit.
//
// A loader knows its architecture at compile time, so it checks every header line against it and
// allocates nothing the file asks for: a file longer than 256 bytes per line it may hold is rejected
// before it is read whole, and every line must be exactly as above. Any mismatch, malformed or
// truncated line, missing "end" or data after it throws model_file_error naming the file, the line and
// what was expected and found, and leaves the destination network untouched.
//
// Saving is atomic: the text goes to a new temporary file next to the destination (path + ".tmp-" and
// 16 random hex digits, created exclusively), which is flushed, checked, closed and renamed over the
// destination; on any failure the temporary file is removed and model_file_error is thrown. So a crash
// or a full disk never leaves half a model at the path. emit_header() writes the same way.

#include <bit>
#include <cerrno>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ratio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "ctnn/activation.hpp"
#include "ctnn/dense.hpp"
#include "ctnn/network.hpp"
#include "ctnn/random.hpp"
#include "ctnn/standardize.hpp"

namespace ctnn {

/// What every function of this header throws. what() names the file, the line when there is one,
/// and what was expected and what was found.
class model_file_error : public std::runtime_error {
 public:
  explicit model_file_error(const std::string& message, std::size_t line = 0) : std::runtime_error(message), line_{line}
  {
  }

  /// The 1-based line of the model file the error is about, or 0 when it is not about a line.
  std::size_t line() const noexcept { return line_; }

 private:
  std::size_t line_;
};

/// The version of the text format that save() writes and load() reads.
inline constexpr int model_file_version = 2;

namespace detail::model_file {

template <class T>
constexpr std::string_view scalar_name() noexcept
{
  static_assert(std::is_same_v<T, double> || std::is_same_v<T, float>,
                "ctnn: model files hold float or double parameters");
  if constexpr (std::is_same_v<T, double>)
    return "double";
  else
    return "float";
}

template <class T>
using bits_type = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;

/// True for a non-empty run of printable ASCII without spaces: what a field of a line may be.
constexpr bool is_field(std::string_view s) noexcept
{
  if (s.empty()) return false;
  for (char c : s)
    if (c <= ' ' || c > '~') return false;
  return true;
}

template <class L>
struct is_standardize : std::false_type {};
template <std::size_t In, class T>
struct is_standardize<Standardize<In, T>> : std::true_type {};

/// True for a layer whose line carries an activation name (Dense); Standardize's does not.
template <class L>
concept HasActivation = requires {
  {
    L::activation_type::name
  } -> std::convertible_to<std::string_view>;
};

/// What save() and load() need from a layer: Network's Layer and a kind, one field of a line, and an
/// activation name, also one field, unless it is a Standardize.
template <class L>
concept FileLayer = Layer<L> && requires {
  {
    L::kind
  } -> std::convertible_to<std::string_view>;
} && is_field(L::kind) && (is_standardize<L>::value || (HasActivation<L> && is_field(L::activation_type::name)));

template <class Net>
struct is_network : std::false_type {};
template <class... Layers>
struct is_network<Network<Layers...>> : std::true_type {};

template <class L>
struct is_dense : std::false_type {};
template <std::size_t In, std::size_t Out, class A, class T>
struct is_dense<Dense<In, Out, A, T>> : std::true_type {};

// The longest line a reader accepts, and the most bytes a file of the architecture may hold.
inline constexpr std::size_t max_line_length = 255;

template <class Net>
constexpr std::size_t max_file_size() noexcept
{
  // ctnn-model, scalar, layers, parameters, checksum, end: 6 lines, one per layer, one per value.
  return (6 + Net::layer_count + Net::total_parameter_count) * (max_line_length + 1);
}

/// The parts one after the other. (Not "literal" + std::string: GCC 12 at -O3 warns about it, PR 105329.)
template <class... Parts>
std::string cat(const Parts&... parts)
{
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

template <class Integer>
std::string num(Integer n)
{
  return std::to_string(n);
}

/// s in double quotes for a message: at most 48 characters, anything but printable ASCII escaped.
inline std::string show(std::string_view s)
{
  constexpr std::size_t shown = 48;
  constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < shown; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  if (s.size() > shown) out += "...";
  out += '"';
  return out;
}

inline std::string hex_digits(std::uint64_t bits, std::size_t digits)
{
  constexpr char hex[] = "0123456789abcdef";
  std::string out(digits, '0');
  for (std::size_t i = digits; i-- > 0; bits >>= 4) out[i] = hex[bits & 0xf];
  return out;
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
  if (result.ec != std::errc{}) throw std::logic_error("ctnn: std::to_chars failed on a model parameter");
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
  const auto result = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
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

/// Up to N fields of a line separated by single spaces; well_formed is false for empty fields
/// (doubled, leading or trailing spaces) and for more than N fields.
template <std::size_t N>
struct fields {
  std::string_view items[N];
  std::size_t count = 0;
  bool well_formed = false;
};

template <std::size_t N>
fields<N> split(std::string_view line)
{
  fields<N> f;
  std::size_t start = 0;
  for (;;) {
    const std::size_t space = line.find(' ', start);
    const std::string_view item = line.substr(start, space == std::string_view::npos ? space : space - start);
    if (item.empty() || f.count == N) return f;
    f.items[f.count++] = item;
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  f.well_formed = true;
  return f;
}

/// Walks the lines of a model text; every failure throws model_file_error about the current line.
class line_reader {
 public:
  line_reader(std::string_view text, std::string_view source) : text_{text}, source_{source} {}

  [[noreturn]] void fail(const std::string& what) const { fail_at(line_, what); }

  [[noreturn]] void fail_at(std::size_t line, const std::string& what) const
  {
    std::string message = cat("ctnn: cannot load model \"", source_, "\": ");
    if (line > 0) message += cat("line ", num(line), ": ");
    message += what;
    throw model_file_error(message, line);
  }

  /// The next line, without its '\n'; throws "expected <expected>, found the end of the file" at the end.
  std::string_view expect(const std::string& expected)
  {
    ++line_;
    if (pos_ >= text_.size()) fail(cat("expected ", expected, ", found the end of the file"));
    const std::size_t newline = text_.find('\n', pos_);
    const std::size_t end = newline == std::string_view::npos ? text_.size() : newline;
    const std::string_view line = text_.substr(pos_, end - pos_);
    if (line.size() > max_line_length)
      fail(
          cat("expected ", expected, ", found a line longer than ", num(max_line_length), " characters: ", show(line)));
    if (newline == std::string_view::npos)
      fail(cat("expected ", expected, ", found ", show(line),
               " without a newline at the end of the file (is the file truncated?)"));
    if (line.ends_with('\r'))
      fail(cat("expected ", expected, ", found ", show(line),
               ", a line ended by \\r\\n (model files end lines with \\n only)"));
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
  const auto f = split<2>(line);
  if (!f.well_formed || f.count != 2 || f.items[0] != key)
    in.fail(cat("expected ", show(whole), ", found ", show(line)));
  if (f.items[1] != value) in.fail(cat(what, ": expected ", value, ", found ", show(f.items[1])));
}

template <class L>
std::string layer_line(std::size_t position)
{
  std::string line = cat("layer ", num(position), " ", L::kind, " ", num(L::inputs), " ", num(L::outputs));
  if constexpr (!is_standardize<L>::value) line += cat(" ", L::activation_type::name);
  return line;
}

inline std::string checksum_line(std::uint64_t checksum)
{
  return cat("checksum ", hex_digits(checksum, 16));
}

/// The first value a Standardize layer cannot use, as its index in the layer's stored values (means,
/// then deviations) and what is wrong with it; the index is 2 * In when every value is usable. It
/// divides by each deviation, so those must be positive and finite, and it subtracts each mean.
template <std::size_t In, class T>
std::pair<std::size_t, std::string> unusable_value(const Standardize<In, T>& layer)
{
  for (std::size_t i = 0; i < In; ++i)
    if (!math::isfinite(layer.mean.values[i])) return {i, cat("mean ", num(i + 1), " must be finite")};
  for (std::size_t i = 0; i < In; ++i) {
    const T deviation = layer.deviation.values[i];
    if (!(deviation > T(0)) || !math::isfinite(deviation))
      return {In + i, cat("deviation ", num(i + 1), " must be positive and finite")};
  }
  return {2 * In, {}};
}

/// Throws model_file_error when a Standardize layer of net holds a value load() would reject.
template <class Net>
void require_usable_values(const Net& net, std::string_view verb)
{
  std::size_t position = 0;
  net.for_each_layer([&]<class L>(const L& layer) {
    ++position;
    if constexpr (is_standardize<L>::value)
      if (const auto [index, what] = unusable_value(layer); index < 2 * L::inputs)
        throw model_file_error(cat("ctnn: cannot ", verb, ": layer ", num(position), " (Standardize) ", what, ""));
  });
}

/// Reads a checksum line's 16 lowercase hex digits; false when the line is not one.
inline bool parse_checksum(std::string_view line, std::uint64_t& out)
{
  const auto f = split<2>(line);
  if (!f.well_formed || f.count != 2 || f.items[0] != "checksum" || f.items[1].size() != 16) return false;
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

template <class... Layers>
void require_file_layers()
{
  static_assert((FileLayer<Layers> && ...),
                "ctnn: model files need layers with a kind and an activation_type::name, each one word of "
                "printable ASCII (as Dense has), or Standardize layers");
}

/// Parses a model text for Net into net, which changes only when the whole text is valid.
template <class... Layers>
void parse_into(Network<Layers...>& net, std::string_view text, std::string_view source)
{
  require_file_layers<Layers...>();
  using Net = Network<Layers...>;
  using T = typename Net::scalar_type;
  line_reader in{text, source};

  {
    const std::string version = num(model_file_version);
    const std::string first = cat("\"ctnn-model ", version, "\"");
    const std::string_view line = in.expect(first);
    const auto f = split<2>(line);
    if (!f.well_formed || f.count != 2 || f.items[0] != "ctnn-model")
      in.fail(cat("expected ", first, " (the first line of a ctnn model file), found ", show(line)));
    if (f.items[1] != version) {
      // A plain decimal number below or above ours: an older or a newer ctnn wrote the file.
      const std::string_view found = f.items[1];
      int number = 0;
      const auto parsed = std::from_chars(found.data(), found.data() + found.size(), number);
      const bool plain =
          parsed.ec == std::errc{} && parsed.ptr == found.data() + found.size() && found[0] >= '1' && found[0] <= '9';
      if (plain && number < model_file_version)
        in.fail(cat("format version ", found, " was written by an older ctnn; this ctnn reads version ", version,
                    " only (load the file with the ctnn that wrote it and save it again with this one)"));
      if (plain)
        in.fail(cat("format version ", found, " was written by a newer ctnn; this ctnn reads version ", version,
                    " only (load the file with a ctnn that reads version ", found, ")"));
      in.fail(cat("format version: expected ", version, ", found ", show(found), " (this ctnn reads version ", version,
                  " only)"));
    }
  }
  expect_keyed(in, "scalar", std::string(scalar_name<T>()), "scalar type");
  expect_keyed(in, "layers", num(Net::layer_count), "layer count");

  std::size_t position = 0;
  const auto check_layer = [&]<class L>(const L&) {
    ++position;
    const std::string expected = layer_line<L>(position);
    const std::string_view line = in.expect(show(expected));
    const auto f = split<6>(line);
    const std::string index = num(position);
    constexpr std::size_t field_count = is_standardize<L>::value ? 5 : 6;  // Standardize has no activation
    if (!f.well_formed || f.count != field_count || f.items[0] != "layer" || f.items[1] != index)
      in.fail(cat("expected ", show(expected), ", found ", show(line)));
    const std::string what = cat("layer ", index, " ");
    if (f.items[2] != L::kind) in.fail(cat(what, "kind: expected ", L::kind, ", found ", show(f.items[2])));
    if (f.items[3] != num(L::inputs))
      in.fail(cat(what, "inputs: expected ", num(L::inputs), ", found ", show(f.items[3])));
    if (f.items[4] != num(L::outputs))
      in.fail(cat(what, "outputs: expected ", num(L::outputs), ", found ", show(f.items[4])));
    if constexpr (!is_standardize<L>::value) {
      if (f.items[5] != L::activation_type::name)
        in.fail(cat(what, "activation: expected ", L::activation_type::name, ", found ", show(f.items[5])));
    }
  };
  net.for_each_layer(check_layer);

  const std::string count = num(Net::total_parameter_count);
  expect_keyed(in, "parameters", count, "parameter count");

  // Values go to a copy, so net changes only after "end" and the end of the file have been seen.
  Net staged = net;
  std::size_t k = 0;
  std::string why;
  position = 0;
  staged.for_each_layer([&]<class L>(L& layer) {
    ++position;
    const std::size_t first = k + 1;
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
    if constexpr (is_standardize<L>::value) {
      const auto [index, what] = unusable_value(layer);
      if (index < 2 * L::inputs)
        in.fail_at(4 + Net::layer_count + first + index, cat("parameter ", num(first + index), " of ", count,
                                                             ": layer ", num(position), " (Standardize) ", what));
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
}

inline std::string in_quotes(const std::filesystem::path& path)
{
  return cat("\"", path.string(), "\"");
}

[[noreturn]] inline void fail_file(std::string_view verb, const std::filesystem::path& path, const std::string& why)
{
  throw model_file_error(cat("ctnn: cannot ", verb, " ", in_quotes(path), ": ", why));
}

inline std::string errno_text(int error)
{
  return std::error_code(error, std::generic_category()).message();
}

/// The whole file, or model_file_error when it is missing, not a file, unreadable or longer than limit.
inline std::string read_bounded(const std::filesystem::path& path, std::size_t limit)
{
  namespace fs = std::filesystem;
  constexpr std::string_view verb = "load model";
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) fail_file(verb, path, "the file does not exist");
  if (ec) fail_file(verb, path, cat("cannot access the file: ", ec.message()));
  if (fs::is_directory(status)) fail_file(verb, path, "it is a directory, not a model file");

  std::ifstream in(path, std::ios::binary);
  if (!in) fail_file(verb, path, "cannot open the file for reading");
  std::string text;
  char chunk[4096];
  while (text.size() <= limit) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) fail_file(verb, path, "error while reading the file");
  if (text.size() > limit)
    fail_file(verb, path,
              cat("the file is longer than ", num(limit), " bytes, the most a model of this architecture takes"));
  return text;
}

/// Closes a FILE* once; a closer that was not released removes the temporary file too.
struct temporary_file {
  std::FILE* file = nullptr;
  std::filesystem::path path;

  bool close() noexcept
  {
    if (file == nullptr) return true;
    const bool ok = std::fclose(file) == 0;
    file = nullptr;
    return ok;
  }
  ~temporary_file()
  {
    close();
    if (!path.empty()) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  }
};

/// Writes content to path atomically: a new temporary file in the same directory, flushed, checked,
/// closed and renamed over path. On failure the temporary file is gone and model_file_error says why.
inline void write_atomically(const std::filesystem::path& path, std::string_view content, std::string_view verb)
{
  namespace fs = std::filesystem;
  if (path.empty() || !path.has_filename()) fail_file(verb, path, "the path does not name a file");
  std::error_code ec;

  temporary_file tmp;
  // A random name, created exclusively ("x"): another writer's file is never opened, only skipped.
  const int local = 0;
  const auto now = static_cast<std::uint64_t>(fs::file_time_type::clock::now().time_since_epoch().count());
  SplitMix64 names{Seed{now ^ (std::uint64_t{reinterpret_cast<std::uintptr_t>(&local)} << 16)}};
  int error = 0;
  fs::path candidate;
  for (int attempt = 0; attempt < 16 && tmp.file == nullptr; ++attempt) {
    candidate = path;
    candidate += cat(".tmp-", hex_digits(names(), 16));
    errno = 0;
    tmp.file = std::fopen(candidate.string().c_str(), "wbx");
    error = errno;
    if (tmp.file == nullptr && error != EEXIST) break;
  }
  if (tmp.file == nullptr)
    fail_file(verb, path,
              cat("cannot create the temporary file ", in_quotes(candidate), error != 0 ? ": " : "",
                  error != 0 ? errno_text(error) : std::string()));
  tmp.path = candidate;

  const bool written = std::fwrite(content.data(), 1, content.size(), tmp.file) == content.size();
  const bool flushed = std::fflush(tmp.file) == 0 && std::ferror(tmp.file) == 0;
  error = errno;
  const bool closed = tmp.close();
  if (!written || !flushed || !closed)
    fail_file(verb, path,
              cat("cannot write the temporary file ", in_quotes(candidate), error != 0 ? ": " : "",
                  error != 0 ? errno_text(error) : std::string()));

  fs::rename(candidate, path, ec);
  if (ec) {
    std::error_code ignored;
    fail_file(verb, path,
              cat("cannot rename the temporary file ", in_quotes(candidate),
                  " to it: ", fs::is_directory(path, ignored) ? std::string("it is a directory") : ec.message()));
  }
  tmp.path.clear();  // renamed: nothing left to remove
}

// C++ spellings for emit_header.
template <class A>
struct leaky_relu_slope {
  static constexpr bool is_leaky_relu = false;
};
// The ratio as written, not reduced: LeakyReLU<std::ratio<2, 200>> is another type than
// LeakyReLU<std::ratio<1, 100>>, and the emitted header must name the user's.
template <std::intmax_t Num, std::intmax_t Den>
struct leaky_relu_slope<LeakyReLU<std::ratio<Num, Den>>> {
  static constexpr bool is_leaky_relu = true;
  static constexpr std::intmax_t num = Num;
  static constexpr std::intmax_t den = Den;
};

template <class A>
std::string activation_spelling(std::size_t position)
{
  if constexpr (std::is_same_v<A, Sigmoid>) return "ctnn::Sigmoid";
  if constexpr (std::is_same_v<A, Tanh>) return "ctnn::Tanh";
  if constexpr (std::is_same_v<A, ReLU>) return "ctnn::ReLU";
  if constexpr (std::is_same_v<A, Identity>) return "ctnn::Identity";
  if constexpr (std::is_same_v<A, Softplus>) return "ctnn::Softplus";
  if constexpr (std::is_same_v<A, Softmax>) return "ctnn::Softmax";
  if constexpr (leaky_relu_slope<A>::is_leaky_relu) {
    return cat("ctnn::LeakyReLU<std::ratio<", std::to_string(leaky_relu_slope<A>::num), ", ",
               std::to_string(leaky_relu_slope<A>::den), ">>");
  }
  // Not one of ctnn's activations: an impostor with one of their names is a separate mistake.
  const std::string_view name = A::name;
  const std::string layer = cat("layer ", num(position));
  for (const auto& [known, spelling] : {std::pair<std::string_view, std::string_view>{Sigmoid::name, "ctnn::Sigmoid"},
                                        {Tanh::name, "ctnn::Tanh"},
                                        {ReLU::name, "ctnn::ReLU"},
                                        {Identity::name, "ctnn::Identity"},
                                        {Softplus::name, "ctnn::Softplus"},
                                        {Softmax::name, "ctnn::Softmax"}})
    if (name == known)
      throw model_file_error(
          cat("ctnn: cannot emit a header: ", layer, "'s activation is named ", show(name), " but is not ", spelling));
  throw model_file_error(cat("ctnn: cannot emit a header: ", layer, " has the activation ", show(name),
                             ", which has no known C++ spelling (sigmoid, tanh, relu, linear, softplus, softmax, "
                             "leaky_relu)"));
}

template <class L>
std::string layer_spelling(std::size_t position)
{
  if constexpr (is_dense<L>::value) {
    return cat("ctnn::Dense<", num(L::inputs), ", ", num(L::outputs), ", ",
               activation_spelling<typename L::activation_type>(position), ", ", scalar_name<typename L::scalar_type>(),
               ">");
  } else if constexpr (is_standardize<L>::value) {
    return cat("ctnn::Standardize<", num(L::inputs), ", ", scalar_name<typename L::scalar_type>(), ">");
  } else {
    throw model_file_error(cat("ctnn: cannot emit a header: layer ", num(position), " is a ", show(L::kind),
                               ", which has no known C++ spelling (Dense, Standardize)"));
  }
}

/// An exact C++ expression of type T for v: a hex-float literal, or std::bit_cast of its bits when
/// v is not finite.
template <class T>
std::string literal(T v)
{
  if (!math::isfinite(v)) {
    using Bits = bits_type<T>;
    return cat("std::bit_cast<", scalar_name<T>(), ">(std::", sizeof(T) == 8 ? "uint64_t" : "uint32_t", "{0x",
               hex_digits(std::bit_cast<Bits>(v), 2 * sizeof(T)), "})");
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::hex);
  if (result.ec != std::errc{}) throw std::logic_error("ctnn: std::to_chars failed on a model parameter");
  std::string_view digits(buffer, static_cast<std::size_t>(result.ptr - buffer));
  std::string out;
  if (digits.starts_with('-')) {
    out += '-';
    digits.remove_prefix(1);
  }
  out += "0x";
  out += digits;
  if constexpr (std::is_same_v<T, float>) out += 'f';
  return out;
}

inline bool is_identifier(std::string_view name) noexcept
{
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (name.empty() || !letter(name.front())) return false;
  for (char c : name)
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

/// Why name cannot name a constexpr object at global scope, or empty when it can.
inline std::string invalid_name_reason(std::string_view name)
{
  static constexpr std::string_view keywords[] = {
      "alignas",     "alignof",   "and",        "and_eq",    "asm",      "auto",         "bitand",
      "bitor",       "bool",      "break",      "case",      "catch",    "char",         "char8_t",
      "char16_t",    "char32_t",  "class",      "compl",     "concept",  "const",        "consteval",
      "constexpr",   "constinit", "const_cast", "continue",  "co_await", "co_return",    "co_yield",
      "decltype",    "default",   "delete",     "do",        "double",   "dynamic_cast", "else",
      "enum",        "explicit",  "export",     "extern",    "false",    "float",        "for",
      "friend",      "goto",      "if",         "inline",    "int",      "long",         "mutable",
      "namespace",   "new",       "noexcept",   "not",       "not_eq",   "nullptr",      "operator",
      "or",          "or_eq",     "private",    "protected", "public",   "register",     "reinterpret_cast",
      "requires",    "return",    "short",      "signed",    "sizeof",   "static",       "static_assert",
      "static_cast", "struct",    "switch",     "template",  "this",     "thread_local", "throw",
      "true",        "try",       "typedef",    "typeid",    "typename", "union",        "unsigned",
      "using",       "virtual",   "void",       "volatile",  "wchar_t",  "while",        "xor",
      "xor_eq"};
  // Names the generated header itself uses at global scope.
  static constexpr std::string_view taken[] = {"ctnn", "std", "boost", "main"};
  if (!is_identifier(name)) return "it is not a C++ identifier (letters, digits and _, not starting with a digit)";
  for (std::string_view keyword : keywords)
    if (name == keyword) return "it is a C++ keyword";
  if (name.front() == '_' || name.find("__") != std::string_view::npos)
    return "it is reserved (starts with _ or contains __)";
  for (std::string_view other : taken)
    if (name == other) return "it is a name the generated header uses";
  return {};
}

}  // namespace detail::model_file

/// The model text of net, as the format at the top of this header defines it. Throws model_file_error
/// when a Standardize layer holds a value load() would reject (a deviation that is not positive).
template <class... Layers>
std::string model_text(const Network<Layers...>& net)
{
  namespace mf = detail::model_file;
  mf::require_file_layers<Layers...>();
  using Net = Network<Layers...>;
  std::string out = mf::cat("ctnn-model ", mf::num(model_file_version), "\n");
  out += mf::cat("scalar ", mf::scalar_name<typename Net::scalar_type>(), "\n");
  out += mf::cat("layers ", mf::num(Net::layer_count), "\n");
  std::size_t position = 0;
  mf::require_usable_values(net, "write the model");
  net.for_each_layer([&]<class L>(const L&) { out += mf::cat(mf::layer_line<L>(++position), "\n"); });
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
void load_model_text_into(Network<Layers...>& net, std::string_view text, std::string_view source = "<text>")
{
  detail::model_file::parse_into(net, text, source);
}

/// Saves net to path atomically (see the top of this header); throws model_file_error.
template <class... Layers>
void save(const Network<Layers...>& net, const std::filesystem::path& path)
{
  detail::model_file::write_atomically(path, model_text(net), "save model");
}

/// Loads the model at path into net; on any error throws model_file_error and leaves net untouched.
template <class... Layers>
void load_into(Network<Layers...>& net, const std::filesystem::path& path)
{
  detail::model_file::require_file_layers<Layers...>();
  const std::string text =
      detail::model_file::read_bounded(path, detail::model_file::max_file_size<Network<Layers...>>());
  detail::model_file::parse_into(net, text, path.string());
}

/// The model saved at path as a Net (a Network type); throws model_file_error.
template <class Net>
  requires detail::model_file::is_network<Net>::value
Net load(const std::filesystem::path& path)
{
  Net net{};
  load_into(net, path);
  return net;
}

/// The text of a C++ header that defines net as `inline constexpr <its Network type> <name>`, every
/// parameter an exact hex-float literal, so the constexpr model has net's parameters bit for bit.
/// Throws model_file_error when name is not a usable identifier or a layer has no known spelling.
template <class... Layers>
std::string model_header(const Network<Layers...>& net, std::string_view name)
{
  namespace mf = detail::model_file;
  if (const std::string why = mf::invalid_name_reason(name); !why.empty())
    throw model_file_error(mf::cat("ctnn: cannot emit a header: the name ", mf::show(name), " cannot be used: ", why));
  mf::require_usable_values(net, "emit a header");

  std::string layer_types[sizeof...(Layers)];
  {
    std::size_t position = 0;
    net.for_each_layer([&]<class L>(const L&) {
      layer_types[position] = mf::layer_spelling<L>(position + 1);
      ++position;
    });
  }
  std::string type = "ctnn::Network<";
  for (std::size_t i = 0; i < sizeof...(Layers); ++i) type += mf::cat(i > 0 ? ", " : "", layer_types[i]);
  type += ">";

  std::string out =
      "#pragma once\n"
      "// Generated by ctnn::emit_header: a trained model as a constexpr object. Every parameter is an\n"
      "// exact hexadecimal literal, so this model has the bits of the one it was written from. Do not edit.\n"
      "\n"
      "#include <bit>\n"
      "#include <cstdint>\n"
      "\n"
      "#include <ctnn/ctnn.hpp>\n"
      "\n";
  out += mf::cat("inline constexpr ", type, " ", name, "{{\n");
  std::size_t position = 0;
  const auto values_line = [&](const auto& values) {
    for (std::size_t i = 0; i < std::size(values); ++i) out += mf::cat(i > 0 ? ", " : "", mf::literal(values[i]));
    out += "\n";
  };
  net.for_each_layer([&]<class L>(const L& layer) {
    if constexpr (mf::is_standardize<L>::value) {
      out += mf::cat("    ", layer_types[position], "{\n");
      out += mf::cat("        {{  // layer ", mf::num(position + 1), " mean\n            ");
      values_line(layer.mean.values);
      out += "        }},\n";
      out += mf::cat("        {{  // layer ", mf::num(position + 1), " deviation\n            ");
      values_line(layer.deviation.values);
      out += "        }}}";
      ++position;
      out += position < sizeof...(Layers) ? ",\n" : "\n";
    } else if constexpr (mf::is_dense<L>::value) {  // any other kind made layer_spelling throw above
      out += mf::cat("    ", layer_types[position], "{\n");
      out += mf::cat("        {{  // layer ", mf::num(position + 1), " weights, ", mf::num(L::outputs), " x ",
                     mf::num(L::inputs), ", row-major\n");
      for (std::size_t r = 0; r < L::outputs; ++r) {
        out += "            ";
        for (std::size_t c = 0; c < L::inputs; ++c) {
          out += mf::literal(layer.weights.values[r * L::inputs + c]);
          out += c + 1 < L::inputs ? ", " : (r + 1 < L::outputs ? ",\n" : "\n");
        }
      }
      out += "        }},\n";
      out += mf::cat("        {{  // layer ", mf::num(position + 1), " bias\n            ");
      for (std::size_t r = 0; r < L::outputs; ++r) {
        out += mf::literal(layer.bias.values[r]);
        out += r + 1 < L::outputs ? ", " : "\n";
      }
      out += "        }}}";
      ++position;
      out += position < sizeof...(Layers) ? ",\n" : "\n";
    }
  });
  out += "}};\n\n";
  const std::uint64_t fingerprint = parameter_fingerprint(net);
  out += mf::cat("static_assert(parameter_fingerprint(", name, ") == std::uint64_t{0x", mf::hex_digits(fingerprint, 16),
                 "},\n              \"ctnn: ", name, " must have the parameters it was generated from\");\n");
  return out;
}

/// Writes model_header(net, name) to path atomically; throws model_file_error (and writes nothing)
/// when name or a layer cannot be spelled, or the file cannot be written.
template <class... Layers>
void emit_header(const Network<Layers...>& net, const std::filesystem::path& path, std::string_view name)
{
  detail::model_file::write_atomically(path, model_header(net, name), "emit header");
}

}  // namespace ctnn
