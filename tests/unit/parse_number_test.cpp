// detail::parse_floating, the reader of CSV and model-file numbers where the standard library has no
// floating-point std::from_chars (libc++ before LLVM 20): hard cases with their expected bits, the
// same at compile time, and a million random strings read by it and by std::from_chars (where that
// exists) to the same bits, the same length and the same error.

#include <catch2/catch.hpp>

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

#include "bit_helpers.hpp"
#include "ctnn/detail/parse_number.hpp"

namespace {

using bit_helpers::bits;

enum class outcome { ok, invalid, range };

constexpr double inf_d = std::numeric_limits<double>::infinity();
constexpr double nan_d = std::numeric_limits<double>::quiet_NaN();
constexpr float inf_f = std::numeric_limits<float>::infinity();
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();

struct hard_case {
  std::string_view text;
  std::size_t length;  // characters read
  outcome as_double;
  double double_value;
  outcome as_float;
  float float_value;
};

// What libstdc++ 12's std::from_chars gives (printed by it with %a). The long ones are exact halfway
// points (2^-1075, the double between the largest subnormal and the smallest normal, max + half an ulp,
// 1 + 2^-53, their float counterparts), each also a digit above or below, and 1 + 2^-53 + 10^-800
// (805 digits: the sticky digit after the 780 kept ones decides the rounding).
constexpr hard_case hard_cases[] = {
    {"0", 1, outcome::ok, 0x0p+0, outcome::ok, 0x0p+0f},
    {"-0", 2, outcome::ok, -0x0p+0, outcome::ok, -0x0p+0f},
    {"0.0e5", 5, outcome::ok, 0x0p+0, outcome::ok, 0x0p+0f},
    {"-0.0e-999", 9, outcome::ok, -0x0p+0, outcome::ok, -0x0p+0f},
    {"0e99999999999", 13, outcome::ok, 0x0p+0, outcome::ok, 0x0p+0f},
    {"000000000000000000000000000000000000000001.5", 44, outcome::ok, 0x1.8p+0, outcome::ok, 0x1.8p+0f},
    {"0.1", 3, outcome::ok, 0x1.999999999999ap-4, outcome::ok, 0x1.99999ap-4f},
    {"-0.1", 4, outcome::ok, -0x1.999999999999ap-4, outcome::ok, -0x1.99999ap-4f},
    {"1.", 2, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {".5", 2, outcome::ok, 0x1p-1, outcome::ok, 0x1p-1f},
    {"-.5", 3, outcome::ok, -0x1p-1, outcome::ok, -0x1p-1f},
    {"1e", 1, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {"1e+", 1, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {"1E-", 1, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {"1e+5", 4, outcome::ok, 0x1.86ap+16, outcome::ok, 0x1.86ap+16f},
    {"1E-05", 5, outcome::ok, 0x1.4f8b588e368f1p-17, outcome::ok, 0x1.4f8b58p-17f},
    {"00012.500e1", 11, outcome::ok, 0x1.f4p+6, outcome::ok, 0x1.f4p+6f},
    {"1.5e-0", 6, outcome::ok, 0x1.8p+0, outcome::ok, 0x1.8p+0f},
    {"9007199254740993", 16, outcome::ok, 0x1p+53, outcome::ok, 0x1p+53f},
    {"9007199254740995", 16, outcome::ok, 0x1.0000000000002p+53, outcome::ok, 0x1p+53f},
    {"9007199254740992.5", 18, outcome::ok, 0x1p+53, outcome::ok, 0x1p+53f},
    {"123456789012345678901234567890", 30, outcome::ok, 0x1.8ee90ff6c373ep+96, outcome::ok, 0x1.8ee91p+96f},
    {"0.30000000000000004441", 22, outcome::ok, 0x1.3333333333334p-2, outcome::ok, 0x1.333334p-2f},
    {"0.1000000000000000055511151231257827021181583404541015625", 57, outcome::ok, 0x1.999999999999ap-4, outcome::ok,
     0x1.99999ap-4f},
    {"2.2250738585072011e-308", 23, outcome::ok, 0x0.fffffffffffffp-1022, outcome::range, 0x0p+0f},
    {"2.2250738585072012e-308", 23, outcome::ok, 0x1p-1022, outcome::range, 0x0p+0f},
    {"4.9406564584124654e-324", 23, outcome::ok, 0x0.0000000000001p-1022, outcome::range, 0x0p+0f},
    {"2.4703282292062328e-324", 23, outcome::ok, 0x0.0000000000001p-1022, outcome::range, 0x0p+0f},
    {"2.4703282292062327e-324", 23, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"1e-324", 6, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"3e-324", 6, outcome::ok, 0x0.0000000000001p-1022, outcome::range, 0x0p+0f},
    {"1.7976931348623157e308", 22, outcome::ok, 0x1.fffffffffffffp+1023, outcome::range, 0x0p+0f},
    {"1.7976931348623158e308", 22, outcome::ok, 0x1.fffffffffffffp+1023, outcome::range, 0x0p+0f},
    {"1.7976931348623159e308", 22, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"1e309", 5, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"1e308", 5, outcome::ok, 0x1.1ccf385ebc8ap+1023, outcome::range, 0x0p+0f},
    {"1e-308", 6, outcome::ok, 0x0.730d67819e8d2p-1022, outcome::range, 0x0p+0f},
    {"1e23", 4, outcome::ok, 0x1.52d02c7e14af6p+76, outcome::ok, 0x1.52d02cp+76f},
    {"8.98846567431158e307", 20, outcome::ok, 0x1p+1023, outcome::range, 0x0p+0f},
    {"1e99999999999999999999", 22, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"-1e99999999999999999999", 23, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"1e-99999999999999999999", 23, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"0.000001e310", 12, outcome::ok, 0x1.d2a1be4048f9p+1009, outcome::range, 0x0p+0f},
    {"1000000e-330", 12, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"3.4028235e38", 12, outcome::ok, 0x1.fffffe54daff8p+127, outcome::ok, 0x1.fffffep+127f},
    {"3.4028236e38", 12, outcome::ok, 0x1.ffffff514a7bcp+127, outcome::range, 0x0p+0f},
    {"-3.4028235e38", 13, outcome::ok, -0x1.fffffe54daff8p+127, outcome::ok, -0x1.fffffep+127f},
    {"1.17549435e-38", 14, outcome::ok, 0x1.fffffff9fdba8p-127, outcome::ok, 0x1p-126f},
    {"1.1754942e-38", 13, outcome::ok, 0x1.fffffbb1dd6a1p-127, outcome::ok, 0x1.fffffcp-127f},
    {"1.4e-45", 7, outcome::ok, 0x1.ff868bf4d956ap-150, outcome::ok, 0x1p-149f},
    {"7e-46", 5, outcome::ok, 0x1.ff868bf4d956ap-151, outcome::range, 0x0p+0f},
    {"7.1e-46", 7, outcome::ok, 0x1.036aa2680f22cp-150, outcome::ok, 0x1p-149f},
    {"16777217", 8, outcome::ok, 0x1.000001p+24, outcome::ok, 0x1p+24f},
    {"16777219", 8, outcome::ok, 0x1.000003p+24, outcome::ok, 0x1.000004p+24f},
    {"1.00000005960464477539062500", 28, outcome::ok, 0x1.000001p+0, outcome::ok, 0x1p+0f},
    {"1.00000005960464477539062501", 28, outcome::ok, 0x1.000001p+0, outcome::ok, 0x1.000002p+0f},
    {"inf", 3, outcome::ok, inf_d, outcome::ok, inf_f},
    {"-inf", 4, outcome::ok, -inf_d, outcome::ok, -inf_f},
    {"INF", 3, outcome::ok, inf_d, outcome::ok, inf_f},
    {"Infinity", 8, outcome::ok, inf_d, outcome::ok, inf_f},
    {"-infinity", 9, outcome::ok, -inf_d, outcome::ok, -inf_f},
    {"infinit", 3, outcome::ok, inf_d, outcome::ok, inf_f},
    {"infx", 3, outcome::ok, inf_d, outcome::ok, inf_f},
    {"nan", 3, outcome::ok, nan_d, outcome::ok, nan_f},
    {"-nan", 4, outcome::ok, -nan_d, outcome::ok, -nan_f},
    {"NaN", 3, outcome::ok, nan_d, outcome::ok, nan_f},
    {"nan()", 5, outcome::ok, nan_d, outcome::ok, nan_f},
    {"nan(abc_123)", 12, outcome::ok, nan_d, outcome::ok, nan_f},
    {"nan(abc", 3, outcome::ok, nan_d, outcome::ok, nan_f},
    {"nan(a-b)", 3, outcome::ok, nan_d, outcome::ok, nan_f},
    {"nan)", 3, outcome::ok, nan_d, outcome::ok, nan_f},
    {"in", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {"n", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {"-", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {".", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {"-.", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {"e5", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {".e5", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {"+1", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {"--1", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {" 1", 0, outcome::invalid, 0x0p+0, outcome::invalid, 0x0p+0f},
    {"1 ", 1, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {"0x1p3", 1, outcome::ok, 0x0p+0, outcome::ok, 0x0p+0f},
    {"0x1.8p1", 1, outcome::ok, 0x0p+0, outcome::ok, 0x0p+0f},
    {"-0x10", 2, outcome::ok, -0x0p+0, outcome::ok, -0x0p+0f},
    {"1,5", 1, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {"1_000", 1, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {"1e5.5", 3, outcome::ok, 0x1.86ap+16, outcome::ok, 0x1.86ap+16f},
    {"1.2.3", 3, outcome::ok, 0x1.3333333333333p+0, outcome::ok, 0x1.333334p+0f},
    {"1."
     "00000000000000011102230246251565404236316680908203125000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "000000001e+0",
     805, outcome::ok, 0x1.0000000000001p+0, outcome::ok, 0x1p+0f},
    {"1.00000000000000011102230246251565404236316680908203125e+0", 58, outcome::ok, 0x1p+0, outcome::ok, 0x1p+0f},
    {"1.00000000000000033306690738754696212708950042724609375e+0", 58, outcome::ok, 0x1.0000000000002p+0, outcome::ok,
     0x1p+0f},
    {"1.000000059604644775390625e+0", 29, outcome::ok, 0x1.000001p+0, outcome::ok, 0x1p+0f},
    {"1.000000178813934326171875e+0", 29, outcome::ok, 0x1.000003p+0, outcome::ok, 0x1.000004p+0f},
    {"1."
     "79769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692"
     "88791094655554785194040263065748867150582068190890200070838367627385484581771153176447573027006985557136695962284"
     "2914819860834936475292719074168444365510704342711559699508093042880177904174497792e+308",
     315, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"2."
     "22507385850720113605740979670913197593481954635164564802342610972482222202107694551652952390813508791414915891303"
     "96211068700864386945946455276572074078206217433799881410632673292535522868813721490129811224514518898490572223072"
     "85255133155755015914397476397983411801999323962548289017107081850690630666655994938275772572015763062690663332647"
     "56530000924588831643303777979186961204949739037782970490505108060994073026293712895895000358379996720725430436028"
     "40788957717961509455167482434710307026091446215722898802581825451803257070188608721131280795122334262883686223215"
     "03775666622503982534335974568884423900265498198385487948292206894721689831099698365846814022854243330660339850886"
     "44580400103493397042756718644338377048603786162277173854562306587467901408672332763671875e-308",
     774, outcome::ok, 0x1p-1022, outcome::range, 0x0p+0f},
    {"2."
     "47032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722"
     "85886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370"
     "45767824921936562366986365848075700158576926990370631192827955855133292783433840935197801553124659726357957462276"
     "64652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689513"
     "40535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879"
     "63623937328042389101867234849766823508986338858792562830275599565752445550725518931369083625477918694866799496832"
     "40497058210285131854513962138377228261454376934125320985913276672363281251e-324",
     759, outcome::ok, 0x0.0000000000001p-1022, outcome::range, 0x0p+0f},
    {"2."
     "47032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722"
     "85886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370"
     "45767824921936562366986365848075700158576926990370631192827955855133292783433840935197801553124659726357957462276"
     "64652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689513"
     "40535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879"
     "63623937328042389101867234849766823508986338858792562830275599565752445550725518931369083625477918694866799496832"
     "4049705821028513185451396213837722826145437693412532098591327667236328125e-324",
     758, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"2."
     "47032822920623272088284396434110686182529901307162382212792841250337753635104375932649918180817996189898282347722"
     "85886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370"
     "45767824921936562366986365848075700158576926990370631192827955855133292783433840935197801553124659726357957462276"
     "64652728272200563740064854999770965994704540208281662262378573934507363390079677619305775067401763246736009689513"
     "40535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879"
     "63623937328042389101867234849766823508986338858792562830275599565752445550725518931369083625477918694866799496832"
     "4049705821028513185451396213837722826145437693412532098591327667236328e-324",
     755, outcome::range, 0x0p+0, outcome::range, 0x0p+0f},
    {"3.40282356779733661637539395458142568447e+38", 44, outcome::ok, 0x1.ffffffp+127, outcome::ok, 0x1.fffffep+127f},
    {"3.40282356779733661637539395458142568448e+38", 44, outcome::ok, 0x1.ffffffp+127, outcome::range, 0x0p+0f},
    {"7.006492321624085354618647916449580656401309709382578858785341419448955413429303007433190941810607910156251e-46",
     111, outcome::ok, 0x1p-150, outcome::ok, 0x1p-149f},
    {"7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46",
     110, outcome::ok, 0x1p-150, outcome::range, 0x0p+0f},
};

outcome outcome_of(std::errc error)
{
  if (error == std::errc{}) return outcome::ok;
  return error == std::errc::invalid_argument ? outcome::invalid : outcome::range;
}

template <class T>
void check_case(const hard_case& c, outcome expected_outcome, T expected)
{
  constexpr T untouched = T(42);
  T value = untouched;
  const auto result = ctnn::detail::parse_floating(c.text.data(), c.text.data() + c.text.size(), value);
  INFO((sizeof(T) == 8 ? "double " : "float ") << '"' << c.text << '"');
  CHECK(outcome_of(result.ec) == expected_outcome);
  CHECK(static_cast<std::size_t>(result.ptr - c.text.data()) == (expected_outcome == outcome::invalid ? 0 : c.length));
  CHECK(bits(value) == bits(expected_outcome == outcome::ok ? expected : untouched));
}

template <class T>
constexpr T parsed(std::string_view text)
{
  T value{};
  ctnn::detail::parse_floating(text.data(), text.data() + text.size(), value);
  return value;
}

// The same bits at compile time: the fast path, the exact path (17 digits, halfway, subnormal).
static_assert(bits(parsed<double>("0.1")) == bits(0.1));
static_assert(bits(parsed<float>("0.1")) == bits(0.1f));
static_assert(bits(parsed<double>("9007199254740993")) == bits(0x1p53));
static_assert(bits(parsed<double>("0.30000000000000004441")) == bits(0x1.3333333333334p-2));
static_assert(bits(parsed<double>("4.9406564584124654e-324")) == bits(0x0.0000000000001p-1022));
static_assert(bits(parsed<float>("1.00000005960464477539062501")) == bits(0x1.000002p+0f));
static_assert(bits(parsed<double>("-1.7976931348623157e308")) == bits(-0x1.fffffffffffffp+1023));

/// Random text a CSV or model file may hold, and text near the hard cases.
class text_source {
 public:
  explicit text_source(std::uint64_t seed) : random_(seed) {}

  std::string next()
  {
    switch (random_() % 8) {
      case 0:
        return shortest(std::bit_cast<double>(random_()));
      case 1:
        return shortest(std::bit_cast<float>(static_cast<std::uint32_t>(random_())));
      case 2:
        return digits_and_exponent();
      case 3:
        return garbage();
      case 4:
        return float_midpoint();
      case 5:
        return with_digits(std::bit_cast<double>(random_()), 17 + static_cast<int>(random_() % 24));
      case 6:
        return model_value();
      default:
        return near_integer();
    }
  }

 private:
  template <class T>
  static std::string shortest(T v)
  {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
  }

  static std::string with_digits(double v, int digits)
  {
    char buffer[200];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::scientific, digits);
    return std::string(buffer, result.ptr);
  }

  std::string digits_and_exponent()
  {
    std::string s = random_() % 2 ? "-" : "";
    const std::size_t length = 1 + random_() % 40;
    for (std::size_t i = 0; i < length; ++i) s += static_cast<char>('0' + random_() % 10);
    if (random_() % 2) s.insert(s.size() - random_() % length, 1, '.');
    if (random_() % 4 != 0) {
      // Two appends, not "e" + std::to_string(...): GCC 12 at -O3 warns (-Wrestrict) inside that
      // operator+ with a size it cannot bound.
      s += random_() % 2 ? 'e' : 'E';
      s += std::to_string(static_cast<int>(random_() % 800) - 400);
    }
    return s;
  }

  std::string garbage()
  {
    constexpr std::string_view alphabet = "0123456789.eE-+xpinfatyINFAT()_ ,";
    std::string s;
    const std::size_t length = random_() % 14;
    for (std::size_t i = 0; i < length; ++i) s += alphabet[random_() % alphabet.size()];
    return s;
  }

  // Halfway between two adjacent floats (exact in a double), exact, a digit short, or a digit over.
  std::string float_midpoint()
  {
    const auto low_bits = static_cast<std::uint32_t>(random_() % 0x7f7fffffu);
    const double low = static_cast<double>(std::bit_cast<float>(low_bits));
    const double high = static_cast<double>(std::bit_cast<float>(low_bits + 1));
    std::string s = with_digits(low + (high - low) / 2, 120);
    const std::size_t exponent = s.find('e');
    std::string mantissa = s.substr(0, exponent);
    while (mantissa.back() == '0') mantissa.pop_back();
    switch (random_() % 3) {
      case 0:
        break;
      case 1:
        mantissa.pop_back();
        break;
      default:
        mantissa += "0001";
    }
    return mantissa + s.substr(exponent);
  }

  // What a model file holds: a weight's shortest text.
  std::string model_value()
  {
    const double scale = static_cast<double>(random_() % 2000) / 1000.0 - 1.0;
    return random_() % 2 ? shortest(scale) : shortest(static_cast<float>(scale));
  }

  std::string near_integer()
  {
    const std::uint64_t n = random_() >> (random_() % 64);
    return std::to_string(n) + (random_() % 2 ? "" : ".5");
  }

  std::mt19937_64 random_;
};

template <class T>
bool same_as_from_chars(const std::string& text)
{
#if CTNN_FLOATING_FROM_CHARS
  T expected = T(42);
  T value = T(42);
  const auto want = std::from_chars(text.data(), text.data() + text.size(), expected);
  const auto got = ctnn::detail::parse_floating(text.data(), text.data() + text.size(), value);
  return want.ec == got.ec && want.ptr == got.ptr && bits(expected) == bits(value);
#else
  (void)text;
  return true;
#endif
}

}  // namespace

TEST_CASE("parse_floating reads the hard cases as std::from_chars does", "[parse_number]")
{
  for (const hard_case& c : hard_cases) {
    check_case<double>(c, c.as_double, c.double_value);
    check_case<float>(c, c.as_float, c.float_value);
  }
}

TEST_CASE("parse_floating stops where the text stops", "[parse_number]")
{
  // The end pointer bounds every look-ahead: "1e5" cut after "1e", "infinity" after "infin", "nan(x)".
  const std::string_view text = "1e5infinitynan(x)";
  double value = 0;
  auto result = ctnn::detail::parse_floating(text.data(), text.data() + 2, value);
  CHECK((result.ptr == text.data() + 1 && value == 1));
  result = ctnn::detail::parse_floating(text.data() + 3, text.data() + 8, value);
  CHECK((result.ptr == text.data() + 6 && value == inf_d));
  result = ctnn::detail::parse_floating(text.data() + 11, text.data() + 16, value);
  CHECK(result.ptr == text.data() + 14);
  result = ctnn::detail::parse_floating(text.data(), text.data(), value);
  CHECK((result.ec == std::errc::invalid_argument && result.ptr == text.data()));
}

TEST_CASE("parse_floating and std::from_chars agree on a million random strings", "[parse_number]")
{
#if !CTNN_FLOATING_FROM_CHARS
  WARN("this standard library has no floating-point std::from_chars to compare with");
#endif
  text_source source{24};
  std::size_t differences = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const std::string text = source.next();
    const bool same = same_as_from_chars<double>(text) && same_as_from_chars<float>(text);
    if (!same && ++differences <= 10) FAIL_CHECK("differs from std::from_chars: \"" << text << '"');
  }
  CHECK(differences == 0);
}
