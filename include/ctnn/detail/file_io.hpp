#pragma once
// Whole-file reading with a size bound, and atomic writing, for everything ctnn reads or writes at
// runtime (model files, generated headers, plots, CSV files). Each takes the caller's `fail`, a
// callable that raises the caller's error with the reason (model_file_error, io_error, ...) and does
// not return.

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "ctnn/detail/text.hpp"
#include "ctnn/random.hpp"

namespace ctnn::detail {

/// The whole file at path; fail(why) when it is missing, not a file, unreadable or longer than
/// limit bytes (`what` names what the file should be, as in "a model file").
template <class Fail>
std::string read_bounded(const std::filesystem::path& path, std::size_t limit, std::string_view what, Fail&& fail)
{
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) fail(std::string("the file does not exist"));
  if (ec) fail(cat("cannot access the file: ", ec.message()));
  if (fs::is_directory(status)) fail(cat("it is a directory, not ", what));

  std::ifstream in(path, std::ios::binary);
  if (!in) fail(std::string("cannot open the file for reading"));
  std::string text;
  char chunk[4096];
  while (text.size() <= limit) {
    in.read(chunk, sizeof chunk);
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) fail(std::string("error while reading the file"));
  if (text.size() > limit) fail(cat("the file is longer than ", num(limit), " bytes, the most ", what, " can take"));
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
  temporary_file() = default;
  temporary_file(const temporary_file&) = delete;
  temporary_file& operator=(const temporary_file&) = delete;
  ~temporary_file()
  {
    close();
    if (!path.empty()) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  }
};

/// Writes content to path atomically: a new temporary file in the same directory (path + ".tmp-"
/// and 16 random hex digits, created exclusively), flushed, checked, closed and renamed over path.
/// On failure the temporary file is removed and fail(why) is called. So a crash or a full disk never
/// leaves half a file at path.
template <class Fail>
void write_atomically(const std::filesystem::path& path, std::string_view content, Fail&& fail)
{
  namespace fs = std::filesystem;
  if (path.empty() || !path.has_filename()) fail(std::string("the path does not name a file"));
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
  const std::string quoted_candidate = cat("\"", candidate.string(), "\"");
  if (tmp.file == nullptr)
    fail(cat("cannot create the temporary file ", quoted_candidate, error != 0 ? ": " : "",
             error != 0 ? errno_text(error) : std::string()));
  tmp.path = candidate;

  const bool written = std::fwrite(content.data(), 1, content.size(), tmp.file) == content.size();
  const bool flushed = std::fflush(tmp.file) == 0 && std::ferror(tmp.file) == 0;
  error = errno;
  const bool closed = tmp.close();
  if (!written || !flushed || !closed)
    fail(cat("cannot write the temporary file ", quoted_candidate, error != 0 ? ": " : "",
             error != 0 ? errno_text(error) : std::string()));

  fs::rename(candidate, path, ec);
  if (ec) {
    std::error_code ignored;
    fail(cat("cannot rename the temporary file ", quoted_candidate,
             " to it: ", fs::is_directory(path, ignored) ? std::string("it is a directory") : ec.message()));
  }
  tmp.path.clear();  // renamed: nothing left to remove
}

}  // namespace ctnn::detail
