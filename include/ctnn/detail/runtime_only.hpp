#pragma once
// Keeps GCC from running heavy constexpr functions at compile time when runtime code calls them.
//
// At -O1 and above GCC's front end tries to fold every call of a constexpr function whose arguments
// are constants, at the constant evaluator's speed: `initialized<Net>(init, Seed{1})` for a
// 784-32-10 network in main() cost 7 s of compile time for a 1 ms call (bench/README.md). The
// functions that can do that much work begin with
//
//   if (!__builtin_is_constant_evaluated()) detail::runtime_only();
//
// A real constant evaluation (constexpr variable, static_assert, template argument) skips the call,
// so neither results nor its cost change. In a speculative fold GCC 12 gives up at once on the
// builtin (it cannot tell whether the context is constant-evaluated), and a GCC that treats it as
// false there gives up at the call of this non-constexpr function. At runtime the empty inline
// function compiles to nothing. Clang folds no such calls; it never sees the function.

#include <cstddef>

namespace ctnn::detail {

/// Not constexpr on purpose: reaching it ends any attempt to fold the caller into a constant.
inline void runtime_only() noexcept {}

/// Networks up to this many parameters may still be folded when their arguments are constants (a
/// predict or initialisation of that size costs the evaluator milliseconds, and saves the runtime
/// its work); larger ones are computed at runtime.
inline constexpr std::size_t fold_parameter_limit = 256;

}  // namespace ctnn::detail
