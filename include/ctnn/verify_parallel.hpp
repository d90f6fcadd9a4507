#pragma once
// verify on several threads, runtime only: the region is split (as verify splits it) into a queue
// of pieces that the threads take one at a time, each running verify's search on it; the first
// counterexample stops the others. Same verdicts as verify (the pieces are the same kind of boxes),
// though not the same piece counts or the same counterexample when there are several.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "ctnn/verify.hpp"

namespace ctnn {

template <class Net, class P>
VerifyResult<typename Net::scalar_type, Net::inputs> verify_parallel(const Net& net, const P& property,
                                                                     const VerifyOptions& options = {},
                                                                     std::size_t threads = 2,
                                                                     std::size_t pieces_per_thread = 8)
{
  using T = typename Net::scalar_type;
  constexpr std::size_t In = Net::inputs;
  using Result = VerifyResult<T, In>;
  Result total{};
  // A counterexample search over the whole region first, as verify does.
  {
    VerifyOptions search = options;
    search.max_pieces = 0;
    const Result found = verify(net, property, search);
    if (found.verdict == Verdict::violated) return found;
  }
  // The queue: split the widest-influence input of the piece with the most open cases until there
  // are enough pieces (pieces already proven are dropped).
  struct Piece {
    Box<T, In> box;
  };
  std::vector<Piece> queue{{property.region}};
  const std::uint64_t all = property.cases >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << property.cases) - 1;
  T proven = detail::interval::infinity<T>;
  for (std::size_t at = 0; at < queue.size() && queue.size() < threads * pieces_per_thread;) {
    NetworkBounds<Net> bounds{};
    const auto report = detail::verifying::bound_piece(net, property, queue[at].box, all, bounds);
    ++total.pieces;
    if (report.still_open == 0) {
      proven = std::min(proven, report.margin);
      queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(at));
      continue;
    }
    const std::size_t s = report.split;
    const T middle = queue[at].box.lower[s] + (queue[at].box.upper[s] - queue[at].box.lower[s]) / T(2);
    if (!(middle > queue[at].box.lower[s] && middle < queue[at].box.upper[s])) {
      ++at;
      continue;
    }
    Piece high = queue[at];
    queue[at].box.upper[s] = middle;
    high.box.lower[s] = middle;
    queue.push_back(high);
    std::rotate(queue.begin() + static_cast<std::ptrdiff_t>(at), queue.begin() + static_cast<std::ptrdiff_t>(at) + 1,
                queue.end());  // the split piece's halves go to the back: breadth first
  }

  struct Shared {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    const VerifyOptions* outer = nullptr;
  } shared;
  shared.outer = &options;
  std::vector<Result> results(queue.size());
  VerifyOptions inner = options;
  inner.search_steps = 0;
  inner.time_context = &shared;
  inner.out_of_time = [](const void* context) {
    auto& s = *static_cast<const Shared*>(context);
    if (s.stop.load(std::memory_order_relaxed)) return true;
    return s.outer->out_of_time != nullptr && s.outer->out_of_time(s.outer->time_context);
  };
  auto worker = [&] {
    for (std::size_t i; (i = shared.next.fetch_add(1)) < queue.size();) {
      if (shared.stop.load()) break;
      P piece = property;
      piece.region = queue[i].box;
      results[i] = verify(net, piece, inner);
      if (results[i].verdict == Verdict::violated) shared.stop.store(true);
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();

  bool all_hold = true;
  total.margin = proven;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const Result& r = results[i];
    total.pieces += r.pieces;
    if (r.verdict == Verdict::violated && total.verdict != Verdict::violated) {
      total.verdict = Verdict::violated;
      for (std::size_t k = 0; k < In; ++k) total.counterexample[k] = r.counterexample[k];
      total.margin = r.margin;
    }
    if (r.verdict != Verdict::holds) all_hold = false;
    if (r.out_of_time && !shared.stop.load()) total.out_of_time = true;
    if (r.verdict == Verdict::holds && total.verdict != Verdict::violated)
      total.margin = std::min(total.margin, r.margin);
  }
  if (total.verdict != Verdict::violated) total.verdict = all_hold ? Verdict::holds : Verdict::unknown;
  if (total.verdict == Verdict::violated) total.out_of_time = false;
  return total;
}

/// verify with both split strategies at once, one thread each (look-ahead and widest influence:
/// neither is best on every property); the first to decide stops the other. Its result, with the
/// pieces of both.
template <class Net, class P>
VerifyResult<typename Net::scalar_type, Net::inputs> verify_portfolio(const Net& net, const P& property,
                                                                      const VerifyOptions& options = {})
{
  using Result = VerifyResult<typename Net::scalar_type, Net::inputs>;
  struct Shared {
    std::atomic<bool> decided{false};
    const VerifyOptions* outer = nullptr;
  } shared;
  shared.outer = &options;
  VerifyOptions inner = options;
  inner.time_context = &shared;
  inner.out_of_time = [](const void* context) {
    auto& s = *static_cast<const Shared*>(context);
    if (s.decided.load(std::memory_order_relaxed)) return true;
    return s.outer->out_of_time != nullptr && s.outer->out_of_time(s.outer->time_context);
  };
  Result results[2];
  auto run = [&](std::size_t which) {
    VerifyOptions mine = inner;
    mine.look_ahead = which == 0;
    if (which == 1) mine.search_steps = 0;  // one counterexample search is enough
    results[which] = verify(net, property, mine);
    if (results[which].verdict != Verdict::unknown) shared.decided.store(true);
  };
  std::thread other(run, 1);
  run(0);
  other.join();
  const std::size_t winner = results[0].verdict != Verdict::unknown   ? 0
                             : results[1].verdict != Verdict::unknown ? 1
                                                                      : 0;
  Result total = results[winner];
  total.pieces = results[0].pieces + results[1].pieces;
  total.look_ahead_bounds = results[0].look_ahead_bounds + results[1].look_ahead_bounds;
  if (total.verdict != Verdict::unknown)
    total.out_of_time = false;
  else
    total.out_of_time = results[0].out_of_time && results[1].out_of_time && !shared.decided.load();
  return total;
}

}  // namespace ctnn
