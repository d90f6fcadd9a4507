#pragma once
// Build settings ctnn's promises depend on, checked where the compiler can see them.

// Value-changing floating-point modes let the compiler reorder, approximate or widen operations at
// runtime but not in the constant evaluator, so the model trained in a static_assert would no
// longer match the one trained at runtime (docs/numerics.md lists them). FMA contraction cannot be
// detected here; the CMake target turns it off with -ffp-contract=off.
#if !defined(CTNN_ALLOW_FAST_MATH)
#if defined(__FAST_MATH__)
#error \
    "ctnn: -ffast-math breaks bit-identical compile-time and runtime results; remove it (or define CTNN_ALLOW_FAST_MATH to accept different bits)"
#elif defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__
// Also reached under Clang's -ffast-math: ctnn::ctnn switches its other parts back off after it.
#error \
    "ctnn: -ffast-math and -ffinite-math-only break bit-identical compile-time and runtime results (NaN and infinity checks are folded away); remove them (or define CTNN_ALLOW_FAST_MATH to accept different bits)"
#elif defined(__ASSOCIATIVE_MATH__) || defined(__RECIPROCAL_MATH__) || defined(__NO_SIGNED_ZEROS__)
#error \
    "ctnn: -fassociative-math, -freciprocal-math and -fno-signed-zeros break bit-identical compile-time and runtime results; remove them (or define CTNN_ALLOW_FAST_MATH to accept different bits)"
#elif defined(__FLT_EVAL_METHOD__) && __FLT_EVAL_METHOD__ != 0
#error \
    "ctnn: excess floating-point precision (FLT_EVAL_METHOD != 0, e.g. x87 with -mfpmath=387) breaks bit-identical results; use SSE2 (-mfpmath=sse) (or define CTNN_ALLOW_FAST_MATH to accept different bits)"
#endif
#endif

// Under -ffast-math or -ffinite-math-only the translation unit already fails with the #error above;
// Clang 18+ would add an error for each infinity in ctnn's math, and the #error should be the only one.
#if !defined(CTNN_ALLOW_FAST_MATH) && defined(__clang__) && defined(__has_warning) && \
    (defined(__FAST_MATH__) || (defined(__FINITE_MATH_ONLY__) && __FINITE_MATH_ONLY__))
#if __has_warning("-Wnan-infinity-disabled")
#pragma clang diagnostic ignored "-Wnan-infinity-disabled"
#endif
#endif
