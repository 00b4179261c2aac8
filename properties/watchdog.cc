#include "properties/watchdog.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string_view>
#include <thread>  // allowed: the watchdog's own thread, outside any simulation

#include "base/strings.h"

namespace laplace::properties {
namespace {

using Clock = std::chrono::steady_clock;  // allowed: the watchdog's wall-clock timeout

// Shared by the Watchdog objects (one armed at a time) and the thread; leaked, so the thread
// never sees it destroyed at exit.
struct State {
  std::mutex mutex;
  std::condition_variable wake;
  bool armed = false;
  Clock::duration timeout{};
  std::string what;
  pthread_t watched_thread{};
  const Loop* loop = nullptr;
  Watchdog::HangHandler on_hang;
  uint64_t last_progress = 0;
  Clock::time_point last_change;
  pid_t thread_pid = 0;  // the process the thread runs in (a fork child has none)
};

State& Shared() {
  static State* state = new State;
  return *state;
}

std::atomic<bool> frozen{false};

// The stuck thread waits here (async-signal-safe: only a store and pause) while the watchdog's
// thread reads what it left and exits the process.
void OnFreeze(int) {
  frozen.store(true);
  while (true) pause();
}

void WriteAll(std::string_view text) {
  while (!text.empty()) {
    ssize_t written = write(STDERR_FILENO, text.data(), text.size());
    if (written <= 0) return;
    text.remove_prefix(static_cast<size_t>(written));
  }
}

// Freezes the watched thread, then prints and writes what it can, and exits with status 3.
[[noreturn]] void Fire(State& state) {
  // A backstop if the hang handler itself cannot finish (the frozen thread may hold a lock it
  // needs, e.g. inside malloc): the default SIGALRM action ends the process.
  signal(SIGALRM, SIG_DFL);
  alarm(30);
  pthread_kill(state.watched_thread, SIGUSR2);
  for (int i = 0; i < 200 && !frozen.load(); ++i) usleep(10'000);  // allowed: up to 2 s
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(state.timeout).count();
  std::string text = internal::Cat(
      "\nLaplace watchdog: a run has made no scheduling step for ", seconds,
      "s of wall time. A task is probably stuck in a loop that never awaits (virtual time "
      "cannot preempt it).\n  ",
      state.what, "\n");
  if (state.loop != nullptr) {
    const Loop& loop = *state.loop;
    internal::Append(text, "  the running task was #", loop.current_task());
    std::string_view label = loop.label(loop.current_task());
    if (!label.empty()) internal::Append(text, " '", label, "'");
    internal::Append(text, ", after scheduling step ", loop.steps(), "\n");
  } else {
    internal::Append(text, "  (after the run, while its Loop was being torn down)\n");
  }
  if (frozen.load() && state.on_hang) internal::Append(text, state.on_hang());
  WriteAll(text);
  _exit(3);
}

void ThreadMain() {
  State& state = Shared();
  std::unique_lock<std::mutex> lock(state.mutex);
  while (true) {
    state.wake.wait_for(lock, Watchdog::kCheckInterval);
    if (!state.armed) continue;
    const Clock::time_point now = Clock::now();
    if (state.loop != nullptr) {
      uint64_t progress = state.loop->progress().load(std::memory_order_relaxed);
      if (progress != state.last_progress) {
        state.last_progress = progress;
        state.last_change = now;
        continue;
      }
    }
    if (now - state.last_change >= state.timeout) Fire(state);
  }
}

// A fork child must not inherit the mutex locked by the parent's watchdog thread, and has no
// thread of its own until it arms a watchdog.
void LockForFork() { Shared().mutex.lock(); }
void UnlockAfterFork() { Shared().mutex.unlock(); }

void StartThreadOnce(State& state) {
  if (state.thread_pid == getpid()) return;
  static const bool hooks = [] {
    pthread_atfork(LockForFork, UnlockAfterFork, UnlockAfterFork);
    struct sigaction action {};
    action.sa_handler = OnFreeze;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR2, &action, nullptr);
    return true;
  }();
  (void)hooks;
  state.thread_pid = getpid();
  std::thread(ThreadMain).detach();  // allowed: the watchdog's own thread
}

}  // namespace

Watchdog::Watchdog(std::chrono::seconds timeout, const std::string& what) {
  if (timeout.count() <= 0) return;
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.armed) return;  // an outer run's watchdog is in charge
  StartThreadOnce(state);
  state.armed = true;
  state.timeout = timeout;
  state.what = what;
  state.watched_thread = pthread_self();
  state.loop = nullptr;
  state.on_hang = nullptr;
  state.last_change = Clock::now();
  armed_ = true;
}

Watchdog::~Watchdog() {
  if (!armed_) return;
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.armed = false;
  state.loop = nullptr;
  state.on_hang = nullptr;
}

void Watchdog::Watch(const Loop* loop, HangHandler on_hang) {
  if (!armed_) return;
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.loop = loop;
  state.on_hang = std::move(on_hang);
  if (loop != nullptr) {
    state.last_progress = loop->progress().load(std::memory_order_relaxed);
    state.last_change = Clock::now();
  }
}

}  // namespace laplace::properties
