#include "properties/watchdog.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string_view>

namespace laplace::properties {
namespace {

// Prepared before arming: a signal handler may only write bytes.
char message[1024];
size_t message_length = 0;
std::atomic<const Loop*> watched_loop{nullptr};

void WriteAll(const char* text, size_t length) {
  while (length > 0) {
    ssize_t written = write(STDERR_FILENO, text, length);
    if (written <= 0) return;
    text += written;
    length -= static_cast<size_t>(written);
  }
}

void WriteNumber(uint64_t value) {
  char digits[24];
  size_t length = 0;
  do {
    digits[sizeof digits - 1 - length++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  WriteAll(digits + sizeof digits - length, length);
}

void OnAlarm(int) {
  WriteAll(message, message_length);
  if (const Loop* loop = watched_loop.load()) {
    static constexpr char kTask[] = "  the running task was #";
    static constexpr char kSteps[] = ", after scheduling step ";
    WriteAll(kTask, sizeof kTask - 1);
    WriteNumber(loop->current_task());
    // The label lives in the Loop's map, untouched while the task spins (no
    // allocation here: only bytes are written).
    std::string_view label = loop->label(loop->current_task());
    if (!label.empty()) {
      WriteAll(" '", 2);
      WriteAll(label.data(), label.size());
      WriteAll("'", 1);
    }
    WriteAll(kSteps, sizeof kSteps - 1);
    WriteNumber(loop->steps());
    WriteAll("\n", 1);
  }
  _exit(3);
}

}  // namespace

Watchdog::Watchdog(std::chrono::seconds timeout, const std::string& what, const Loop* loop) {
  if (timeout.count() <= 0) return;
  std::string text = "\nLaplace watchdog: a run has not returned to the loop for " +
                     std::to_string(timeout.count()) +
                     "s of wall time. A task is probably stuck in a loop that never awaits "
                     "(virtual time cannot preempt it).\n  " +
                     what + "\n";
  message_length = std::min(text.size(), sizeof message);
  std::memcpy(message, text.data(), message_length);
  watched_loop.store(loop);
  struct sigaction action {};
  action.sa_handler = OnAlarm;
  sigemptyset(&action.sa_mask);
  sigaction(SIGALRM, &action, nullptr);
  alarm(static_cast<unsigned>(timeout.count()));
  armed_ = true;
}

Watchdog::~Watchdog() {
  if (!armed_) return;
  alarm(0);
  watched_loop.store(nullptr);
}

void Watchdog::Watch(const Loop* loop) { watched_loop.store(loop); }

}  // namespace laplace::properties
