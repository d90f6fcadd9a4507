#pragma once
// Learning-rate schedules: the learning rate of each epoch as a function of the epoch and the
// optimizer's own (initial) rate. with_schedule(optimizer, schedule) wraps an optimizer; fit() then
// trains epoch e with a copy of the optimizer whose learning_rate is schedule's rate for e, while
// the optimizer's state (Adam's moments, Momentum's velocity) runs on across epochs as usual.
// The parameters are doubles (converted to the optimizer's rate type when used), so the schedules
// are plain aggregates: StepDecay{.step = 10, .factor = 0.5}. Everything is constexpr and uses only +, -, *, / in a
// fixed order, so a schedule gives the same bits in the compiler and at runtime.

#include <concepts>
#include <cstddef>
#include <type_traits>

namespace ctnn {

namespace detail {

// base^n by squaring: O(log n) multiplications in a fixed order, the same bits everywhere.
template <class T>
constexpr T power(T base, std::size_t n) noexcept
{
  T result = T(1);
  while (n != 0) {
    if (n & 1u) result *= base;
    base *= base;
    n >>= 1u;
  }
  return result;
}

// cos(pi * u) for u in [0, 1], from Taylor series on |x| <= pi/4 (the reduction is exact in u).
template <class T>
constexpr T cos_pi(T u) noexcept
{
  constexpr T pi = T(3.14159265358979323846264338327950288L);
  const bool negate = u > T(0.5);
  if (negate) u = T(1) - u;  // cos(pi u) = -cos(pi (1 - u))
  const bool use_sine = u > T(0.25);
  const T x = pi * (use_sine ? T(0.5) - u : u);  // cos(pi u) = sin(pi (1/2 - u))
  const T x2 = x * x;
  T term = use_sine ? x : T(1);
  T sum = term;
  // cos: term_n = term_{n-1} (-x^2) / ((2n-1) 2n); sin: term_n = term_{n-1} (-x^2) / (2n (2n+1)).
  for (int n = 1; n <= 13; ++n) {  // |x| <= pi/4: the 13th term is far below an ulp
    const int a = use_sine ? 2 * n : 2 * n - 1;
    term *= -x2 / static_cast<T>(a * (a + 1));
    sum += term;
  }
  return negate ? -sum : sum;
}

}  // namespace detail

/// Multiplies the rate by factor every step epochs: epochs 1..step train at the initial rate,
/// step+1..2 step at rate * factor, and so on (PyTorch's StepLR).
struct StepDecay {
  std::size_t step = 10;
  double factor = 0.5;

  template <class U>
  constexpr U learning_rate(std::size_t epoch, U initial) const noexcept
  {
    return initial * detail::power(static_cast<U>(factor), step == 0 ? 0 : (epoch - 1) / step);
  }
};

/// Multiplies the rate by factor after every epoch: epoch e trains at initial * factor^(e-1)
/// (PyTorch's ExponentialLR).
struct ExponentialDecay {
  double factor = 0.95;

  template <class U>
  constexpr U learning_rate(std::size_t epoch, U initial) const noexcept
  {
    return initial * detail::power(static_cast<U>(factor), epoch - 1);
  }
};

/// Half a cosine from the initial rate down to minimum over `epochs` epochs, then minimum
/// (PyTorch's CosineAnnealingLR without restarts): epoch e trains at
/// minimum + (initial - minimum) (1 + cos(pi (e-1) / epochs)) / 2.
struct CosineAnnealing {
  std::size_t epochs = 100;
  double minimum = 0;

  template <class U>
  constexpr U learning_rate(std::size_t epoch, U initial) const noexcept
  {
    const std::size_t t = epoch - 1 < epochs ? epoch - 1 : epochs;
    const U u = epochs == 0 ? U(1) : static_cast<U>(t) / static_cast<U>(epochs);
    const U low = static_cast<U>(minimum);
    return low + (initial - low) * (U(1) + detail::cos_pi(u)) / U(2);
  }
};

/// A schedule: a type with learning_rate(epoch, initial) (the ones above), or any callable
/// f(epoch, initial) returning the rate, or f(epoch) returning a factor for the initial rate.
/// Epochs count from 1, and continue across fit() calls that share a TrainingState.
template <class S, class T>
concept LearningRateSchedule = requires(const S& s, std::size_t epoch, T initial) {
  {
    s.learning_rate(epoch, initial)
  } -> std::convertible_to<T>;
} || std::is_invocable_r_v<T, const S&, std::size_t, T> || std::is_invocable_r_v<T, const S&, std::size_t>;

/// An optimizer whose learning rate follows a schedule; made by with_schedule().
template <class Optimizer, class Schedule>
struct Scheduled {
  using base_optimizer = Optimizer;
  using rate_type = std::remove_cvref_t<decltype(Optimizer{}.learning_rate)>;
  static_assert(LearningRateSchedule<Schedule, rate_type>,
                "ctnn: a learning-rate schedule needs learning_rate(epoch, initial), or is a callable "
                "f(epoch, initial) -> rate or f(epoch) -> factor");

  Optimizer optimizer;
  Schedule schedule;

  /// The learning rate for epoch (counting from 1).
  constexpr rate_type learning_rate_at(std::size_t epoch) const
  {
    const rate_type initial = optimizer.learning_rate;
    if constexpr (requires { schedule.learning_rate(epoch, initial); })
      return static_cast<rate_type>(schedule.learning_rate(epoch, initial));
    else if constexpr (std::is_invocable_v<const Schedule&, std::size_t, rate_type>)
      return static_cast<rate_type>(schedule(epoch, initial));
    else
      return initial * static_cast<rate_type>(schedule(epoch));
  }

  /// The optimizer epoch trains with: a copy with the scheduled learning rate.
  constexpr Optimizer at_epoch(std::size_t epoch) const
  {
    Optimizer o = optimizer;
    o.learning_rate = learning_rate_at(epoch);
    return o;
  }

  constexpr void validate() const { optimizer.validate(); }
};

/// optimizer with its learning rate following schedule, e.g.
/// with_schedule(Adam{0.01}, CosineAnnealing{.epochs = 50}) or
/// with_schedule(SGD{0.1}, [](std::size_t epoch) { return epoch <= 10 ? 1.0 : 0.1; }).
template <class Optimizer, class Schedule>
constexpr Scheduled<Optimizer, Schedule> with_schedule(const Optimizer& optimizer, const Schedule& schedule)
{
  return {optimizer, schedule};
}

/// The optimizer type whose state fit() keeps: Optimizer itself, or the one a Scheduled wraps
/// (const and volatile dropped, so decltype of a constexpr optimizer works).
template <class Optimizer>
struct base_optimizer {
  using type = Optimizer;
};
template <class Optimizer, class Schedule>
struct base_optimizer<Scheduled<Optimizer, Schedule>> {
  using type = Optimizer;
};
template <class Optimizer>
using base_optimizer_t = typename base_optimizer<std::remove_cv_t<Optimizer>>::type;

}  // namespace ctnn
