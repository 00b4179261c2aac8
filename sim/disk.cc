#include "sim/disk.h"

#include <algorithm>
#include <utility>

#include "base/check.h"
#include "base/strings.h"

namespace laplace::sim {

using ::laplace::internal::Cat;

Disk::Disk(Loop& loop, std::string owner, DiskOptions options)
    : loop_(&loop), owner_(std::move(owner)) {
  set_options(options);
}

void Disk::set_options(const DiskOptions& options) {
  LAPLACE_CHECK(options.sector_size >= 1) << "a sector has at least one byte";
  LAPLACE_CHECK(options.read_latency_min <= options.read_latency_max) << "read latency range";
  LAPLACE_CHECK(options.write_latency_min <= options.write_latency_max) << "write latency range";
  LAPLACE_CHECK(options.fsync_latency_min <= options.fsync_latency_max) << "fsync latency range";
  options_ = options;
}

// ---- Operations ----

OwnedStream Disk::OperationStream(std::string_view operation, std::string_view file) {
  std::string name = Cat("disk ", owner_, " ", operation, " ", file);
  const uint64_t ordinal = operation_ordinals_[MakeStreamId({}, name, 0)]++;
  return OwnedStream::Named(std::move(name), ordinal);
}

Task<absl::Status> Disk::Write(std::string file, uint64_t offset, std::string data) {
  co_await loop_->Sleep(DrawDuration(*loop_, options_.write_latency_min, options_.write_latency_max,
                                     ChoiceKind::kDelay, OperationStream("write", file).view()));
  Apply(file, offset, std::move(data));
  co_return absl::OkStatus();
}

Task<absl::StatusOr<uint64_t>> Disk::Append(std::string file, std::string data) {
  co_await loop_->Sleep(DrawDuration(*loop_, options_.write_latency_min, options_.write_latency_max,
                                     ChoiceKind::kDelay, OperationStream("append", file).view()));
  const uint64_t offset = Size(file);
  Apply(file, offset, std::move(data));
  co_return offset;
}

Task<absl::StatusOr<std::string>> Disk::Read(std::string file, uint64_t offset, uint64_t length) {
  const OwnedStream stream = OperationStream("read", file);
  co_await loop_->Sleep(DrawDuration(*loop_, options_.read_latency_min, options_.read_latency_max,
                                     ChoiceKind::kDelay, stream.view()));
  ++stats_.reads;
  auto it = files_.find(file);
  if (it == files_.end()) co_return absl::NotFoundError(Cat(Prefix(), "no file '", file, "'"));
  if (Roll(*loop_, options_.read_error_ratio, ChoiceKind::kFault, stream.view())) {
    ++stats_.read_errors;
    loop_->CountFault("disk.read_error");
    loop_->Note(Cat(Prefix(), "read of '", file, "' failed (injected I/O error)"));
    co_return absl::UnavailableError(Cat(Prefix(), "I/O error reading '", file, "'"));
  }
  const Image& image = it->second.current;
  if (offset >= image.bytes.size() || length == 0) co_return std::string();
  const uint64_t end = std::min<uint64_t>(image.bytes.size(), offset + length);
  const uint64_t first_sector = offset / options_.sector_size;
  const uint64_t last_sector = (end - 1) / options_.sector_size;
  auto bad = image.bad_sectors.lower_bound(first_sector);
  if (bad != image.bad_sectors.end() && *bad <= last_sector) {
    ++stats_.data_loss_reads;
    loop_->Note(Cat(Prefix(), "read of '", file, "' hit corrupt sector ", *bad));
    co_return absl::DataLossError(
        Cat(Prefix(), "sector ", *bad, " of '", file, "' is corrupt (checksum mismatch)"));
  }
  co_return image.bytes.substr(offset, end - offset);
}

Task<absl::Status> Disk::Fsync(std::string file) {
  // Only writes that completed before the call are covered.
  const uint64_t covered = next_write_;
  co_await loop_->Sleep(DrawDuration(*loop_, options_.fsync_latency_min, options_.fsync_latency_max,
                                     ChoiceKind::kDelay, OperationStream("fsync", file).view()));
  ++stats_.fsyncs;
  auto it = files_.find(file);
  if (it == files_.end()) co_return absl::NotFoundError(Cat(Prefix(), "no file '", file, "'"));
  File& entry = it->second;
  if (!entry.durable.has_value()) entry.durable.emplace();
  while (!entry.pending.empty() && entry.pending.front().sequence < covered) {
    const PendingWrite& write = entry.pending.front();
    ApplyWrite(*entry.durable, write.offset, write.data);
    entry.pending.pop_front();
  }
  co_return absl::OkStatus();
}

// ---- Images ----

void Disk::ApplyWrite(Image& image, uint64_t offset, std::string_view data) const {
  if (image.bytes.size() < offset + data.size()) image.bytes.resize(offset + data.size(), '\0');
  image.bytes.replace(offset, data.size(), data.data(), data.size());
  if (image.bad_sectors.empty() || data.empty()) return;
  // A sector rewritten whole is good again.
  const uint64_t sector = options_.sector_size;
  const uint64_t first_whole = (offset + sector - 1) / sector;
  const uint64_t end_whole = (offset + data.size()) / sector;
  for (auto it = image.bad_sectors.lower_bound(first_whole);
       it != image.bad_sectors.end() && *it < end_whole;) {
    it = image.bad_sectors.erase(it);
  }
}

void Disk::Apply(std::string_view name, uint64_t offset, std::string data) {
  ++stats_.writes;
  auto it = files_.find(name);
  if (it == files_.end()) it = files_.emplace(std::string(name), File{}).first;
  File& file = it->second;
  ApplyWrite(file.current, offset, data);
  file.pending.push_back(
      PendingWrite{.sequence = next_write_++, .offset = offset, .data = std::move(data)});
}

// ---- Inspection ----

uint64_t Disk::Size(std::string_view file) const {
  auto it = files_.find(file);
  return it == files_.end() ? 0 : it->second.current.bytes.size();
}

std::vector<std::string> Disk::Files() const {
  std::vector<std::string> names;
  for (const auto& [name, unused] : files_) names.push_back(name);
  return names;
}

std::optional<std::string> Disk::Contents(std::string_view file) const {
  auto it = files_.find(file);
  if (it == files_.end()) return std::nullopt;
  return it->second.current.bytes;
}

std::optional<std::string> Disk::DurableContents(std::string_view file) const {
  auto it = files_.find(file);
  if (it == files_.end() || !it->second.durable.has_value()) return std::nullopt;
  return it->second.durable->bytes;
}

// ---- Crash ----

void Disk::Crash() {
  for (auto it = files_.begin(); it != files_.end();) {
    CrashFile(it->first, it->second);
    if (it->second.durable.has_value()) {
      it->second.current = *it->second.durable;
      ++it;
    } else {
      it = files_.erase(it);  // created and never synced: gone
    }
  }
}

void Disk::CrashFile(const std::string& name, File& file) {
  uint64_t lost = 0;
  const OwnedStream owned = OperationStream("crash", name);
  const Stream stream = owned.view();
  for (const PendingWrite& write : file.pending) {
    if (write.data.size() >= 2 &&
        Roll(*loop_, options_.torn_write_ratio, ChoiceKind::kFault, stream)) {
      const uint64_t kept = 1 + loop_->Choose(write.data.size() - 1, ChoiceKind::kFault, stream);
      if (!file.durable.has_value()) file.durable.emplace();
      ApplyWrite(*file.durable, write.offset, std::string_view(write.data).substr(0, kept));
      ++stats_.torn_writes;
      loop_->CountFault("disk.torn_write");
      loop_->Note(Cat(Prefix(), "crash tore a write to '", name, "': ", kept, " of ",
                      write.data.size(), " bytes at offset ", write.offset, " persisted"));
    } else {
      ++lost;
    }
  }
  file.pending.clear();
  if (lost > 0) {
    stats_.lost_writes += lost;
    loop_->Note(Cat(Prefix(), "crash lost ", lost, " unsynced write(s) to '", name, "'"));
  }
  if (!file.durable.has_value() || file.durable->bytes.empty()) return;
  if (!Roll(*loop_, options_.corruption_ratio, ChoiceKind::kFault, stream)) return;
  const uint64_t sectors =
      (file.durable->bytes.size() + options_.sector_size - 1) / options_.sector_size;
  const uint64_t sector = loop_->Choose(sectors, ChoiceKind::kFault, stream);
  file.durable->bad_sectors.insert(sector);
  ++stats_.corrupted_sectors;
  loop_->CountFault("disk.corruption");
  loop_->Note(Cat(Prefix(), "crash corrupted sector ", sector, " of '", name, "'"));
}

}  // namespace laplace::sim
