#pragma once

// Files and folders with the modes personal data needs (docs/architecture.md):
// the folders a program keeps data in are 0700 and the files in them 0600, whatever the umask
// and also when they already existed. One atomic "write, then publish under the final name"
// for every folder (the 資格確認端末's req/res files, keys, results).
//
// Every function blocks on the file system and may be called from any thread. Errors are
// StorageError with the path and the errno text in the message (never the content).

#include "base/result.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace uketsuke::files {

// An owned file descriptor, closed on destruction (or by reset/close).
class UniqueFd {
public:
    explicit UniqueFd(int fd = -1) : m_fd(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }
    void reset(int fd = -1);
    int release()
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }
    // Closes now and returns close()'s result: a late write error shows up here on some file
    // systems, so writers check it.
    int close();

private:
    int m_fd;
};

inline constexpr mode_t kPrivateDirMode = 0700;
inline constexpr mode_t kPrivateFileMode = 0600;

// Whether `name` is safe as one file name made from outside text (a persona id, a config
// value): 1-64 of letters, digits, '-', '_' and '.', not starting with '.' (so never "..", a
// folder part or a hidden file).
bool isPlainName(std::string_view name);

// Creates `dir` (and missing parents, with the umask's modes) and makes `dir` itself 0700,
// also when it already existed. Refuses, rather than lock others out of it, a folder owned by
// another user or with the sticky bit (/tmp): those are shared, not a program's own.
// Errors: StorageError.
Result<void> ensurePrivateDir(const std::filesystem::path& dir);

// Creates `file` empty with mode 0600 if it is missing, or sets an existing one to 0600; a
// symlink is refused. For files another library creates (SQLite): call it before that library
// opens the file. Errors: StorageError.
Result<void> ensurePrivateFile(const std::filesystem::path& file);

// Sets `file` to 0600 when it exists (nothing when it does not). Errors: StorageError.
Result<void> makePrivateIfExists(const std::filesystem::path& file);

// The whole content of a file. Errors: StorageError.
Result<std::string> readFile(const std::filesystem::path& file);

// Writes `content` to `file` in place (create or truncate), then forces `mode` on it: an
// existing file would otherwise keep its old mode. Not atomic; use publishFile() when a
// reader may see the file while it is written. Errors: StorageError.
Result<void> writeFile(const std::filesystem::path& file, std::string_view content,
                       mode_t mode = kPrivateFileMode);

enum class Existing {
    Replace, // rename() over an existing file
    Keep,    // fail with StorageError (native EEXIST) when the name is taken
};

struct PublishOptions {
    mode_t mode = kPrivateFileMode;  // forced, whatever the umask
    Existing existing = Existing::Replace;
};

// Writes `content` so that `file` appears only when complete: a hidden temporary
// (".NAME.tmp") in the same folder with `mode`, fsync, then rename() (Replace) or link()
// (Keep; folders on shares that refuse hard links fall back to rename() after checking the
// name is free), then an fsync of the folder. The temporary never outlives the call.
// Errors: StorageError (native: errno).
Result<void> publishFile(const std::filesystem::path& file, std::string_view content,
                         PublishOptions options = {});

} // namespace uketsuke::files
