#include "replays/corpus.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "base/check.h"
#include "base/strings.h"
#include "replays/internal/file_io.h"
#include "replays/internal/validate.h"

namespace laplace::replays {
namespace {

using ::laplace::internal::Cat;

// "<root>/<relative>", or just `relative` for an empty root.
std::string Under(std::string_view root, std::string_view relative) {
  if (root.empty()) return std::string(relative);
  if (root.back() == '/') return Cat(root, relative);
  return Cat(root, "/", relative);
}

bool IsDirectory(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_directory(path, error);
}

absl::Status FilesystemError(const std::error_code& error, const std::string& directory,
                             std::string_view what) {
  return absl::ErrnoToStatus(error.value(), Cat(directory, ": ", what, ": ", error.message()));
}

}  // namespace

bool IsValidTestName(std::string_view test_name) { return internal::IsValidTestName(test_name); }

std::string CorpusFolderName(std::string_view test_name) {
  LAPLACE_CHECK(IsValidTestName(test_name))
      << "not a GoogleTest name \"Suite.Test\": " << std::string(test_name);
  std::string folder(test_name);
  std::replace(folder.begin(), folder.end(), '/', '-');
  return folder;
}

std::string CorpusDirectory(std::string_view package_dir, std::string_view test_name) {
  while (!package_dir.empty() && package_dir.back() == '/') package_dir.remove_suffix(1);
  return Under(package_dir, Cat("replays/", CorpusFolderName(test_name)));
}

std::string ReplayFileName(const Replay& replay) {
  LAPLACE_CHECK(replay.trace_digest().size() == 16)
      << "trace_digest must be 16 hex digits, got \"" << replay.trace_digest() << "\"";
  LAPLACE_CHECK(replay.trace_digest().find_first_not_of("0123456789abcdef") == std::string::npos)
      << "trace_digest must be lowercase hex, got \"" << replay.trace_digest() << "\"";
  return Cat(replay.trace_digest(), kReplayFileExtension);
}

absl::StatusOr<std::vector<std::string>> ListReplayFiles(const std::string& directory) {
  std::error_code error;
  std::filesystem::file_status status = std::filesystem::status(directory, error);
  if (status.type() == std::filesystem::file_type::not_found) return std::vector<std::string>();
  if (error) return FilesystemError(error, directory, "cannot read the corpus folder");
  if (status.type() != std::filesystem::file_type::directory) {
    return absl::FailedPreconditionError(
        Cat(directory, ": a corpus must be a folder of .textpb files, but this is a file"));
  }
  std::vector<std::string> names;
  std::filesystem::directory_iterator entries(directory, error);
  if (error) return FilesystemError(error, directory, "cannot list the corpus folder");
  // directory_iterator yields entries in whatever order the file system keeps;
  // the names are sorted below.
  for (; entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    std::string name = entries->path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    if (name.size() <= kReplayFileExtension.size() ||
        std::string_view(name).substr(name.size() - kReplayFileExtension.size()) !=
            kReplayFileExtension) {
      continue;
    }
    std::error_code type_error;
    if (!entries->is_regular_file(type_error)) continue;
    names.push_back(std::move(name));
  }
  if (error) return FilesystemError(error, directory, "cannot list the corpus folder");
  std::sort(names.begin(), names.end());
  std::vector<std::string> paths;
  paths.reserve(names.size());
  for (const std::string& name : names) paths.push_back(Under(directory, name));
  return paths;
}

std::optional<std::string> TestNameOfCorpusPath(std::string_view path) {
  std::filesystem::path file{std::string(path)};
  std::filesystem::path folder = file.parent_path();
  if (!file.has_filename() || folder.filename() == "" ||
      folder.parent_path().filename() != "replays") {
    return std::nullopt;
  }
  std::string test_name = folder.filename().string();
  std::replace(test_name.begin(), test_name.end(), '-', '/');
  if (!IsValidTestName(test_name)) return std::nullopt;
  return test_name;
}

std::optional<std::string> PackageOfTarget(std::string_view bazel_target) {
  if (bazel_target.substr(0, 3) == "@//") bazel_target.remove_prefix(1);
  if (bazel_target.substr(0, 2) != "//") return std::nullopt;
  std::string_view rest = bazel_target.substr(2);
  std::string_view package = rest.substr(0, rest.find(':'));
  if (!package.empty() && (package.front() == '/' || package.back() == '/')) return std::nullopt;
  for (char c : package) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '@') return std::nullopt;
  }
  return std::string(package);
}

std::string SourceTreeRoot(const CorpusEnvironment& env, std::string_view source_file) {
  namespace fs = std::filesystem;
  if (env.test_srcdir.empty() || env.test_workspace.empty() || source_file.empty()) return "";
  std::error_code error;
  fs::path runfile = fs::path(env.test_srcdir) / env.test_workspace / std::string(source_file);
  fs::path real = fs::canonical(runfile, error);
  if (error || real == fs::absolute(runfile, error)) return "";
  std::string text = real.string();
  if (text.size() <= source_file.size() ||
      text.compare(text.size() - source_file.size(), source_file.size(), source_file) != 0) {
    return "";
  }
  return text.substr(0, text.size() - source_file.size() - 1);
}

std::string CorpusWriteDirectory(const CorpusEnvironment& env, std::string_view package_dir,
                                 std::string_view test_name, std::string_view source_file) {
  std::string relative = CorpusDirectory(package_dir, test_name);
  if (!env.corpus_root.empty()) return Under(env.corpus_root, relative);
  if (!env.build_workspace_directory.empty()) {
    return Under(env.build_workspace_directory, relative);
  }
  std::string source_tree = SourceTreeRoot(env, source_file);
  if (!source_tree.empty()) return Under(source_tree, relative);
  if (!env.test_undeclared_outputs_dir.empty()) {
    return Under(env.test_undeclared_outputs_dir, relative);
  }
  return relative;
}

std::string FuzzCorpusDirectory(const CorpusEnvironment& env, std::string_view package_dir,
                                std::string_view test_name) {
  while (!package_dir.empty() && package_dir.back() == '/') package_dir.remove_suffix(1);
  std::string relative = Under(package_dir, Cat("fuzz/", CorpusFolderName(test_name)));
  if (!env.corpus_root.empty()) return Under(env.corpus_root, relative);
  if (!env.build_workspace_directory.empty()) {
    return Under(env.build_workspace_directory, relative);
  }
  return relative;
}

std::string CorpusWritePath(const CorpusEnvironment& env, std::string_view package_dir,
                            const Replay& replay, std::string_view source_file) {
  return Under(CorpusWriteDirectory(env, package_dir, replay.test_name(), source_file),
               ReplayFileName(replay));
}

std::string ArtifactDirectory(const CorpusEnvironment& env, std::string_view test_name) {
  if (env.test_undeclared_outputs_dir.empty()) return "";
  return Under(env.test_undeclared_outputs_dir, Cat("laplace/", CorpusFolderName(test_name)));
}

absl::StatusOr<std::string> WriteArtifact(const CorpusEnvironment& env, std::string_view test_name,
                                          std::string_view file_name, std::string_view contents) {
  LAPLACE_CHECK(!file_name.empty() && file_name.find('/') == std::string_view::npos)
      << "an artifact's file name has no '/': " << file_name;
  const std::string directory = ArtifactDirectory(env, test_name);
  if (directory.empty()) return std::string();
  std::string path = Under(directory, file_name);
  absl::Status written = internal::WriteFileAtomically(path, contents);
  if (!written.ok()) return written;
  return path;
}

std::string BazelTargetOfBinary(const std::string& binary) {
  std::error_code error;
  const std::string real = std::filesystem::canonical(binary, error).string();
  if (error) return "";
  const size_t out = real.rfind("/bazel-out/");
  if (out == std::string::npos) return "";
  const size_t config_end = real.find('/', out + std::string_view("/bazel-out/").size());
  if (config_end == std::string::npos || real.compare(config_end, 5, "/bin/") != 0) return "";
  const std::filesystem::path relative = real.substr(config_end + 5);
  if (relative.filename().empty()) return "";
  return Cat("//", relative.parent_path().string(), ":", relative.filename().string());
}

std::string ReproduceCommand(const std::string& path) {
  namespace fs = std::filesystem;
  std::string shown = path;
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  for (fs::path dir = absolute.parent_path(); !error && dir.has_relative_path();
       dir = dir.parent_path()) {
    if (fs::exists(dir / "WORKSPACE", error)) {
      shown = fs::relative(absolute, dir, error).string();
      break;
    }
  }
  return Cat("bazel run ", LaplaceToolLabel(), " -- replay ", shown);
}

std::string LaplaceToolLabel() {
  // Compiled as another workspace's dependency, this file is
  // "external/<repository>/replays/corpus.cc".
  constexpr std::string_view kThisFile = __FILE__;
  constexpr std::string_view kExternal = "external/";
  if (kThisFile.substr(0, kExternal.size()) != kExternal) return "//replays:laplace";
  std::string_view rest = kThisFile.substr(kExternal.size());
  return Cat("@", rest.substr(0, rest.find('/')), "//replays:laplace");
}

std::string CorpusReadDirectory(const CorpusEnvironment& env, std::string_view package_dir,
                                std::string_view test_name) {
  std::string relative = CorpusDirectory(package_dir, test_name);
  if (!env.test_srcdir.empty() && !env.test_workspace.empty()) {
    std::string runfiles = Under(Under(env.test_srcdir, env.test_workspace), relative);
    if (IsDirectory(runfiles)) return runfiles;
  }
  if (!env.build_workspace_directory.empty()) {
    return Under(env.build_workspace_directory, relative);
  }
  return relative;
}

}  // namespace laplace::replays
