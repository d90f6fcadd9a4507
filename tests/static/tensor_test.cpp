// Fixed-size tensors: literal types whose operations are constant expressions.

#include <type_traits>

#include <ctnn/tensor.hpp>

namespace {

constexpr ctnn::Matrix<double, 2, 3> a{{1, 2, 3, 4, 5, 6}};
constexpr ctnn::Vector<double, 3> x{{1, 0, -1}};
constexpr ctnn::Vector<double, 2> y{{2, -1}};

static_assert(a(1, 2) == 6);
static_assert(a.rows() == 2 && a.cols() == 3 && a.size() == 6);
static_assert(ctnn::matvec(a, x) == ctnn::Vector<double, 2>{{1 - 3, 4 - 6}});
static_assert(ctnn::transposed_matvec(a, y) == ctnn::Vector<double, 3>{{2 - 4, 4 - 5, 6 - 6}});
static_assert(ctnn::outer(y, x) == ctnn::Matrix<double, 2, 3>{{2, 0, -2, -1, 0, 1}});
static_assert(x + x == ctnn::Vector<double, 3>{{2, 0, -2}});
static_assert(x - x == ctnn::Vector<double, 3>{{0, 0, 0}});
static_assert(ctnn::hadamard(x, x) == ctnn::Vector<double, 3>{{1, 0, 1}});
static_assert(2.0 * x == ctnn::Vector<double, 3>{{2, 0, -2}});
static_assert(x.at(2) == -1);

// at() outside the bounds is not a constant expression (and throws at runtime).
template <std::size_t I>
concept in_bounds = requires {
  typename std::bool_constant<(ctnn::Vector<double, 3>{{1, 2, 3}}.at(I) > 0)>;
};
static_assert(in_bounds<2>);
static_assert(!in_bounds<3>);

}  // namespace

int main() {}
