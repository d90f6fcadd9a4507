// ctnn_add_dataset with columns chosen by name and index, class labels as names in each order, and
// missing values (tests/dataset/CMakeLists.txt makes the headers). The static_asserts check the
// headers in the compiler; main() reads the same files with read_csv and the same options and
// passes only if every value has the same bits and every name is the same.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <ctnn/csv.hpp>

#include "animals_fill.hpp"
#include "animals_first_seen.hpp"
#include "animals_float.hpp"
#include "animals_given.hpp"
#include "animals_sorted.hpp"
#include "regions.hpp"

namespace datasets = ctnn::datasets;

// animals.csv, NA_POLICY DROP_ROW: rows 2, 3 and 5 (lines 3, 4, 6) have a missing value.
static_assert(datasets::animals_sorted().size() == 5);
static_assert(datasets::animals_sorted_class_names[0] == "cat" && datasets::animals_sorted_class_names[1] == "dog" &&
              datasets::animals_sorted_class_names[2] == "eel");
static_assert(datasets::animals_sorted_input_names[0] == "length" &&
              datasets::animals_sorted_input_names[1] == "weight");
static_assert(datasets::animals_sorted_target_names[0] == "kind");
static_assert(datasets::animals_sorted()[1].input.values[0] == 3.0 &&
              datasets::animals_sorted()[1].target.values[2] == 1.0);
static_assert(datasets::animals_sorted()[4].input.values[0] == -1e-3 &&
              datasets::animals_sorted()[4].target.values[0] == 1.0);
static_assert(datasets::animals_first_seen_class_names[0] == "cat" &&
              datasets::animals_first_seen_class_names[1] == "eel" &&
              datasets::animals_first_seen_class_names[2] == "dog");
static_assert(datasets::animals_first_seen()[3].target.values[2] == 1.0);  // the dog, class 2 in first-seen order
static_assert(datasets::animals_given_class_names[0] == "eel" && datasets::animals_given()[0].target.values[2] == 1.0);
static_assert(datasets::animals_float<float>()[0].input.values[1] == 20.0f);
// NA_POLICY FILL, columns by index, the id as a numeric target.
static_assert(datasets::animals_fill().size() == 8);
static_assert(datasets::animals_fill()[1].input.values[0] == -1.0 &&
              datasets::animals_fill()[2].input.values[1] == -1.0);
static_assert(datasets::animals_fill()[7].target.values[0] == 8.0);
// regions.csv: a separator at the end of every line; NA_VALUES "" makes only the empty field missing, so
// "NA" (North America) is a class; the inputs are every column but the label.
static_assert(datasets::regions().size() == 3);
static_assert(datasets::regions_class_names[0] == "EU" && datasets::regions_class_names[1] == "NA");
static_assert(datasets::regions()[0].input.values[0] == 1.0 && datasets::regions()[0].target.values[1] == 1.0);

namespace {

int failures = 0;

template <class Fixed, class Read>
void compare(const char* name, const Fixed& fixed, const Read& read)
{
  bool same = fixed.size() == read.size();
  for (std::size_t s = 0; same && s < read.size(); ++s) {
    for (std::size_t i = 0; i < Read::inputs; ++i)
      same = same && std::bit_cast<std::uint64_t>(double(fixed[s].input.values[i])) ==
                         std::bit_cast<std::uint64_t>(double(read[s].input.values[i]));
    for (std::size_t k = 0; k < Read::outputs; ++k)
      same = same && std::bit_cast<std::uint64_t>(double(fixed[s].target.values[k])) ==
                         std::bit_cast<std::uint64_t>(double(read[s].target.values[k]));
  }
  std::printf("%s: %s\n", name, same ? "the same samples as read_csv" : "NOT the samples read_csv reads");
  failures += same ? 0 : 1;
}

template <std::size_t K>
void compare_names(const char* name, const std::string_view (&generated)[K], const std::vector<std::string>& read)
{
  bool same = read.size() == K;
  for (std::size_t c = 0; same && c < K; ++c) same = generated[c] == read[c];
  std::printf("%s: %s\n", name, same ? "the same class names as read_csv" : "NOT the class names read_csv reads");
  failures += same ? 0 : 1;
}

}  // namespace

int main()
{
  using ctnn::CsvClassOrder;
  using ctnn::CsvHeader;
  using ctnn::CsvNaPolicy;
  using ctnn::CsvOptions;
  using ctnn::CsvTargets;
  const std::string animals = CTNN_DATASET_DIR "/animals.csv";
  const CsvOptions by_name{.header = CsvHeader::names,
                           .targets = CsvTargets::class_label,
                           .input_columns = {"length", "weight"},
                           .target_columns = {"kind"},
                           .na_policy = CsvNaPolicy::drop_row};
  const auto sorted = ctnn::read_csv<2, 3>(animals, by_name);
  compare("animals_sorted", datasets::animals_sorted(), sorted);
  compare_names("animals_sorted", datasets::animals_sorted_class_names, sorted.class_names());

  CsvOptions first_seen = by_name;
  first_seen.class_order = CsvClassOrder::first_seen;
  const auto seen = ctnn::read_csv<2, 3>(animals, first_seen);
  compare("animals_first_seen", datasets::animals_first_seen(), seen);
  compare_names("animals_first_seen", datasets::animals_first_seen_class_names, seen.class_names());

  CsvOptions given = by_name;
  given.class_names = {"eel", "dog", "cat"};
  const auto named = ctnn::read_csv<2, 3>(animals, given);
  compare("animals_given", datasets::animals_given(), named);
  compare_names("animals_given", datasets::animals_given_class_names, named.class_names());

  compare("animals_float", datasets::animals_float<float>(), ctnn::read_csv<2, 3, float>(animals, by_name));

  const CsvOptions fill{.header = CsvHeader::names,
                        .input_columns = {1, 2},
                        .target_columns = {0},
                        .na_policy = CsvNaPolicy::fill,
                        .na_fill = -1.0};
  compare("animals_fill", datasets::animals_fill(), ctnn::read_csv<2, 1>(animals, fill));

  const CsvOptions regions{.header = CsvHeader::names,
                           .targets = CsvTargets::class_label,
                           .input_columns = {0},
                           .target_columns = {"region"},
                           .na_values = {""},
                           .na_policy = CsvNaPolicy::drop_row};
  const auto read_regions = ctnn::read_csv<1, 2>(CTNN_DATASET_DIR "/regions.csv", regions);
  compare("regions", datasets::regions(), read_regions);
  compare_names("regions", datasets::regions_class_names, read_regions.class_names());
  return failures == 0 ? 0 : 1;
}
