#pragma once
// The records of a CSV text (RFC 4180: quoted fields with "" for a quote, separators and line breaks
// inside quotes; lines ended by "\n" or "\r\n"), and fields as error messages show them. Used by
// ctnn/csv.hpp, which gives the records their meaning (numbers, class labels, missing values).

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ctnn/error.hpp"
#include "ctnn/errors.hpp"

namespace ctnn::detail::csv {

/// One record: its fields, unquoted, and the 1-based line each field starts on.
struct Record {
  std::vector<std::string> fields;
  std::vector<std::size_t> lines;
  bool blank = false;            ///< an empty line (one empty field)
  bool last_was_quoted = false;  ///< the last field was in quotes: `""` at a line end is a field, not a separator

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
    record.last_was_quoted = false;
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
      record.last_was_quoted = !at_end() && text_[position_] == '"';
      if (record.last_was_quoted)
        read_quoted(field, column);
      else
        read_plain(field);
      if (at_end() || end_of_line()) return true;
      if (text_[position_] == separator_) {
        ++position_;
        continue;
      }
      // Only a quoted field can stop elsewhere: at the character after its closing quote.
      detail::raise(data_error(source_, line_, column,
                               "expected a separator or the end of the line after a closing quote, found " +
                                   shown(text_.substr(position_, 1))));
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
        detail::raise(
            data_error(source_, first_line, column,
                       "expected a closing quote for the quoted field that starts here, found the end of the file"));
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

/// Where a field is, for error messages.
struct Place {
  const std::string& source;
  std::size_t line;
  std::size_t column;  // 1-based
  std::string column_name;
};

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

inline bool all_digits(std::string_view text) noexcept
{
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline std::string plural(std::size_t count, const char* word, const char* words = nullptr)
{
  if (count == 1) return "1 " + std::string(word);
  return std::to_string(count) + " " + (words ? std::string(words) : word + std::string("s"));
}

/// Names as a message lists them: 'a', 'b', 'c' (the first `most`, then how many there are in all).
inline std::string listed(const std::vector<std::string>& names, std::size_t most = 12)
{
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) out += (i ? ", " : "") + shown(names[i]);
  if (names.size() > most) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

/// The edit distance (insertions, deletions, substitutions) between two names, ASCII letters
/// compared without case.
inline std::size_t edit_distance(std::string_view a, std::string_view b)
{
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

/// "; the closest is 'x'" for the name among candidates nearest to wanted (the first of equals), when
/// it is near enough to be what was meant (at most half as many edits as the longer name has
/// characters); otherwise nothing.
inline std::string closest_of(std::string_view wanted, const std::vector<std::string>& candidates)
{
  std::size_t best = candidates.size(), best_distance = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::size_t distance = edit_distance(wanted, candidates[i]);
    if (best == candidates.size() || distance < best_distance) {
      best = i;
      best_distance = distance;
    }
  }
  if (best == candidates.size() || 2 * best_distance > std::max(wanted.size(), candidates[best].size())) return {};
  return "; the closest is " + shown(candidates[best]);
}

}  // namespace ctnn::detail::csv
