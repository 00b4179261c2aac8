#include "examples/replicated_kv/replica.h"

#include <chrono>

#include "loop/digest.h"

namespace laplace::examples::replicated_kv {
namespace {

constexpr size_t kHeaderBytes = 12;

void PutLittleEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t GetLittleEndian(std::string_view in, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  return value;
}

// Salted so that an all-zero header never checks out.
uint64_t Checksum(std::string_view payload) { return HashString(payload) ^ 0x6b762d6c6f67ULL; }

}  // namespace

std::string EncodePair(std::string_view key, std::string_view value) {
  std::string payload(key);
  payload.push_back('\n');
  payload.append(value);
  return payload;
}

absl::StatusOr<std::pair<std::string, std::string>> DecodePair(std::string_view payload) {
  const size_t split = payload.find('\n');
  if (split == std::string_view::npos) return absl::InvalidArgumentError("no key/value split");
  return std::make_pair(std::string(payload.substr(0, split)),
                        std::string(payload.substr(split + 1)));
}

std::string EncodeRecord(std::string_view payload) {
  std::string record;
  PutLittleEndian(record, payload.size(), 4);
  PutLittleEndian(record, Checksum(payload), 8);
  record.append(payload);
  return record;
}

Replica::Replica(sim::Node& node, std::string file)
    : node_(&node), file_(std::move(file)), lock_(node.loop(), node.name() + " log") {}

Task<absl::Status> Replica::Recover() {
  sim::Disk& disk = node_->disk();
  std::string log;
  if (disk.Exists(file_)) {
    while (true) {
      absl::StatusOr<std::string> read = co_await disk.Read(file_, 0, disk.Size(file_));
      if (read.ok()) {
        log = *std::move(read);
        break;
      }
      if (!absl::IsUnavailable(read.status())) co_return read.status();
      co_await node_->clock().Sleep(std::chrono::milliseconds(1));  // a transient I/O error
    }
  }
  data_.clear();
  size_t at = 0;
  while (log.size() - at >= kHeaderBytes) {
    const std::string_view header = std::string_view(log).substr(at, kHeaderBytes);
    const uint64_t length = GetLittleEndian(header, 4);
    if (length == 0 || length > log.size() - at - kHeaderBytes) break;
    const std::string_view payload = std::string_view(log).substr(at + kHeaderBytes, length);
    if (GetLittleEndian(header.substr(4), 8) != Checksum(payload)) break;  // a torn tail
    absl::StatusOr<std::pair<std::string, std::string>> pair = DecodePair(payload);
    if (!pair.ok()) break;
    data_.insert_or_assign(std::move(pair->first), std::move(pair->second));
    at += kHeaderBytes + length;
  }
  end_ = at;
  co_return absl::OkStatus();
}

Task<absl::Status> Replica::Put(std::string key, std::string value) {
  LockGuard guard = co_await lock_.Acquire();
  if (auto it = data_.find(key); it != data_.end() && it->second == value) {
    co_return absl::OkStatus();
  }
  std::string record = EncodeRecord(EncodePair(key, value));
  const uint64_t size = record.size();
  absl::Status written = co_await node_->disk().Write(file_, end_, std::move(record));
  if (!written.ok()) co_return written;
  absl::Status synced = co_await node_->disk().Fsync(file_);
  if (!synced.ok()) co_return synced;
  end_ += size;
  data_.insert_or_assign(std::move(key), std::move(value));
  co_return absl::OkStatus();
}

std::optional<std::string> Replica::Get(std::string_view key) const {
  auto it = data_.find(key);
  if (it == data_.end()) return std::nullopt;
  return it->second;
}

}  // namespace laplace::examples::replicated_kv
