#pragma once
// Long training in the compiler, in stages: CTNN_TRAIN_IN_STAGES(name, Recipe, count).
//
// GCC frees what its constant evaluator allocated (a tree node per floating-point result, about
// 80 KB per XOR epoch) only when it finishes a function definition at namespace scope: never during
// one constant evaluation, nor between template instantiations (bench/README.md measured 1.16 GB for
// the XOR run in one evaluation, and the same for stages chained by templates alone). And each
// evaluation must stay within the compilers' constexpr limits (Clang's default is 2^20 steps, about
// 750 XOR epochs). So a long run is split into stages, each a namespace-scope constexpr variable
// continuing the last, with a function defined after each: GCC collects there, and each stage is a
// separate constant expression for the limits. Only a macro can write such a sequence of
// declarations; this one is the whole facility, and the recipe says what a stage does.
//
// A recipe is a type with
//   static constexpr State start();                                  // before the first stage
//   static constexpr State stage(State previous, auto index);        // index: integral_constant 1..count
// and the stages give the same bits as one run when State carries everything a run keeps between
// epochs: the model, and for stateful training the optimizer's state and the shuffle generator.
// `index` is a std::integral_constant, so a stage may depend on it in types (a slice of the data set).
//
//   struct XorTraining {
//     static constexpr Xor start() { return ctnn::initialized<Xor>(ctnn::Uniform01{}, ctnn::Seed{2024}); }
//     static constexpr Xor stage(Xor net, auto /*index*/)
//     {
//       ctnn::fit(net, ctnn::datasets::xor_gate(), ctnn::MeanSquaredError{}, ctnn::SGD{0.1}, {.epochs = 750});
//       return net;
//     }
//   };
//   CTNN_TRAIN_IN_STAGES(trained, XorTraining, 20);   // inline constexpr auto trained = the 20th stage
//
// Use it at namespace scope; count is a literal from 1 to 255. It also defines name##_ctnn_stage_0 to
// _<count> and a function per stage.

#include <cstddef>
#include <type_traits>

#include <boost/preprocessor/arithmetic/inc.hpp>
#include <boost/preprocessor/cat.hpp>
#include <boost/preprocessor/repetition/repeat.hpp>
#include <boost/preprocessor/tuple/elem.hpp>

namespace ctnn::detail {

template <class Recipe>
constexpr auto first_stage()
{
  static_assert(
      requires { Recipe::start(); }, "ctnn: a staged recipe needs static constexpr State start()");
  return Recipe::start();
}

template <class Recipe, std::size_t Index, class State>
constexpr State next_stage(const State& previous)
{
  static_assert(
      requires { Recipe::stage(previous, std::integral_constant<std::size_t, Index>{}); },
      "ctnn: a staged recipe needs static constexpr State stage(State previous, auto index)");
  return Recipe::stage(previous, std::integral_constant<std::size_t, Index>{});
}

}  // namespace ctnn::detail

#define CTNN_DETAIL_STAGE_NAME(name, n) BOOST_PP_CAT(name, BOOST_PP_CAT(_ctnn_stage_, n))

// Stage n + 1 from stage n, then the function at which GCC frees stage n + 1's garbage.
#define CTNN_DETAIL_STAGE(z, n, name_and_recipe)                                                              \
  inline constexpr auto CTNN_DETAIL_STAGE_NAME(BOOST_PP_TUPLE_ELEM(2, 0, name_and_recipe), BOOST_PP_INC(n)) = \
      ::ctnn::detail::next_stage<BOOST_PP_TUPLE_ELEM(2, 1, name_and_recipe), n + 1>(                          \
          CTNN_DETAIL_STAGE_NAME(BOOST_PP_TUPLE_ELEM(2, 0, name_and_recipe), n));                             \
  [[maybe_unused]] inline void BOOST_PP_CAT(BOOST_PP_TUPLE_ELEM(2, 0, name_and_recipe),                       \
                                            BOOST_PP_CAT(_ctnn_gcc_collects_after_stage_, BOOST_PP_INC(n)))() \
  {                                                                                                           \
  }

/// Defines `inline constexpr auto name`: Recipe's state after count stages, each a constant
/// expression of its own (see the top of this header).
#define CTNN_TRAIN_IN_STAGES(name, Recipe, count)                                                \
  inline constexpr auto CTNN_DETAIL_STAGE_NAME(name, 0) = ::ctnn::detail::first_stage<Recipe>(); \
  BOOST_PP_REPEAT(count, CTNN_DETAIL_STAGE, (name, Recipe))                                      \
  inline constexpr auto name = CTNN_DETAIL_STAGE_NAME(name, count)
