#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iterator>
#include <limits>
#include <random>
#include <ratio>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <ctnn/ctnn.hpp>

namespace fs = std::filesystem;

namespace {

using Xor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
using Deep = ctnn::Network<ctnn::Dense<2, 4, ctnn::Tanh>, ctnn::Dense<4, 4, ctnn::ReLU>,
                           ctnn::Dense<4, 2, ctnn::Identity>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;
using Single = ctnn::Network<ctnn::Dense<2, 1, ctnn::Sigmoid>>;
using FloatXor = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid, float>, ctnn::Dense<3, 1, ctnn::Sigmoid, float>>;
using FloatDeep = ctnn::Network<ctnn::Dense<2, 5, ctnn::Tanh, float>, ctnn::Dense<5, 3, ctnn::ReLU, float>,
                                ctnn::Dense<3, 1, ctnn::Identity, float>>;
using Wide = ctnn::Network<ctnn::Dense<16, 16, ctnn::Identity>, ctnn::Dense<16, 8, ctnn::Tanh>>;
using FloatWide = ctnn::Network<ctnn::Dense<16, 16, ctnn::Identity, float>, ctnn::Dense<16, 8, ctnn::Tanh, float>>;

// Activations that are not ctnn's: one with a name emit_header cannot spell, one that borrows a name.
struct Swish {
  static constexpr std::string_view name = "swish";
  template <class T, std::size_t N>
  static constexpr void forward(const T (&h)[N], T (&y)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) y[i] = h[i];
  }
  template <class T, std::size_t N>
  static constexpr void backward(const T (&)[N], const T (&)[N], const T (&dy)[N], T (&dh)[N]) noexcept
  {
    for (std::size_t i = 0; i < N; ++i) dh[i] = dy[i];
  }
};
struct FakeSigmoid : Swish {
  static constexpr std::string_view name = "sigmoid";
};
using SwishNet = ctnn::Network<ctnn::Dense<2, 2, Swish>, ctnn::Dense<2, 1, ctnn::Sigmoid>>;
using FakeNet = ctnn::Network<ctnn::Dense<2, 1, FakeSigmoid>>;

/// A fresh directory under the system's temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir()
  {
    std::random_device entropy;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const fs::path candidate =
          fs::temp_directory_path() / ("ctnn-model-file-test-" + std::to_string(entropy()) + std::to_string(entropy()));
      if (fs::create_directory(candidate)) {
        path_ = candidate;
        return;
      }
    }
    FAIL("cannot create a temporary directory");
  }
  ~TempDir()
  {
    std::error_code ignored;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

/// The names in a directory, sorted.
std::vector<std::string> entries(const fs::path& dir)
{
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_text(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const fs::path& path, std::string_view text)
{
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  REQUIRE(out.good());
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joined(const std::vector<std::string>& lines)
{
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

/// The spec's checksum, written out independently of ctnn: FNV-1a 64 over each value's IEEE-754 bits,
/// least significant byte first, as 16 lowercase hex digits.
template <class Values>
std::string fnv1a_hex(const Values& values)
{
  std::uint64_t hash = 14695981039346656037u;
  for (const auto v : values) {
    std::uint64_t bits = 0;
    if constexpr (sizeof v == 8)
      bits = std::bit_cast<std::uint64_t>(v);
    else
      bits = std::bit_cast<std::uint32_t>(v);
    for (std::size_t byte = 0; byte < sizeof v; ++byte) {
      hash ^= (bits >> (8 * byte)) & 0xffu;
      hash *= 1099511628211u;
    }
  }
  std::ostringstream out;
  out << std::hex << std::setw(16) << std::setfill('0') << hash;
  return out.str();
}

std::string upper(std::string s)
{
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

/// What a call threw: only model_file_error is caught; anything else fails the test case.
struct Caught {
  bool thrown = false;
  std::string what;
  std::size_t line = 0;
};

template <class F>
Caught capture(F&& f)
{
  try {
    f();
  } catch (const ctnn::model_file_error& e) {
    return {true, e.what(), e.line()};
  }
  return {};
}

template <class Net>
Net trained(std::uint64_t seed, std::size_t epochs = 50)
{
  Net net = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{seed});
  using T = typename Net::scalar_type;
  ctnn::fit(net, ctnn::datasets::xor_gate<T>(), ctnn::MeanSquaredError{}, ctnn::SGD{T(0.1)}, {.epochs = epochs});
  return net;
}

/// Every parameter of net set from bits(), in parameters() order.
template <class Net, class Bits>
void set_parameters(Net& net, Bits bits)
{
  net.for_each_layer([&](auto& layer) {
    layer.visit_parameters([&](auto& tensor) {
      for (auto& value : tensor) value = bits();
    });
  });
}

/// Loads path (or text) into a network of type Net and checks the error: its type, that what()
/// holds every fragment, the line it reports, and that the destination kept its bits.
template <class Net>
void check_load_fails(const fs::path& path, const std::vector<std::string>& fragments, std::size_t line)
{
  Net destination = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{99});
  const Net before = destination;
  const Caught caught = capture([&] { ctnn::load_into(destination, path); });
  CHECK(caught.thrown);
  CHECK_THAT(caught.what, Catch::Contains("ctnn: cannot load model \"" + path.string() + "\""));
  for (const auto& fragment : fragments) CHECK_THAT(caught.what, Catch::Contains(fragment));
  CHECK(caught.line == line);
  CHECK(bitwise_equal(destination, before));
  CHECK(capture([&] { (void)ctnn::load<Net>(path); }).thrown);
}

template <class Net>
void check_text_fails(std::string_view text, const std::string& fragment, std::size_t line)
{
  Net destination = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{99});
  const Net before = destination;
  const Caught caught = capture([&] { ctnn::load_model_text_into(destination, text, "memory"); });
  CHECK(caught.thrown);
  CHECK_THAT(caught.what, Catch::Contains(fragment));
  CHECK(caught.line == line);
  CHECK(bitwise_equal(destination, before));
}

template <class Net>
void check_round_trip(const TempDir& dir, const Net& net, const std::string& name)
{
  INFO(name);
  const fs::path path = dir / name;
  ctnn::save(net, path);
  const Net loaded = ctnn::load<Net>(path);
  CHECK(bitwise_equal(loaded, net));
  CHECK(parameter_fingerprint(loaded) == parameter_fingerprint(net));

  Net into = ctnn::initialized<Net>(ctnn::Uniform01{}, ctnn::Seed{12345});
  ctnn::load_into(into, path);
  CHECK(bitwise_equal(into, net));

  // The text is a function of the bits: saving the loaded model writes the same bytes.
  CHECK(read_text(path) == ctnn::model_text(loaded));
}

}  // namespace

TEST_CASE("model_file: save then load gives the same bits, for double and float networks of several architectures")
{
  const TempDir dir;
  check_round_trip(dir, trained<Xor>(1, 500), "xor.model");
  check_round_trip(dir, trained<Deep>(2), "deep.model");
  check_round_trip(dir, trained<Single>(3), "single.model");
  check_round_trip(dir, trained<FloatXor>(4, 500), "float_xor.model");
  check_round_trip(dir, trained<FloatDeep>(5), "float_deep.model");
  check_round_trip(dir, ctnn::initialized<Wide>(ctnn::Uniform01{}, ctnn::Seed{6}), "wide.model");
  check_round_trip(dir, ctnn::initialized<FloatWide>(ctnn::Uniform01{}, ctnn::Seed{7}), "float_wide.model");
  check_round_trip(dir, ctnn::initialized<SwishNet>(ctnn::Uniform01{}, ctnn::Seed{8}), "swish.model");

  // Saving over an existing model replaces it, and the directory holds nothing else.
  const Xor first = trained<Xor>(10), second = trained<Xor>(11);
  ctnn::save(first, dir / "again.model");
  ctnn::save(second, dir / "again.model");
  CHECK(bitwise_equal(ctnn::load<Xor>(dir / "again.model"), second));
  CHECK(entries(dir.path()) == std::vector<std::string>{"again.model", "deep.model", "float_deep.model",
                                                        "float_wide.model", "float_xor.model", "single.model",
                                                        "swish.model", "wide.model", "xor.model"});
}

TEST_CASE("model_file: the file is the documented text")
{
  Xor net{};
  const double values[] = {0.5,
                           -0.0,
                           0.1,
                           1e-300,
                           5e-324,
                           -2.5,
                           std::numeric_limits<double>::infinity(),
                           3.0,
                           -std::numeric_limits<double>::infinity(),
                           1e300,
                           0.0,
                           std::numeric_limits<double>::quiet_NaN(),
                           std::bit_cast<double>(0xfff0000000000001u)};
  std::size_t next = 0;
  set_parameters(net, [&] { return values[next++]; });
  // The architecture line: FNV-1a 64 of the three lines above it, computed here byte by byte.
  std::uint64_t architecture = 0xcbf29ce484222325u;
  for (const char c :
       std::string_view("scalar double\nlayers 2\nlayer 1 Dense 2 3 sigmoid\nlayer 2 Dense 3 1 sigmoid\n")) {
    architecture ^= static_cast<unsigned char>(c);
    architecture *= 0x100000001b3u;
  }
  char architecture_hex[17];
  std::snprintf(architecture_hex, sizeof architecture_hex, "%016llx", static_cast<unsigned long long>(architecture));
  CHECK(ctnn::architecture_fingerprint(net) == architecture);
  CHECK(ctnn::model_text(net) ==
        "ctnn-model 3\n"
        "scalar double\n"
        "layers 2\n"
        "layer 1 Dense 2 3 sigmoid\n"
        "layer 2 Dense 3 1 sigmoid\n"
        "architecture " +
            std::string(architecture_hex) +
            "\n"
            "parameters 13\n"
            "0.5\n-0\n0.1\n1e-300\n5e-324\n-2.5\ninf\n3\n-inf\n1e+300\n0\n"
            "nan:0x7ff8000000000000\n"
            "nan:0xfff0000000000001\n"
            "checksum " +
            fnv1a_hex(values) +
            "\n"
            "end\n");

  FloatDeep small{};
  set_parameters(small, [] { return 0.1f; });
  const auto lines = lines_of(ctnn::model_text(small));
  REQUIRE(lines.size() == 8 + FloatDeep::parameter_count + 2);
  CHECK(lines[1] == "scalar float");
  CHECK(lines[3] == "layer 1 Dense 2 5 tanh");
  CHECK(lines[4] == "layer 2 Dense 5 3 relu");
  CHECK(lines[5] == "layer 3 Dense 3 1 linear");
  CHECK(lines[6].starts_with("architecture "));
  CHECK(lines[7] == "parameters 37");
  CHECK(lines[8] == "0.1");  // the shortest float text, not the double 0.100000001490116...
  const std::vector<float> tenths(FloatDeep::parameter_count, 0.1f);
  CHECK(lines[8 + FloatDeep::parameter_count] == "checksum " + fnv1a_hex(tenths));
  CHECK(ctnn::model_file_version == 3);
}

TEST_CASE("model_file: special values and random bit patterns round-trip exactly")
{
  const TempDir dir;
  using D = std::numeric_limits<double>;
  using F = std::numeric_limits<float>;
  const double special_doubles[] = {0.0,
                                    -0.0,
                                    D::denorm_min(),
                                    -D::denorm_min(),
                                    std::bit_cast<double>(std::uint64_t{0x000fffffffffffff}),  // largest subnormal
                                    D::min(),
                                    -D::min(),
                                    D::max(),
                                    D::lowest(),
                                    D::epsilon(),
                                    D::infinity(),
                                    -D::infinity(),
                                    D::quiet_NaN(),
                                    -D::quiet_NaN(),
                                    D::signaling_NaN(),
                                    std::bit_cast<double>(std::uint64_t{0x7ff0000000000001}),
                                    std::bit_cast<double>(std::uint64_t{0xfff7ffffffffffff}),
                                    std::bit_cast<double>(std::uint64_t{0x7ff8dead0000beef}),
                                    0.1,
                                    1.0 / 3.0,
                                    1e23};
  const float special_floats[] = {0.0f,
                                  -0.0f,
                                  F::denorm_min(),
                                  -F::denorm_min(),
                                  std::bit_cast<float>(std::uint32_t{0x007fffff}),
                                  F::min(),
                                  F::max(),
                                  F::lowest(),
                                  F::infinity(),
                                  -F::infinity(),
                                  F::quiet_NaN(),
                                  -F::quiet_NaN(),
                                  F::signaling_NaN(),
                                  std::bit_cast<float>(std::uint32_t{0x7f800001}),
                                  std::bit_cast<float>(std::uint32_t{0xffc0beef}),
                                  0.1f,
                                  16777217.0f};

  SECTION("special doubles, through a file")
  {
    Wide net{};
    std::size_t next = 0;
    set_parameters(net, [&] { return special_doubles[next++ % std::size(special_doubles)]; });
    ctnn::save(net, dir / "special.model");
    CHECK(bitwise_equal(ctnn::load<Wide>(dir / "special.model"), net));
  }
  SECTION("special floats, through a file")
  {
    FloatWide net{};
    std::size_t next = 0;
    set_parameters(net, [&] { return special_floats[next++ % std::size(special_floats)]; });
    ctnn::save(net, dir / "special.model");
    CHECK(bitwise_equal(ctnn::load<FloatWide>(dir / "special.model"), net));
  }
  SECTION("random 64-bit patterns")
  {
    ctnn::Random rng{ctnn::Seed{20240601}};
    for (int round = 0; round < 100; ++round) {
      Wide net{};
      set_parameters(net, [&] { return std::bit_cast<double>(rng()); });
      Wide loaded{};
      ctnn::load_model_text_into(loaded, ctnn::model_text(net));
      REQUIRE(bitwise_equal(loaded, net));
    }
  }
  SECTION("random 32-bit patterns, and the subnormal and NaN ranges of float")
  {
    ctnn::Random rng{ctnn::Seed{77}};
    for (int round = 0; round < 300; ++round) {
      FloatWide net{};
      set_parameters(net, [&] {
        const auto bits = static_cast<std::uint32_t>(rng() >> 32);
        // A third of the values forced into the subnormal range, a third into the NaN/inf range.
        switch (bits % 3) {
          case 0:
            return std::bit_cast<float>(bits & 0x807fffffu);
          case 1:
            return std::bit_cast<float>(bits | 0x7f800000u);
          default:
            return std::bit_cast<float>(bits);
        }
      });
      FloatWide loaded{};
      ctnn::load_model_text_into(loaded, ctnn::model_text(net));
      REQUIRE(bitwise_equal(loaded, net));
    }
  }
  SECTION("subnormal doubles")
  {
    ctnn::Random rng{ctnn::Seed{5}};
    for (int round = 0; round < 30; ++round) {
      Wide net{};
      set_parameters(net, [&] { return std::bit_cast<double>(rng() & 0x800fffffffffffffu); });
      Wide loaded{};
      ctnn::load_model_text_into(loaded, ctnn::model_text(net));
      REQUIRE(bitwise_equal(loaded, net));
    }
  }
  CHECK(entries(dir.path()).size() <= 1);
}

TEST_CASE("model_file: a file of another architecture is rejected, naming the field, and changes nothing")
{
  const TempDir dir;
  const fs::path path = dir / "xor.model";
  ctnn::save(trained<Xor>(1), path);

  SECTION("layer count")
  {
    check_load_fails<Single>(path, {"line 3: layer count: expected 1, found \"2\""}, 3);
    check_load_fails<Deep>(path, {"line 3: layer count: expected 4, found \"2\""}, 3);
  }
  SECTION("scalar type")
  {
    check_load_fails<FloatXor>(path, {"line 2: scalar type: expected float, found \"double\""}, 2);
    ctnn::save(trained<FloatXor>(1), dir / "float.model");
    check_load_fails<Xor>(dir / "float.model", {"line 2: scalar type: expected double, found \"float\""}, 2);
  }
  SECTION("inputs, outputs and activation of each layer")
  {
    using Inputs = ctnn::Network<ctnn::Dense<3, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
    using Hidden = ctnn::Network<ctnn::Dense<2, 4, ctnn::Sigmoid>, ctnn::Dense<4, 1, ctnn::Sigmoid>>;
    using Outputs = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 2, ctnn::Sigmoid>>;
    using FirstActivation = ctnn::Network<ctnn::Dense<2, 3, ctnn::Tanh>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
    using LastActivation = ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Identity>>;
    using Custom = ctnn::Network<ctnn::Dense<2, 3, Swish>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
    check_load_fails<Inputs>(path, {"line 4: layer 1 inputs: expected 3, found \"2\""}, 4);
    check_load_fails<Hidden>(path, {"line 4: layer 1 outputs: expected 4, found \"3\""}, 4);
    check_load_fails<Outputs>(path, {"line 5: layer 2 outputs: expected 2, found \"1\""}, 5);
    check_load_fails<FirstActivation>(path, {"line 4: layer 1 activation: expected tanh, found \"sigmoid\""}, 4);
    check_load_fails<LastActivation>(path, {"line 5: layer 2 activation: expected linear, found \"sigmoid\""}, 5);
    check_load_fails<Custom>(path, {"line 4: layer 1 activation: expected swish, found \"sigmoid\""}, 4);
  }
  SECTION("kind")
  {
    auto lines = lines_of(read_text(path));
    lines[4] = "layer 2 Conv2D 3 1 sigmoid";
    write_text(path, joined(lines));
    check_load_fails<Xor>(path, {"line 5: layer 2 kind: expected Dense, found \"Conv2D\""}, 5);
  }
}

TEST_CASE("model_file: a file with CR LF line ends (a Windows editor, git autocrlf) loads as the same model")
{
  const TempDir dir;
  for (const auto& net : {trained<Xor>(1, 500), trained<Xor>(2, 500)}) {
    std::string crlf;
    for (char c : ctnn::model_text(net)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    write_text(dir / "crlf.model", crlf);
    const Xor loaded = ctnn::load<Xor>(dir / "crlf.model");
    CHECK(bitwise_equal(loaded, net));
    Xor from_text{};
    ctnn::load_model_text_into(from_text, crlf, "memory");
    CHECK(bitwise_equal(from_text, net));
  }
  const FloatDeep deep = trained<FloatDeep>(5);
  std::string mixed;  // some lines one way, some the other
  std::size_t line = 0;
  for (char c : ctnn::model_text(deep)) mixed += c == '\n' && ++line % 2 ? std::string("\r\n") : std::string(1, c);
  FloatDeep loaded{};
  ctnn::load_model_text_into(loaded, mixed, "memory");
  CHECK(bitwise_equal(loaded, deep));
}

TEST_CASE("model_file: every truncation of a valid file is rejected")
{
  const TempDir dir;
  const std::string text = ctnn::model_text(trained<Xor>(1));
  const auto lines = lines_of(text);
  REQUIRE(lines.size() == 22);

  // After each whole line: the next line is reported missing, with what it should have been.
  const std::string expected_next[] = {"\"ctnn-model 3\"",
                                       "\"scalar double\"",
                                       "\"layers 2\"",
                                       "\"layer 1 Dense 2 3 sigmoid\"",
                                       "\"layer 2 Dense 3 1 sigmoid\"",
                                       "\"architecture\" and 16 hex digits",
                                       "\"classes\" or \"parameters 13\""};
  for (std::size_t kept = 0; kept < lines.size(); ++kept) {
    INFO("lines kept: " << kept);
    const fs::path path = dir / ("cut_" + std::to_string(kept) + ".model");
    write_text(path,
               joined(std::vector<std::string>(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(kept))));
    const std::string what = kept < 7                           ? expected_next[kept]
                             : kept < 7 + Xor::parameter_count  ? "parameter " + std::to_string(kept - 6) + " of 13"
                             : kept == 7 + Xor::parameter_count ? std::string("\"checksum\" and 16 hex digits")
                                                                : std::string("\"end\"");
    check_load_fails<Xor>(
        path, {"line " + std::to_string(kept + 1) + ": expected " + what + ", found the end of the file"}, kept + 1);
  }

  // Every byte: no proper prefix of a model file is a model file.
  for (std::size_t size = 0; size < text.size(); ++size) {
    INFO("bytes kept: " << size);
    Xor destination = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{99});
    const Xor before = destination;
    const Caught caught =
        capture([&] { ctnn::load_model_text_into(destination, std::string_view(text).substr(0, size)); });
    REQUIRE(caught.thrown);
    REQUIRE(bitwise_equal(destination, before));
    if (size > 0 && text[size - 1] != '\n') CHECK_THAT(caught.what, Catch::Contains("without a newline"));
  }
}

TEST_CASE("model_file: a corrupt file is rejected with its line and what was found, and changes nothing")
{
  const TempDir dir;
  const std::string text = ctnn::model_text(trained<Xor>(1));
  const auto lines = lines_of(text);

  struct Case {
    std::string description;
    std::function<std::string()> make;
    std::string fragment;
    std::size_t line;
  };
  const auto replaced = [&](std::size_t index, std::string line) {
    return [&lines, index, line] {
      auto copy = lines;
      copy[index] = line;
      return joined(copy);
    };
  };
  const auto text_of = [](std::string s) { return [s] { return s; }; };

  const std::vector<Case> cases = {
      {"empty file", text_of(""), "line 1: expected \"ctnn-model 3\", found the end of the file", 1},
      {"another format", replaced(0, "P6"),
       "line 1: expected \"ctnn-model 3\" (the first line of a ctnn model file), found \"P6\"", 1},
      {"an older version", replaced(0, "ctnn-model 1"),
       "line 1: format version 1 was written by an older ctnn; this ctnn reads versions 2 and 3", 1},
      {"a newer version", replaced(0, "ctnn-model 4"),
       "line 1: format version 4 was written by a newer ctnn; this ctnn reads versions 2 and 3", 1},
      {"a version with a leading zero", replaced(0, "ctnn-model 03"), "format version: expected 3, found \"03\"", 1},
      {"a negative version", replaced(0, "ctnn-model -1"), "format version: expected 3, found \"-1\"", 1},
      {"a version line with a trailing space", replaced(0, "ctnn-model 3 "), "expected \"ctnn-model 3\"", 1},
      {"no scalar", replaced(1, "scalar"), "line 2: expected \"scalar double\", found \"scalar\"", 2},
      {"an unknown scalar", replaced(1, "scalar half"), "line 2: scalar type: expected double, found \"half\"", 2},
      {"a word for a count", replaced(2, "layers two"), "line 3: layer count: expected 2, found \"two\"", 3},
      {"a doubled space", replaced(2, "layers  2"), "line 3: expected \"layers 2\", found \"layers  2\"", 3},
      {"a huge layer count", replaced(2, "layers 99999999999999999999999999"),
       "layer count: expected 2, found \"99999999999999999999999999\"", 3},
      {"a negative layer count", replaced(2, "layers -2"), "layer count: expected 2, found \"-2\"", 3},
      {"a layer out of order", replaced(3, "layer 2 Dense 2 3 sigmoid"),
       "line 4: expected \"layer 1 Dense 2 3 sigmoid\", found \"layer 2 Dense 2 3 sigmoid\"", 4},
      {"a layer line with an extra field", replaced(3, "layer 1 Dense 2 3 sigmoid 7"),
       "line 4: expected \"layer 1 Dense 2 3 sigmoid\"", 4},
      {"a layer line with a missing field", replaced(4, "layer 2 Dense 3 1"),
       "line 5: expected \"layer 2 Dense 3 1 sigmoid\"", 5},
      {"a wrong parameter count", replaced(6, "parameters 14"), "line 7: parameter count: expected 13, found \"14\"",
       7},
      {"a huge parameter count", replaced(6, "parameters 18446744073709551616"),
       "parameter count: expected 13, found \"18446744073709551616\"", 7},
      {"not a number", replaced(7, "0.5x"), "line 8: parameter 1 of 13: expected a double value, found \"0.5x\"", 8},
      {"an empty value", replaced(9, ""), "line 10: parameter 3 of 13: expected a double value, found \"\"", 10},
      {"a leading space", replaced(7, " 0.5"), "parameter 1 of 13: expected a double value, found \" 0.5\"", 8},
      {"a plus sign", replaced(7, "+0.5"), "expected a double value, found \"+0.5\"", 8},
      {"a hex float", replaced(7, "0x1p-1"), "expected a double value, found \"0x1p-1\"", 8},
      {"two numbers", replaced(7, "0.5 0.5"), "expected a double value, found \"0.5 0.5\"", 8},
      {"a comma", replaced(7, "0,5"), "expected a double value, found \"0,5\"", 8},
      {"an overflow", replaced(19, "1e400"), "line 20: parameter 13 of 13: the value is out of the range of double",
       20},
      {"an underflow", replaced(19, "1e-400"), "the value is out of the range of double, found \"1e-400\"", 20},
      {"a bare nan", replaced(8, "nan"), "line 9: parameter 2 of 13: a NaN must be written as nan:0x", 9},
      {"a C nan", replaced(8, "nan(0x1234)"), "a NaN must be written as nan:0x", 9},
      {"short NaN bits", replaced(8, "nan:0x7ff8"), "expected a NaN as nan:0x and 16 hex digits, found \"nan:0x7ff8\"",
       9},
      {"long NaN bits", replaced(8, "nan:0x7ff80000000000000"), "expected a NaN as nan:0x and 16 hex digits", 9},
      {"NaN bits that are not hex", replaced(8, "nan:0x7ff800000000000g"), "expected a NaN as nan:0x and 16 hex digits",
       9},
      {"NaN bits that are not a NaN", replaced(8, "nan:0x3ff0000000000000"),
       "nan:0x3ff0000000000000 is not the bit pattern of a NaN", 9},
      {"too few values",
       [&] {
         auto copy = lines;
         copy.erase(copy.begin() + 11);
         return joined(copy);
       },
       "line 20: parameter 13 of 13: expected a double value, found \"checksum ", 20},
      {"too many values",
       [&] {
         auto copy = lines;
         copy.insert(copy.end() - 2, "0.5");
         return joined(copy);
       },
       "line 21: expected \"checksum\" and 16 lowercase hex digits after the 13 parameters, found \"0.5\"", 21},
      {"no checksum",
       [&] {
         auto copy = lines;
         copy.erase(copy.end() - 2);
         return joined(copy);
       },
       "line 21: expected \"checksum\" and 16 lowercase hex digits after the 13 parameters, found \"end\"", 21},
      {"an upper-case checksum", replaced(20, "checksum " + upper(lines[20].substr(9))),
       "line 21: expected \"checksum\" and 16 lowercase hex digits", 21},
      {"a short checksum", replaced(20, lines[20].substr(0, 24)),
       "line 21: expected \"checksum\" and 16 lowercase hex digits", 21},
      {"a checksum with a sign", replaced(20, "checksum +" + lines[20].substr(10)),
       "line 21: expected \"checksum\" and 16 lowercase hex digits", 21},
      {"a wrong checksum", replaced(20, "checksum " + std::string(16, '0')),
       "line 21: the checksum does not match the values: the file says 0000000000000000, its values give " +
           lines[20].substr(9),
       21},
      {"no end",
       [&] {
         auto copy = lines;
         copy.pop_back();
         return joined(copy);
       },
       "line 22: expected \"end\", found the end of the file", 22},
      {"END", replaced(21, "END"), "line 22: expected \"end\" after the checksum, found \"END\"", 22},
      {"end without its newline", [&] { return text.substr(0, text.size() - 1); },
       "line 22: expected \"end\", found \"end\" without a newline at the end of the file", 22},
      {"trailing garbage", [&] { return text + "garbage\n"; },
       "line 23: expected the end of the file after \"end\", found \"garbage\"", 23},
      {"a trailing blank line", [&] { return text + "\n"; },
       "line 23: expected the end of the file after \"end\", found \"\"", 23},
      {"a second model", [&] { return text + text; }, "found \"ctnn-model 3\"", 23},
      {"a NUL byte", replaced(7, std::string("0.5\0", 4)), "found \"0.5\\x00\"", 8},
      {"a non-ASCII byte", replaced(7, "0.5\xff"), "found \"0.5\\xff\"", 8},
      {"a very long line", replaced(7, std::string(1000, '7')),
       "line 8: expected parameter 1 of 13, found a line longer than 255 characters: \"777", 8},
      {"megabytes after the end", [&] { return text + std::string(1 << 20, 'x'); }, "the file is longer than", 0},
      {"binary junk",
       [] {
         std::string junk;
         ctnn::Random rng{ctnn::Seed{3}};
         for (int i = 0; i < 4096; ++i) junk += static_cast<char>(rng() & 0xff);
         return junk;
       },
       "line 1: expected \"ctnn-model 3\"", 1},
  };

  std::size_t n = 0;
  for (const auto& c : cases) {
    INFO(c.description);
    const fs::path path = dir / ("corrupt_" + std::to_string(n++) + ".model");
    write_text(path, c.make());
    check_load_fails<Xor>(path, {c.fragment}, c.line);
    if (c.line > 0) check_text_fails<Xor>(c.make(), c.fragment, c.line);
  }

  // float files say float in their messages.
  auto float_lines = lines_of(ctnn::model_text(trained<FloatXor>(1)));
  float_lines[7] = "1e39";
  check_text_fails<FloatXor>(joined(float_lines), "the value is out of the range of float", 8);
  float_lines[7] = "nan:0x7fc0000000000000";
  check_text_fails<FloatXor>(joined(float_lines), "expected a NaN as nan:0x and 8 hex digits", 8);
  float_lines[7] = "nan:0x3f800000";
  check_text_fails<FloatXor>(joined(float_lines), "is not the bit pattern of a NaN", 8);
  float_lines[7] = "nan:0x7fc00001";
  FloatXor changed = trained<FloatXor>(1);
  changed.layer<0>().weights.values[0] = std::bit_cast<float>(std::uint32_t{0x7fc00001});
  check_text_fails<FloatXor>(joined(float_lines), "the checksum does not match the values", 21);
  float_lines[20] = "checksum " + fnv1a_hex(changed.stored_values().values);
  FloatXor ok{};
  ctnn::load_model_text_into(ok, joined(float_lines));
  CHECK(std::bit_cast<std::uint32_t>(ok.layer<0>().weights.values[0]) == 0x7fc00001u);
}

TEST_CASE("model_file: random corruption throws model_file_error or loads, never anything else")
{
  const std::string text = ctnn::model_text(trained<Xor>(1));
  ctnn::Random rng{ctnn::Seed{4242}};
  const auto below = [&](std::size_t n) { return n == 0 ? std::size_t{0} : static_cast<std::size_t>(rng() % n); };
  const char alphabet[] = "0123456789.-+eEnaifx: \n\r\tlyrsDend\x00\xff";
  std::size_t rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string mutated = text;
    const std::size_t edits = 1 + below(4);
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t at = below(mutated.size());
      switch (below(5)) {
        case 0:
          mutated[at] = alphabet[below(sizeof alphabet - 1)];
          break;
        case 1:
          mutated.erase(at, 1 + below(8));
          break;
        case 2:
          mutated.insert(at, 1, alphabet[below(sizeof alphabet - 1)]);
          break;
        case 3:
          mutated.resize(at);
          break;
        default:
          mutated[at] = static_cast<char>(rng() & 0xff);
          break;
      }
    }
    Xor destination = ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{99});
    const Xor before = destination;
    const Caught caught = capture([&] { ctnn::load_model_text_into(destination, mutated); });
    if (caught.thrown) {
      ++rejected;
      REQUIRE(bitwise_equal(destination, before));
      REQUIRE(caught.line > 0);
    } else {
      // Whatever loads is a model: it saves and loads back to the same bits.
      Xor again{};
      ctnn::load_model_text_into(again, ctnn::model_text(destination));
      REQUIRE(bitwise_equal(again, destination));
    }
  }
  CHECK(rejected > 2500);
}

TEST_CASE("model_file: missing files, directories and unwritable places throw and leave everything as it was")
{
  const TempDir dir;
  const Xor net = trained<Xor>(1);

  SECTION("a path that does not exist")
  {
    check_load_fails<Xor>(dir / "nothing.model", {"the file does not exist"}, 0);
    check_load_fails<Xor>(dir / "no" / "such" / "dir.model", {"the file does not exist"}, 0);
  }
  SECTION("a directory as the path")
  {
    fs::create_directory(dir / "models");
    write_text(dir / "models" / "inside", "keep me");
    check_load_fails<Xor>(dir / "models", {"it is a directory, not a model file"}, 0);

    const Caught caught = capture([&] { ctnn::save(net, dir / "models"); });
    CHECK(caught.thrown);
    CHECK_THAT(caught.what, Catch::Contains("ctnn: cannot save model \"" + (dir / "models").string() + "\""));
    CHECK_THAT(caught.what, Catch::Contains("cannot rename the temporary file"));
    CHECK_THAT(caught.what, Catch::Contains("it is a directory"));
    CHECK(entries(dir.path()) == std::vector<std::string>{"models"});  // the temporary file is gone
    CHECK(entries(dir / "models") == std::vector<std::string>{"inside"});
    CHECK(read_text(dir / "models" / "inside") == "keep me");

    CHECK_THAT(capture([&] { ctnn::save(net, dir.path() / ""); }).what,
               Catch::Contains("the path does not name a file"));
  }
  SECTION("a directory that does not exist")
  {
    const Caught caught = capture([&] { ctnn::save(net, dir / "absent" / "xor.model"); });
    CHECK(caught.thrown);
    CHECK_THAT(caught.what, Catch::Contains("cannot create the temporary file"));
    CHECK_THAT(caught.what, Catch::Contains("absent"));
    CHECK(entries(dir.path()).empty());
  }
  SECTION("an existing model stays when the temporary file cannot be created")
  {
    // A file name as long as the file system allows: the temporary name beside it is too long.
    const fs::path path = dir / std::string(250, 'm');
    write_text(path, ctnn::model_text(trained<Xor>(2)));
    const std::string old_text = read_text(path);
    const Caught caught = capture([&] { ctnn::save(net, path); });
    CHECK(caught.thrown);
    CHECK_THAT(caught.what, Catch::Contains("cannot create the temporary file"));
    CHECK(read_text(path) == old_text);
    CHECK(entries(dir.path()) == std::vector<std::string>{std::string(250, 'm')});
    CHECK(capture([&] { ctnn::emit_header(net, path, "model"); }).thrown);
    CHECK(read_text(path) == old_text);
  }
  SECTION("an unwritable directory")
  {
    const fs::path locked = dir / "locked";
    fs::create_directory(locked);
    const Xor old = trained<Xor>(2);
    ctnn::save(old, locked / "xor.model");
    const std::string old_text = read_text(locked / "xor.model");
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec, fs::perm_options::replace);
    // root writes anyway: then there is nothing to test here.
    const bool enforced = !std::ofstream(locked / "probe").is_open();
    if (!enforced) {
      WARN("permissions are not enforced for this user (root?): the unwritable-directory case is skipped");
    } else {
      const Caught caught = capture([&] { ctnn::save(net, locked / "xor.model"); });
      CHECK(caught.thrown);
      CHECK_THAT(caught.what, Catch::Contains("cannot create the temporary file"));
      CHECK_THAT(caught.what, Catch::Contains("ermission denied"));
      CHECK(read_text(locked / "xor.model") == old_text);
      CHECK(entries(locked) == std::vector<std::string>{"xor.model"});
      // An unreadable model file is reported as such, and the destination is untouched.
      fs::permissions(locked / "xor.model", fs::perms::none, fs::perm_options::replace);
      check_load_fails<Xor>(locked / "xor.model", {"cannot open the file for reading"}, 0);
    }
    fs::permissions(locked, fs::perms::owner_all, fs::perm_options::replace);
  }
}

TEST_CASE("model_file: saving leaves no temporary file behind")
{
  const TempDir dir;
  const fs::path path = dir / "xor.model";
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    ctnn::save(trained<Xor>(seed), path);
    CHECK(entries(dir.path()) == std::vector<std::string>{"xor.model"});
    CHECK(bitwise_equal(ctnn::load<Xor>(path), trained<Xor>(seed)));
  }
  ctnn::emit_header(trained<Xor>(1), dir / "xor_model.hpp", "xor_model");
  CHECK(entries(dir.path()) == std::vector<std::string>{"xor.model", "xor_model.hpp"});
  // A temporary name that happens to be taken is skipped, not overwritten (names are random, so
  // here a leftover from a crash sits beside the model and must survive).
  write_text(dir / "xor.model.tmp-0000000000000000", "leftover");
  ctnn::save(trained<Xor>(1), path);
  CHECK(read_text(dir / "xor.model.tmp-0000000000000000") == "leftover");
  CHECK(entries(dir.path()).size() == 3);
}

TEST_CASE("model_file: emit_header writes the exact Network type and hex-float literals")
{
  const TempDir dir;
  Xor net{};
  const double values[] = {0.75,
                           -0.0,
                           5e-324,
                           std::numeric_limits<double>::infinity(),
                           1.0,
                           -2.5,
                           std::bit_cast<double>(std::uint64_t{0x7ff8000000000001}),
                           0.0,
                           0.1,
                           3.0,
                           4.0,
                           5.0,
                           6.0};
  std::size_t next = 0;
  set_parameters(net, [&] { return values[next++]; });
  ctnn::emit_header(net, dir / "xor_model.hpp", "xor_model");
  const std::string header = read_text(dir / "xor_model.hpp");
  CHECK(header.starts_with("#pragma once\n"));
  // Only what the model needs: the Network with its fingerprints, and Dense.
  CHECK_THAT(header, Catch::Contains("\n#include <ctnn/dense.hpp>\n#include <ctnn/fingerprint.hpp>\n\n"));
  CHECK_THAT(header, !Catch::Contains("ctnn/ctnn.hpp"));
  CHECK_THAT(header, Catch::Contains("inline constexpr ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid, double>, "
                                     "ctnn::Dense<3, 1, ctnn::Sigmoid, double>> xor_model{{\n"));
  CHECK_THAT(header, Catch::Contains("0x1.8p-1, -0x0p+0,\n"));
  CHECK_THAT(header,
             Catch::Contains("0x0.0000000000001p-1022, std::bit_cast<double>(std::uint64_t{0x7ff0000000000000}),\n"));
  CHECK_THAT(header, Catch::Contains(
                         "std::bit_cast<double>(std::uint64_t{0x7ff8000000000001}), 0x0p+0, 0x1.999999999999ap-4\n"));
  CHECK_THAT(header, Catch::Contains("0x1.8p+1, 0x1p+2, 0x1.4p+2\n"));  // layer 2 weights, then
  CHECK_THAT(header, Catch::Contains("0x1.8p+2\n"));                    // its bias
  CHECK(header == ctnn::model_header(net, "xor_model"));

  std::ostringstream fingerprint;
  fingerprint << std::hex << parameter_fingerprint(net);
  CHECK_THAT(header, Catch::Contains("static_assert(ctnn::parameter_fingerprint(xor_model) == std::uint64_t{0x" +
                                     std::string(16 - fingerprint.str().size(), '0') + fingerprint.str() + "}"));
  std::ostringstream architecture;
  architecture << std::hex << std::setw(16) << std::setfill('0') << ctnn::architecture_fingerprint(net);
  CHECK_THAT(header, Catch::Contains("static_assert(ctnn::architecture_fingerprint(xor_model) == std::uint64_t{0x" +
                                     architecture.str() + "}"));

  FloatDeep small{};
  set_parameters(small, [] { return 0.1f; });
  small.layer<2>().bias[0] = -std::numeric_limits<float>::denorm_min();
  const std::string float_header = ctnn::model_header(small, "Small2");
  CHECK_THAT(float_header,
             Catch::Contains("inline constexpr ctnn::Network<ctnn::Dense<2, 5, ctnn::Tanh, float>, "
                             "ctnn::Dense<5, 3, ctnn::ReLU, float>, ctnn::Dense<3, 1, ctnn::Identity, float>> "
                             "Small2{{\n"));
  CHECK_THAT(float_header, Catch::Contains("0x1.99999ap-4f, 0x1.99999ap-4f\n"));
  CHECK_THAT(float_header, Catch::Contains("-0x0.000002p-126f\n"));
  CHECK(entries(dir.path()) == std::vector<std::string>{"xor_model.hpp"});
}

TEST_CASE("model_file: emit_header rejects bad names and unknown activations, and writes nothing")
{
  const TempDir dir;
  const fs::path path = dir / "model.hpp";
  const Xor net = trained<Xor>(1);
  write_text(path, "// an older header\n");

  for (const char* name : {"", "1model", "my-model", "my model", "model;", "ns::model", "class", "constexpr", "and",
                           "_model", "_Model", "my__model", "ctnn", "std", "main", "mödel"}) {
    INFO("name: " << name);
    const Caught caught = capture([&] { ctnn::emit_header(net, path, name); });
    CHECK(caught.thrown);
    CHECK_THAT(caught.what, Catch::Contains("cannot be used"));
  }
  for (const char* name : {"m", "model", "Model_2", "xor_model", "final", "override"})
    CHECK_FALSE(capture([&] { (void)ctnn::model_header(net, name); }).thrown);

  const Caught unknown = capture([&] { ctnn::emit_header(SwishNet{}, path, "swish_model"); });
  CHECK(unknown.thrown);
  CHECK_THAT(unknown.what, Catch::Contains("layer 1 has the activation \"swish\", which has no known C++ spelling"));

  const Caught impostor = capture([&] { ctnn::emit_header(FakeNet{}, path, "fake_model"); });
  CHECK(impostor.thrown);
  CHECK_THAT(impostor.what, Catch::Contains("layer 1's activation is named \"sigmoid\" but is not ctnn::Sigmoid"));

  CHECK(read_text(path) == "// an older header\n");
  CHECK(entries(dir.path()) == std::vector<std::string>{"model.hpp"});

  const Caught missing_dir = capture([&] { ctnn::emit_header(net, dir / "absent" / "model.hpp", "model"); });
  CHECK(missing_dir.thrown);
  CHECK_THAT(missing_dir.what,
             Catch::Contains("ctnn: cannot emit header \"" + (dir / "absent" / "model.hpp").string()));
  CHECK_THAT(missing_dir.what, Catch::Contains("cannot create the temporary file"));
}

TEST_CASE("model_file: model_header spells every activation of ctnn and LeakyReLU with its slope")
{
  using Toolbox = ctnn::Network<ctnn::Dense<2, 3, ctnn::LeakyReLU<std::ratio<1, 5>>>, ctnn::Dense<3, 3, ctnn::Softplus>,
                                ctnn::Dense<3, 2, ctnn::Softmax, double>>;
  const std::string header = ctnn::model_header(Toolbox{}, "toolbox_model");
  CHECK_THAT(header, Catch::Contains("ctnn::Dense<2, 3, ctnn::LeakyReLU<std::ratio<1, 5>>, double>"));
  CHECK_THAT(header, Catch::Contains("ctnn::Dense<3, 3, ctnn::Softplus, double>"));
  CHECK_THAT(header, Catch::Contains("ctnn::Dense<3, 2, ctnn::Softmax, double>"));
}

TEST_CASE("model_file: model_header names LeakyReLU's ratio as written, not reduced")
{
  using Net = ctnn::Network<ctnn::Dense<2, 1, ctnn::LeakyReLU<std::ratio<2, 200>>>>;
  CHECK_THAT(ctnn::model_header(Net{}, "leaky_model"), Catch::Contains("ctnn::LeakyReLU<std::ratio<2, 200>>"));
}

namespace {

using Scaled = ctnn::Network<ctnn::Standardize<2>, ctnn::Dense<2, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
using FloatScaled = ctnn::Network<ctnn::Standardize<2, float>, ctnn::Dense<2, 2, ctnn::Tanh, float>>;

/// A Scaled network with a Standardize layer of mean (0.5, -1.25) and deviation (2, 0.1).
Scaled scaled_network(std::uint64_t seed)
{
  Scaled net = ctnn::initialized<Scaled>(ctnn::Uniform01{}, ctnn::Seed{seed});
  net.layer<0>() = {{{0.5, -1.25}}, {{2.0, 0.1}}};
  return net;
}

}  // namespace

TEST_CASE("model_file: a Standardize layer is written, read back and checksummed with the weights")
{
  const TempDir dir;
  const Scaled net = scaled_network(1);
  const auto lines = lines_of(ctnn::model_text(net));
  REQUIRE(lines.size() == 7 + 1 + 17 + 2);
  CHECK(lines[0] == "ctnn-model 3");
  CHECK(lines[2] == "layers 3");
  CHECK(lines[3] == "layer 1 Standardize 2 2");
  CHECK(lines[4] == "layer 2 Dense 2 3 sigmoid");
  CHECK(lines[7] == "parameters 17");
  CHECK(lines[8] == "0.5");  // means, then deviations, then the Dense layers
  CHECK(lines[9] == "-1.25");
  CHECK(lines[10] == "2");
  CHECK(lines[11] == "0.1");
  CHECK(lines[12] == lines_of(ctnn::model_text(ctnn::Network<ctnn::Dense<2, 3, ctnn::Sigmoid>>{net.layer<1>()}))[6]);
  std::vector<double> values{0.5, -1.25, 2.0, 0.1};
  for (const double p : net.parameters().values) values.push_back(p);
  CHECK(lines[25] == "checksum " + fnv1a_hex(values));
  CHECK(lines[26] == "end");

  check_round_trip(dir, net, "scaled.model");
  FloatScaled small = ctnn::initialized<FloatScaled>(ctnn::Uniform01{}, ctnn::Seed{2});
  small.layer<0>() = {{{-3.5f, 1e-3f}}, {{0.25f, 7.0f}}};
  check_round_trip(dir, small, "float_scaled.model");

  // The loaded model standardises as the saved one: raw inputs give the same outputs.
  const Scaled loaded = ctnn::load<Scaled>(dir / "scaled.model");
  CHECK(std::bit_cast<std::uint64_t>(loaded.predict({{3.0, -2.0}})[0]) ==
        std::bit_cast<std::uint64_t>(net.predict({{3.0, -2.0}})[0]));

  // A network without the layer keeps the fingerprint it had: the checksum of its file.
  const Xor plain = trained<Xor>(3);
  CHECK(parameter_fingerprint(plain) == std::stoull(lines_of(ctnn::model_text(plain))[20].substr(9), nullptr, 16));
  CHECK(lines_of(ctnn::model_text(plain))[20] == "checksum " + fnv1a_hex(plain.parameters().values));
}

TEST_CASE("model_file: a Standardize layer of another shape or place is rejected, naming it")
{
  const TempDir dir;
  ctnn::save(scaled_network(1), dir / "scaled.model");
  ctnn::save(trained<Xor>(1), dir / "xor.model");

  using Wider = ctnn::Network<ctnn::Standardize<3>, ctnn::Dense<3, 3, ctnn::Sigmoid>, ctnn::Dense<3, 1, ctnn::Sigmoid>>;
  using DenseFirst = ctnn::Network<ctnn::Dense<2, 2, ctnn::Identity>, ctnn::Dense<2, 3, ctnn::Sigmoid>,
                                   ctnn::Dense<3, 1, ctnn::Sigmoid>>;
  check_load_fails<Xor>(dir / "scaled.model", {"line 3: layer count: expected 2, found \"3\""}, 3);
  check_load_fails<Scaled>(dir / "xor.model", {"line 3: layer count: expected 3, found \"2\""}, 3);
  check_load_fails<Wider>(dir / "scaled.model", {"line 4: layer 1 inputs: expected 3, found \"2\""}, 4);
  check_load_fails<DenseFirst>(dir / "scaled.model", {"line 4: layer 1 kind: expected Dense, found \"Standardize\""},
                               4);
  check_load_fails<FloatScaled>(dir / "scaled.model", {"line 2: scalar type: expected float"}, 2);

  auto lines = lines_of(read_text(dir / "scaled.model"));
  lines[3] = "layer 1 Standardize 2 2 linear";
  check_text_fails<Scaled>(joined(lines), "line 4: expected \"layer 1 Standardize 2 2\", found", 4);
  lines[3] = "layer 1 Normalize 2 2";
  check_text_fails<Scaled>(joined(lines), "line 4: layer 1 kind: expected Standardize, found \"Normalize\"", 4);
}

namespace {

/// For each value line of net's file: the file with the first digit of that value changed is
/// rejected by load_into because the checksum does not match, and the destination is untouched.
template <class Net>
void check_every_changed_digit_fails(const TempDir& dir, const Net& net)
{
  const auto lines = lines_of(ctnn::model_text(net));
  const std::size_t checksum_line = lines.size() - 2;  // 0-based; "end" follows it
  const std::size_t first_value = checksum_line - Net::total_parameter_count;
  for (std::size_t i = first_value; i < checksum_line; ++i) {
    INFO("value line " << i + 1 << ": " << lines[i]);
    auto changed = lines;
    const std::size_t digit = changed[i].find_first_of("0123456789");
    REQUIRE(digit != std::string::npos);
    changed[i][digit] = changed[i][digit] == '9' ? '1' : static_cast<char>(changed[i][digit] + 1);
    const fs::path path = dir / "changed.model";
    write_text(path, joined(changed));
    check_load_fails<Net>(path,
                          {"line " + std::to_string(checksum_line + 1) + ": the checksum does not match the values",
                           "(a value was changed or damaged)"},
                          checksum_line + 1);
  }
}

}  // namespace

TEST_CASE("model_file: a value with one digit changed fails the checksum, whichever value it is")
{
  const TempDir dir;
  check_every_changed_digit_fails(dir, trained<Xor>(1));
  check_every_changed_digit_fails(dir, scaled_network(2));
  check_every_changed_digit_fails(dir, trained<FloatXor>(3));
}

TEST_CASE("model_file: a version-2 file (ctnn 0.2) loads, and the architecture line is checked")
{
  const Xor net = trained<Xor>(2);
  auto lines = lines_of(ctnn::model_text(net));
  // What ctnn 0.2 wrote: version 2, no architecture line.
  auto v2 = lines;
  v2[0] = "ctnn-model 2";
  v2.erase(v2.begin() + 5);
  Xor loaded{};
  ctnn::load_model_text_into(loaded, joined(v2), "v2.model");
  CHECK(bitwise_equal(loaded, net));
  // A version-3 file without its architecture line, or with another architecture's.
  auto missing = lines;
  missing.erase(missing.begin() + 5);
  check_text_fails<Xor>(joined(missing),
                        "line 6: expected \"architecture\" and 16 lowercase hex digits after the layer lines, found "
                        "\"parameters 13\"",
                        6);
  auto other = lines;
  other[5] = "architecture 0123456789abcdef";
  check_text_fails<Xor>(joined(other), "line 6: the architecture line does not match the layer lines", 6);
}

TEST_CASE("model_file: class names go into the file and come back, percent-encoded")
{
  using Three = ctnn::Network<ctnn::Dense<2, 3, ctnn::Softmax>>;
  Three net{};
  set_parameters(net, [] { return 0.25; });
  const std::vector<std::string> names{"Iris setosa", "50%", "caf\xc3\xa9"};
  const std::string text = ctnn::model_text(net, names);
  CHECK(lines_of(text)[5] == "classes 3 Iris%20setosa 50%25 caf%C3%A9");
  Three loaded{};
  std::vector<std::string> read;
  ctnn::load_model_text_into(loaded, text, "classes.model", &read);
  CHECK(read == names);
  CHECK(bitwise_equal(loaded, net));
  // A file without names gives none; a wrong count or spelling is refused.
  ctnn::load_model_text_into(loaded, ctnn::model_text(net), "plain.model", &read);
  CHECK(read.empty());
  auto lines = lines_of(text);
  lines[5] = "classes 2 a b";
  check_text_fails<Three>(joined(lines), "line 6: expected \"classes 3\" and 3 percent-encoded class names", 6);
  lines[5] = "classes 3 a b c%2";
  check_text_fails<Three>(joined(lines), "line 6: class name 3: expected a name with %XX escapes", 6);
  lines[5] = "classes 3 a b %41";
  check_text_fails<Three>(joined(lines), "class name 3: expected a name with %XX escapes", 6);
  CHECK(capture([&] {
          (void)ctnn::model_text(net, {"only", "two"});
        }).what == "ctnn: cannot write the model: it has 3 output classes but 2 class names were given");
  // A single sigmoid output has two classes.
  using Binary = ctnn::Network<ctnn::Dense<2, 1, ctnn::Sigmoid>>;
  CHECK(lines_of(ctnn::model_text(Binary{}, {"benign", "malignant"}))[5] == "classes 2 benign malignant");
}

TEST_CASE("model_file: a version-1 file tells the user it was written by an older ctnn")
{
  const TempDir dir;
  // What ctnn 0.1 wrote: version 1, no checksum line.
  auto lines = lines_of(ctnn::model_text(trained<Xor>(1)));
  lines[0] = "ctnn-model 1";
  lines.erase(lines.end() - 2);
  write_text(dir / "old.model", joined(lines));
  check_load_fails<Xor>(
      dir / "old.model",
      {"line 1: format version 1 was written by an older ctnn; this ctnn reads versions 2 and 3", "save it again"}, 1);
  lines[0] = "ctnn-model 12";
  write_text(dir / "new.model", joined(lines));
  check_load_fails<Xor>(dir / "new.model", {"line 1: format version 12 was written by a newer ctnn"}, 1);
}

TEST_CASE("model_file: emit_header spells a Standardize layer with exact literals")
{
  const Scaled net = scaled_network(4);
  const std::string header = ctnn::model_header(net, "scaled_model");
  CHECK_THAT(header, Catch::Contains("inline constexpr ctnn::Network<ctnn::Standardize<2, double>, "
                                     "ctnn::Dense<2, 3, ctnn::Sigmoid, double>, ctnn::Dense<3, 1, ctnn::Sigmoid, "
                                     "double>> scaled_model{{\n"));
  CHECK_THAT(header, Catch::Contains("    ctnn::Standardize<2, double>{\n"
                                     "        {{  // layer 1 mean\n"
                                     "            0x1p-1, -0x1.4p+0\n"
                                     "        }},\n"
                                     "        {{  // layer 1 deviation\n"
                                     "            0x1p+1, 0x1.999999999999ap-4\n"
                                     "        }}},\n"));
  CHECK_THAT(header, Catch::Contains("// layer 2 weights, 3 x 2"));
  FloatScaled small{};
  small.layer<0>() = {{{0.1f, -0.0f}}, {{1.0f, 3.0f}}};
  CHECK_THAT(ctnn::model_header(small, "small"), Catch::Contains("ctnn::Standardize<2, float>{\n"
                                                                 "        {{  // layer 1 mean\n"
                                                                 "            0x1.99999ap-4f, -0x0p+0f\n"));
}

TEST_CASE("model_file: a Standardize layer that would divide by zero or infinity is neither loaded nor written")
{
  const TempDir dir;
  const auto lines = lines_of(ctnn::model_text(scaled_network(1)));
  // Values: lines 9-10 the means, 11-12 the deviations (0-based 8-11).
  const auto with_value = [&](std::size_t index, const std::string& value, Scaled& net) {
    auto copy = lines;
    copy[index] = value;
    // A valid checksum for the changed values, so that the value itself is what is rejected.
    net = scaled_network(1);
    std::vector<double> all{net.layer<0>().mean[0], net.layer<0>().mean[1], net.layer<0>().deviation[0],
                            net.layer<0>().deviation[1]};
    all[index - 8] = std::strtod(value.c_str(), nullptr);
    net.layer<0>() = {{{all[0], all[1]}}, {{all[2], all[3]}}};
    for (const double p : net.parameters().values) all.push_back(p);
    copy[25] = "checksum " + fnv1a_hex(all);
    return joined(copy);
  };
  Scaled bad{};
  check_text_fails<Scaled>(with_value(10, "0", bad),
                           "line 11: parameter 3 of 17: layer 1 (Standardize) deviation 1 must be positive and finite",
                           11);
  check_text_fails<Scaled>(with_value(11, "-2", bad), "line 12: parameter 4 of 17: layer 1 (Standardize) deviation 2",
                           12);
  check_text_fails<Scaled>(with_value(11, "inf", bad), "deviation 2 must be positive and finite", 12);
  check_text_fails<Scaled>(with_value(9, "-inf", bad),
                           "line 10: parameter 2 of 17: layer 1 (Standardize) mean 2 must be finite", 10);

  // The writer refuses what the reader would, and writes nothing.
  const Caught caught = capture([&] { ctnn::save(bad, dir / "bad.model"); });
  CHECK(caught.thrown);
  CHECK_THAT(caught.what, Catch::Contains("ctnn: cannot write the model: layer 1 (Standardize) mean 2 must be finite"));
  CHECK(entries(dir.path()).empty());
  with_value(10, "-0", bad);
  CHECK_THAT(capture([&] { (void)ctnn::model_header(bad, "bad"); }).what,
             Catch::Contains("ctnn: cannot emit a header: layer 1 (Standardize) deviation 1 must be positive"));

  // A tiny positive deviation is fine.
  Scaled tiny_deviation{};
  ctnn::load_model_text_into(tiny_deviation, with_value(10, "5e-324", bad));
  CHECK(std::bit_cast<std::uint64_t>(tiny_deviation.layer<0>().deviation[0]) == 1);
}
