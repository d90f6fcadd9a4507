#pragma once
// emit_header, runtime only: a trained Network as a C++ header that defines the same model as a
// constexpr object, every value an exact hexadecimal literal (docs/model_file.md, "Generated
// headers"). The header includes only what the model needs: <ctnn/fingerprint.hpp> (Network and the
// fingerprints) and each layer's own header, and checks both fingerprints in static_asserts, so a
// changed value or a changed architecture (an activation, a hyper-parameter) does not compile.
//
//   ctnn::emit_header(net, "model.hpp", "my_model");   // inline constexpr <Net> my_model{...};
//   ctnn::model_header(net, "my_model")                // the same text, in memory
//
// A layer is spelled through the layer protocol (layer.hpp): its spell() gives its C++ type, its
// header where it is defined, and spell_values() its values as an aggregate; without spell_values
// it is written as ctnn::layer_from_values<Type>({...}).

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ratio>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "ctnn/activation.hpp"
#include "ctnn/detail/file_io.hpp"
#include "ctnn/detail/text.hpp"
#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"
#include "ctnn/fingerprint.hpp"
#include "ctnn/layer.hpp"
#include "ctnn/math.hpp"
#include "ctnn/model_file.hpp"
#include "ctnn/network.hpp"

namespace ctnn {

namespace detail::header {

using detail::cat;
using detail::hex_digits;
using detail::num;
using detail::show;

[[noreturn]] inline void fail(const std::string& why)
{
  raise(model_file_error(cat("ctnn: cannot emit a header: ", why)));
}

// The C++ spelling of ctnn's own activations; another activation spells itself with a static
// spell(W&) member, as layers do.
template <class A>
struct activation_spelling {
  static constexpr std::string_view text{};
};
template <>
struct activation_spelling<Sigmoid> {
  static constexpr std::string_view text = "ctnn::Sigmoid";
};
template <>
struct activation_spelling<Tanh> {
  static constexpr std::string_view text = "ctnn::Tanh";
};
template <>
struct activation_spelling<ReLU> {
  static constexpr std::string_view text = "ctnn::ReLU";
};
template <>
struct activation_spelling<Identity> {
  static constexpr std::string_view text = "ctnn::Identity";
};
template <>
struct activation_spelling<Softplus> {
  static constexpr std::string_view text = "ctnn::Softplus";
};
template <>
struct activation_spelling<Softmax> {
  static constexpr std::string_view text = "ctnn::Softmax";
};

// The ratio as written, not reduced: LeakyReLU<std::ratio<2, 200>> is another type than
// LeakyReLU<std::ratio<1, 100>>, and the emitted header must name the user's.
template <class A>
struct leaky_relu_slope {
  static constexpr bool is_leaky_relu = false;
};
template <std::intmax_t Num, std::intmax_t Den>
struct leaky_relu_slope<LeakyReLU<std::ratio<Num, Den>>> {
  static constexpr bool is_leaky_relu = true;
  static constexpr std::intmax_t num = Num;
  static constexpr std::intmax_t den = Den;
};

/// What a layer's spell(W&) writes to: the C++ type, for the generated header.
class type_writer {
 public:
  explicit type_writer(std::size_t position) : position_{position} {}

  void text(std::string_view s) { out_ += s; }
  void number(std::size_t n) { out_ += num(n); }
  void number(std::intmax_t n) { out_ += std::to_string(n); }
  template <class T>
  void scalar()
  {
    static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>, "ctnn: headers hold float or double values");
    out_ += detail::scalar_name<T>();
  }
  template <class A>
  void activation()
  {
    if constexpr (requires(type_writer& w) { A::spell(w); }) {
      A::spell(*this);
    } else if constexpr (!activation_spelling<A>::text.empty()) {
      out_ += activation_spelling<A>::text;
    } else if constexpr (leaky_relu_slope<A>::is_leaky_relu) {
      out_ += cat("ctnn::LeakyReLU<std::ratio<", std::to_string(leaky_relu_slope<A>::num), ", ",
                  std::to_string(leaky_relu_slope<A>::den), ">>");
    } else {
      // Not one of ctnn's activations: an impostor with one of their names is a separate mistake.
      const std::string_view name = A::name;
      const std::string layer = cat("layer ", num(position_));
      for (const auto& [known, spelling] :
           {std::pair<std::string_view, std::string_view>{Sigmoid::name, "ctnn::Sigmoid"},
            {Tanh::name, "ctnn::Tanh"},
            {ReLU::name, "ctnn::ReLU"},
            {Identity::name, "ctnn::Identity"},
            {Softplus::name, "ctnn::Softplus"},
            {Softmax::name, "ctnn::Softmax"}})
        if (name == known) fail(cat(layer, "'s activation is named ", show(name), " but is not ", spelling));
      fail(cat(layer, " has the activation ", show(name),
               ", which has no known C++ spelling (give it a static spell(W&) member, see docs/extending.md)"));
    }
  }

  const std::string& str() const noexcept { return out_; }

 private:
  std::size_t position_;
  std::string out_;
};

/// An exact C++ expression of type T for v: a hex-float literal, or std::bit_cast of its bits when
/// v is not finite.
template <class T>
std::string literal(T v)
{
  if (!math::isfinite(v)) {
    using Bits = bits_of<T>;
    return cat("std::bit_cast<", detail::scalar_name<T>(), ">(std::", sizeof(T) == 8 ? "uint64_t" : "uint32_t", "{0x",
               hex_digits(std::bit_cast<Bits>(v), 2 * sizeof(T)), "})");
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::hex);
  if (result.ec != std::errc{}) fail("std::to_chars failed on a model parameter");
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

/// What a layer's spell_values(W&) writes to: each tensor as a braced, commented block of literals.
class values_writer {
 public:
  explicit values_writer(std::size_t position) : position_{position} {}

  /// A vector of values, on one line.
  template <class T, std::size_t N>
  void array(std::string_view label, const T (&values)[N])
  {
    begin(label);
    out_ += "            ";
    for (std::size_t i = 0; i < N; ++i) out_ += cat(i > 0 ? ", " : "", literal(values[i]));
    out_ += "\n        }}";
  }
  /// A row-major matrix, a line per row.
  template <class T, std::size_t N>
  void matrix(std::string_view label, const T (&values)[N], std::size_t rows, std::size_t cols)
  {
    begin(cat(label, ", ", num(rows), " x ", num(cols), ", row-major"));
    for (std::size_t r = 0; r < rows; ++r) {
      out_ += "            ";
      for (std::size_t c = 0; c < cols; ++c) {
        out_ += literal(values[r * cols + c]);
        out_ += c + 1 < cols ? ", " : (r + 1 < rows ? ",\n" : "\n");
      }
    }
    out_ += "        }}";
  }

  const std::string& str() const noexcept { return out_; }

 private:
  void begin(std::string_view label)
  {
    if (!out_.empty()) out_ += ",\n";
    out_ += cat("        {{  // layer ", num(position_), " ", label, "\n");
  }

  std::size_t position_;
  std::string out_;
};

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
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  bool identifier = !name.empty() && letter(name.front());
  for (char c : name) identifier = identifier && (letter(c) || (c >= '0' && c <= '9'));
  if (!identifier) return "it is not a C++ identifier (letters, digits and _, not starting with a digit)";
  for (std::string_view keyword : keywords)
    if (name == keyword) return "it is a C++ keyword";
  if (name.front() == '_' || name.find("__") != std::string_view::npos)
    return "it is reserved (starts with _ or contains __)";
  for (std::string_view other : taken)
    if (name == other) return "it is a name the generated header uses";
  return {};
}

/// A C++ string literal of s (for class names).
inline std::string string_literal(std::string_view s)
{
  constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      // An octal escape is at most three digits, so the next character cannot extend it.
      out += '\\';
      out += static_cast<char>('0' + (c >> 6));
      out += static_cast<char>('0' + ((c >> 3) & 7));
      out += static_cast<char>('0' + (c & 7));
    }
  }
  (void)hex;
  return out + "\"";
}

}  // namespace detail::header

/// The text of a C++ header that defines net as `inline constexpr <its Network type> <name>`, every
/// value an exact hex-float literal, so the constexpr model has net's values bit for bit; with class
/// names, also `inline constexpr std::string_view <name>_class_names[]`. Raises model_file_error when
/// name is not a usable identifier or a layer cannot be spelled.
template <class... Layers>
[[nodiscard]] std::string model_header(const Network<Layers...>& net, std::string_view name,
                                       const std::vector<std::string>& class_names = {})
{
  namespace h = detail::header;
  using Net = Network<Layers...>;
  if (const std::string why = h::invalid_name_reason(name); !why.empty())
    h::fail(h::cat("the name ", h::show(name), " cannot be used: ", why));
  detail::model_file::require_usable_values(net, "emit a header");
  constexpr std::size_t classes = Net::outputs == 1 ? 2 : Net::outputs;
  if (!class_names.empty() && class_names.size() != classes)
    h::fail(h::cat("the model has ", h::num(classes), " output classes but ", h::num(class_names.size()),
                   " class names were given"));

  std::vector<std::string> includes{"ctnn/fingerprint.hpp"};
  std::string layer_types[sizeof...(Layers)];
  {
    std::size_t position = 0;
    const auto spell = [&]<class L>(const L&) {
      ++position;
      if constexpr (requires(h::type_writer& w) { L::spell(w); }) {
        h::type_writer writer{position};
        L::spell(writer);
        layer_types[position - 1] = writer.str();
      } else {
        h::fail(h::cat("layer ", h::num(position), " is a ", h::show(L::kind),
                       ", which has no C++ spelling (give it a static spell(W&) member, see docs/extending.md)"));
      }
      // An activation defined outside the layer's header (ELU, say) names its own header.
      if constexpr (requires { std::string_view(L::activation_type::header); })
        includes.emplace_back(L::activation_type::header);
      if constexpr (requires { std::string_view(L::header); }) {
        includes.emplace_back(L::header);
      } else {
        h::fail(h::cat("layer ", h::num(position), " is a ", h::show(L::kind),
                       ", which does not say which header defines it (static constexpr std::string_view header)"));
      }
    };
    net.for_each_layer(spell);
  }
  std::sort(includes.begin(), includes.end());
  includes.erase(std::unique(includes.begin(), includes.end()), includes.end());

  std::string type = "ctnn::Network<";
  for (std::size_t i = 0; i < sizeof...(Layers); ++i) type += h::cat(i > 0 ? ", " : "", layer_types[i]);
  type += ">";

  std::string out =
      "#pragma once\n"
      "// Generated by ctnn::emit_header: a trained model as a constexpr object. Every parameter is an\n"
      "// exact hexadecimal literal, so this model has the bits of the one it was written from. Do not edit.\n"
      "\n"
      "#include <bit>\n"
      "#include <cstdint>\n";
  if (!class_names.empty()) out += "#include <string_view>\n";
  out += "\n";
  for (const auto& include : includes) out += h::cat("#include <", include, ">\n");
  out += "\n";
  out += h::cat("inline constexpr ", type, " ", name, "{{\n");
  std::size_t position = 0;
  net.for_each_layer([&]<class L>(const L& layer) {
    ++position;
    if constexpr (requires(h::values_writer& w) { layer.spell_values(w); }) {
      h::values_writer writer{position};
      layer.spell_values(writer);
      out += h::cat("    ", layer_types[position - 1], "{\n", writer.str(), "}");
    } else if constexpr (stored_value_count_of<L> == 0) {
      out += h::cat("    ", layer_types[position - 1], "{}");
    } else {
      out +=
          h::cat("    ctnn::layer_from_values<", layer_types[position - 1], ">({  // layer ", h::num(position), "\n");
      std::string values;
      std::size_t count = 0;
      detail::visit_stored_values(layer, [&](const auto& tensor) {
        for (const auto v : tensor) values += h::cat(count++ > 0 ? ", " : "", h::literal(v));
      });
      out += h::cat("        ", values, "\n    })");
    }
    out += position < sizeof...(Layers) ? ",\n" : "\n";
  });
  out += "}};\n\n";
  if (!class_names.empty()) {
    out += h::cat("inline constexpr std::string_view ", name, "_class_names[] = {");
    for (std::size_t i = 0; i < class_names.size(); ++i)
      out += h::cat(i > 0 ? ", " : "", h::string_literal(class_names[i]));
    out += "};\n\n";
  }
  out += h::cat("static_assert(ctnn::parameter_fingerprint(", name, ") == std::uint64_t{0x",
                h::hex_digits(parameter_fingerprint(net), 16), "},\n              \"ctnn: ", name,
                " must have the parameters it was generated from\");\n");
  out += h::cat("static_assert(ctnn::architecture_fingerprint(", name, ") == std::uint64_t{0x",
                h::hex_digits(architecture_fingerprint<Net>(), 16), "},\n              \"ctnn: ", name,
                " must have the architecture it was generated from\");\n");
  return out;
}

/// Writes model_header(net, name, class_names) to path atomically; raises model_file_error (and
/// writes nothing) when name or a layer cannot be spelled, or the file cannot be written.
template <class... Layers>
void emit_header(const Network<Layers...>& net, const std::filesystem::path& path, std::string_view name,
                 const std::vector<std::string>& class_names = {})
{
  detail::write_atomically(path, model_header(net, name, class_names),
                           detail::model_file::file_failure{"emit header", path});
}

}  // namespace ctnn
