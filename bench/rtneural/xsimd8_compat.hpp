#pragma once
// RTNeural's xsimd backend calls xsimd::reduce_add, which Debian 12's xsimd 8.1 (libxsimd-dev) names
// hadd; RTNeural's bundled xsimd is a git submodule, absent from a source archive. Force-included
// (-include) into the xsimd build only.
#include <xsimd/xsimd.hpp>

namespace xsimd {
template <class T, class A>
T reduce_add(const batch<T, A>& b) noexcept
{
  return hadd(b);
}
}  // namespace xsimd
