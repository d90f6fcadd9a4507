#pragma once
// The class-label column of a CSV file: its fields made class indices by the rule read_csv's options
// choose (given names, scikit-learn's integers, or the labels themselves in first-seen or sorted
// order), with the errors that name the label, its line and its column. Used by ctnn/csv.hpp.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctnn/data.hpp"
#include "ctnn/detail/csv_records.hpp"
#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"

namespace ctnn::detail::csv {

inline std::string ordinal(std::size_t n)
{
  const std::size_t tens = n % 100, ones = n % 10;
  const char* suffix = tens >= 11 && tens <= 13 ? "th" : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

/// Why a data set of that many outputs has its number of classes, for messages.
inline std::string classes_reason(std::size_t outputs)
{
  return outputs == 1 ? " (two classes for the data set's one output)" : " (the data set's outputs)";
}

/// Turns the fields of a class-label column into class indices by the rules of CsvOptions: the given
/// class_names, scikit-learn's integers, or the labels themselves in first-seen or sorted order
/// (integers as indices). classes is 0 when the labels count the classes (ctnn_add_dataset without
/// CLASSES).
class ClassLabels {
 public:
  /// How the labels become classes: the given names, integers (scikit-learn's layout, names from its
  /// header line), or names read from the labels in first-seen or sorted order.
  enum class Rule { given, integers, first_seen, sorted };

  /// names: the given ones, or scikit-learn's. outputs: the data set's, or 0 when the labels count
  /// the classes.
  ClassLabels(Rule rule, std::vector<std::string> names, std::size_t outputs, const std::string& source)
      : source_(source),
        outputs_(outputs),
        classes_(outputs == 0 ? 0 : class_count(outputs)),
        mode_(rule),
        names_(mode_ == Rule::given || mode_ == Rule::integers ? std::move(names) : std::vector<std::string>{})
  {
    if (mode_ == Rule::integers && classes_ == 0) classes_ = names_.size();
    for (std::size_t i = 0; i < names_.size() && mode_ == Rule::given; ++i) index_of_.emplace(names_[i], i);
  }

  /// A field that names a given class is that class, even when it is also a spelling of a missing value.
  bool names_a_given_class(std::string_view field) const
  {
    return mode_ == Rule::given && index_of_.find(trimmed(field)) != index_of_.end();
  }

  /// Reads the label of the next row kept.
  void add(std::string_view field, const Place& place)
  {
    const std::string_view label = trimmed(field);
    if (label.empty() && mode_ != Rule::integers) fail(place, "expected a class label, found an empty field");
    switch (mode_) {
      case Rule::integers: {
        std::size_t index = 0;
        if (!parse_unsigned(label, index) || index >= classes_) fail(place, integer_expected(field));
        indices_.push_back(index);
        return;
      }
      case Rule::given: {
        const auto found = index_of_.find(label);
        if (found == index_of_.end())
          fail(place, "expected a class label, " +
                          (names_.size() <= 12 ? "one of " + listed(names_)
                                               : "one of the " + plural(names_.size(), "class name")) +
                          ", found " + shown(field) + closest_of(label, names_));
        indices_.push_back(found->second);
        return;
      }
      case Rule::first_seen: {
        auto found = index_of_.find(label);
        if (found == index_of_.end()) {
          if (classes_ != 0 && names_.size() == classes_) fail(place, one_too_many(field));
          found = index_of_.emplace(std::string(label), names_.size()).first;
          names_.emplace_back(label);
          first_places_.push_back(where(place));
        }
        indices_.push_back(found->second);
        return;
      }
      case Rule::sorted:
        pending_.emplace_back(label);
        pending_places_.push_back(where(place));
        return;
    }
  }

  /// After the last row: each row's class index, the class names (none for integer labels), and the
  /// number of classes.
  void finish()
  {
    if (mode_ == Rule::sorted) resolve_sorted();
    if (classes_ == 0) classes_ = names_.size();
    if ((mode_ == Rule::first_seen || mode_ == Rule::sorted) && names_.size() < classes_ && !first_places_.empty())
      fail(first_places_.front(), "expected the labels of " + plural(classes_, "class", "classes") +
                                      classes_reason(outputs_) + ", found " + std::to_string(names_.size()) + ": " +
                                      listed(names_));
  }

  std::size_t classes() const noexcept { return classes_; }
  const std::vector<std::size_t>& indices() const noexcept { return indices_; }
  std::vector<std::string> names() const { return integer_labels_ ? std::vector<std::string>{} : names_; }

 private:
  struct Where {
    std::size_t line, column;
    std::string column_name;
  };

  static Where where(const Place& place) { return {place.line, place.column, place.column_name}; }

  [[noreturn]] void fail(const Place& place, const std::string& problem) const
  {
    detail::raise(data_error(source_, place.line, place.column, problem, place.column_name));
  }
  [[noreturn]] void fail(const Where& where, const std::string& problem) const
  {
    detail::raise(data_error(source_, where.line, where.column, problem, where.column_name));
  }

  std::string integer_expected(std::string_view field) const
  {
    return "expected a class label, an integer from 0 to " + std::to_string(classes_ - 1) + ", found " + shown(field);
  }

  std::string one_too_many(std::string_view field) const
  {
    return "expected the labels of " + plural(classes_, "class", "classes") + classes_reason(outputs_) + ", found a " +
           ordinal(classes_ + 1) + " label, " + shown(field) + ", after " + listed(names_);
  }

  // Sorted order: integer labels are the class indices; other labels are sorted by their bytes.
  void resolve_sorted()
  {
    integer_labels_ = !pending_.empty() && std::all_of(pending_.begin(), pending_.end(), all_digits);
    if (integer_labels_) {
      std::size_t largest = 0;
      for (std::size_t row = 0; row < pending_.size(); ++row) {
        std::size_t index = 0;
        const bool fits = parse_unsigned(pending_[row], index) && (classes_ == 0 || index < classes_);
        if (!fits && classes_ != 0) fail(pending_places_[row], integer_expected(pending_[row]));
        if (!fits)
          fail(pending_places_[row], "expected a class label that fits an index, found " + shown(pending_[row]));
        largest = std::max(largest, index);
        indices_.push_back(index);
      }
      if (classes_ == 0) {  // counted from the labels: every class from 0 to the largest must occur
        // n rows name at most n classes, so one of 0 .. n is absent when the largest label is n or more.
        std::vector<bool> seen(std::min(largest, pending_.size()) + 1, false);
        for (const std::size_t index : indices_)
          if (index < seen.size()) seen[index] = true;
        const auto absent = static_cast<std::size_t>(std::find(seen.begin(), seen.end(), false) - seen.begin());
        if (absent != seen.size())
          fail(pending_places_.front(), "expected every class label from 0 to " + std::to_string(largest) +
                                            " (integer labels count the classes from 0), found no " +
                                            std::to_string(absent));
        classes_ = largest + 1;
      }
      return;
    }
    // The first classes_ different labels in file order must be all there are.
    std::map<std::string, std::size_t, std::less<>> first_row;
    for (std::size_t row = 0; row < pending_.size(); ++row) {
      if (first_row.find(pending_[row]) != first_row.end()) continue;
      if (classes_ != 0 && first_row.size() == classes_) {
        for (const auto& [name, first] : first_row) names_.push_back(name);
        std::sort(names_.begin(), names_.end(),
                  [&](const std::string& a, const std::string& b) { return first_row.at(a) < first_row.at(b); });
        fail(pending_places_[row], one_too_many(pending_[row]));
      }
      first_row.emplace(pending_[row], row);
      first_places_.push_back(pending_places_[row]);
    }
    std::size_t next = 0;
    for (auto& [name, index] : first_row) {  // std::map: by bytes, as std::string compares
      names_.push_back(name);
      index = next++;
    }
    for (const std::string& label : pending_) indices_.push_back(first_row.find(label)->second);
  }

  const std::string& source_;
  std::size_t outputs_;
  std::size_t classes_;
  Rule mode_;
  bool integer_labels_ = false;
  std::vector<std::string> names_;
  std::map<std::string, std::size_t, std::less<>> index_of_;
  std::vector<std::size_t> indices_;
  std::vector<std::string> pending_;  // sorted order: the labels, resolved by finish()
  std::vector<Where> pending_places_;
  std::vector<Where> first_places_;  // where each different label first appears
};

}  // namespace ctnn::detail::csv
