#pragma once
// Build settings ctnn's promises depend on, checked where the compiler can see them.

// -ffast-math lets the compiler reorder and approximate floating-point operations at runtime but
// not in the constant evaluator, so the model trained in a static_assert would no longer match the
// one trained at runtime. (FMA contraction cannot be detected here; the CMake target turns it off.)
#if defined(__FAST_MATH__) && !defined(CTNN_ALLOW_FAST_MATH)
#error \
    "ctnn: -ffast-math breaks bit-identical compile-time and runtime results; remove it (or define CTNN_ALLOW_FAST_MATH to accept different bits)"
#endif
