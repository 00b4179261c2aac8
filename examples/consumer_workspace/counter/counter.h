// A counter shared by tasks: Add() reads, waits for storage, and writes back,
// so unlocked Adds that overlap lose updates; the locked counter does not.
#ifndef CONSUMER_COUNTER_COUNTER_H_
#define CONSUMER_COUNTER_COUNTER_H_

#include <chrono>

#include "loop/lock.h"
#include "loop/loop.h"
#include "loop/task.h"

namespace consumer {

class Counter {
 public:
  Counter(laplace::Loop& loop, bool locked) : loop_(loop), lock_(loop), locked_(locked) {}

  laplace::Task<> Add(int amount) {
    if (locked_) {
      laplace::LockGuard held = co_await lock_.Acquire();
      co_await Update(amount);
    } else {
      co_await Update(amount);
    }
  }
  int value() const { return value_; }

 private:
  laplace::Task<> Update(int amount) {
    const int read = value_;
    co_await loop_.Sleep(std::chrono::milliseconds(1));  // storage latency
    value_ = read + amount;
  }

  laplace::Loop& loop_;
  laplace::Lock lock_;
  bool locked_;
  int value_ = 0;
};

}  // namespace consumer

#endif  // CONSUMER_COUNTER_COUNTER_H_
