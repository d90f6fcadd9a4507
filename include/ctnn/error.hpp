#pragma once
// How ctnn reports a runtime error, in one place. With exceptions (the default) it throws; every
// exception it throws derives from ctnn::error and from the standard exception it always was
// (std::invalid_argument for a bad argument, std::runtime_error for bad data, a bad model file or a
// diverged training), so `catch (const ctnn::error&)` and `catch (const std::exception&)` both catch
// it. Built with -fno-exceptions, ctnn calls the handler installed with set_error_handler() with the
// message instead (default: the message on stderr, then std::abort()); a handler must not return
// (if it does, ctnn aborts). In a constant expression every such error is a compile error that names
// the problem. This header is what the inference path includes: it pulls in no <string>,
// <stdexcept> or <iostream>.

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define CTNN_EXCEPTIONS 1
#else
#define CTNN_EXCEPTIONS 0
#endif

namespace ctnn {

/// The base of every exception ctnn throws. Each also derives from a standard exception (so from
/// std::exception exactly once); what() is that exception's message.
class error {
 public:
  [[nodiscard]] virtual const char* what() const noexcept = 0;

 protected:
  error() = default;
  error(const error&) = default;
  error& operator=(const error&) = default;
  ~error() = default;
};

namespace detail {
// A short message built without <string>: text and counts into a fixed buffer.
class short_message {
 public:
  short_message& operator<<(const char* text) noexcept
  {
    while (*text != '\0' && used_ + 1 < sizeof text_) text_[used_++] = *text++;
    text_[used_] = '\0';
    return *this;
  }
  short_message& operator<<(std::size_t n) noexcept
  {
    char digits[20];
    int count = 0;
    do {
      digits[count++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n != 0);
    while (count > 0 && used_ + 1 < sizeof text_) text_[used_++] = digits[--count];
    text_[used_] = '\0';
    return *this;
  }
  const char* c_str() const noexcept { return text_; }

 private:
  char text_[96] = {};
  std::size_t used_ = 0;
};
}  // namespace detail

/// Vector::at or Matrix::at was given an index beyond the size.
class index_error : public std::exception, public error {
 public:
  index_error(std::size_t index, std::size_t size) noexcept : index_(index), size_(size)
  {
    message_ << "ctnn: index " << index << " is out of range for " << size << (size == 1 ? " value" : " values");
  }

  const char* what() const noexcept override { return message_.c_str(); }
  std::size_t index() const noexcept { return index_; }
  std::size_t size() const noexcept { return size_; }

 private:
  std::size_t index_;
  std::size_t size_;
  detail::short_message message_;
};

/// A Vector was to be made from a number of values other than its size.
class length_error : public std::exception, public error {
 public:
  length_error(std::size_t expected, std::size_t given) noexcept : expected_(expected), given_(given)
  {
    message_ << "ctnn: a Vector of " << expected << (expected == 1 ? " value" : " values") << " cannot be made from "
             << given << (given == 1 ? " value" : " values");
  }

  const char* what() const noexcept override { return message_.c_str(); }
  std::size_t expected() const noexcept { return expected_; }
  std::size_t given() const noexcept { return given_; }

 private:
  std::size_t expected_;
  std::size_t given_;
  detail::short_message message_;
};

/// What ctnn calls, without exceptions, with a runtime error's message; it must not return.
using error_handler = void (*)(const char* message);

namespace detail {
inline error_handler& installed_error_handler() noexcept
{
  static error_handler handler = nullptr;
  return handler;
}
}  // namespace detail

/// Installs the handler ctnn calls on a runtime error when exceptions are disabled (nullptr: the
/// default, the message on stderr then std::abort()); returns the previous one. With exceptions
/// enabled ctnn throws and never calls it.
inline error_handler set_error_handler(error_handler handler) noexcept
{
  error_handler previous = detail::installed_error_handler();
  detail::installed_error_handler() = handler;
  return previous;
}

namespace detail {

/// Without exceptions: the installed handler, else the message on stderr; then abort.
[[noreturn]] inline void fail_without_exceptions(const char* message) noexcept
{
  if (const error_handler handler = installed_error_handler()) handler(message);
  std::fputs(message, stderr);
  std::fputc('\n', stderr);
  std::abort();
}

/// Throws problem, or without exceptions passes its message to the handler. The exception is made
/// by the caller, raise(argument_error("...")), so that its arguments convert where they are written.
template <class E>
[[noreturn]] void raise(const E& problem)
{
#if CTNN_EXCEPTIONS
  throw problem;
#else
  fail_without_exceptions(problem.what());
#endif
}

/// Vector::at's and Matrix::at's error (in a constant expression, a compile error naming it).
[[noreturn]] inline void ctnn_error_index_out_of_range(std::size_t index, std::size_t size)
{
  raise(index_error(index, size));
}

/// A Vector made from a span or pointer + count of the wrong length.
[[noreturn]] inline void ctnn_error_length_mismatch(std::size_t expected, std::size_t given)
{
  raise(length_error(expected, given));
}

}  // namespace detail
}  // namespace ctnn
