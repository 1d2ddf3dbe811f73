#include "base/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace uketsuke::files {
namespace {

Unexpected<Error> storageError(std::string_view what, const std::filesystem::path& path,
                               int error)
{
    return fail(Errc::StorageError,
                std::string(what) + " " + path.string() + ": " + std::strerror(error), error);
}

Result<void> writeAll(int fd, std::string_view content, const std::filesystem::path& file)
{
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, left);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return storageError("cannot write", file, errno);
        }
        data += written;
        left -= static_cast<std::size_t>(written);
    }
    return ok();
}

void syncFolder(const std::filesystem::path& dir)
{
    UniqueFd folder(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (folder.get() >= 0) {
        ::fsync(folder.get()); // best effort: the file itself is already on disk
    }
}

bool pathExists(const std::filesystem::path& file)
{
    struct stat info {};
    return ::lstat(file.c_str(), &info) == 0;
}

} // namespace

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    m_fd = fd;
}

int UniqueFd::close()
{
    const int rc = m_fd >= 0 ? ::close(m_fd) : 0;
    m_fd = -1;
    return rc;
}

bool isPlainName(std::string_view name)
{
    if (name.empty() || name.size() > 64 || name.front() == '.') {
        return false;
    }
    for (char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

Result<void> ensurePrivateDir(const std::filesystem::path& dir)
{
    if (dir.empty()) {
        return fail(Errc::StorageError, "no folder given");
    }
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        return storageError("cannot create folder", dir, error.value());
    }
    struct stat info {};
    if (::stat(dir.c_str(), &info) != 0) {
        return storageError("cannot inspect folder", dir, errno);
    }
    if (!S_ISDIR(info.st_mode)) {
        return fail(Errc::StorageError, dir.string() + " is not a folder");
    }
    if ((info.st_mode & S_ISVTX) != 0) {
        return fail(Errc::StorageError,
                    dir.string() + " is a shared folder (sticky bit); give the data a folder "
                                   "of its own");
    }
    if (info.st_uid != ::geteuid()) {
        return fail(Errc::StorageError, dir.string() + " belongs to user " +
                                            std::to_string(info.st_uid) +
                                            ", not to this program's user " +
                                            std::to_string(::geteuid()));
    }
    if ((info.st_mode & 07777) != kPrivateDirMode && ::chmod(dir.c_str(), kPrivateDirMode) != 0) {
        return storageError("cannot make folder private", dir, errno);
    }
    return ok();
}

Result<void> ensurePrivateFile(const std::filesystem::path& file)
{
    UniqueFd fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, kPrivateFileMode));
    if (fd.get() < 0) {
        return storageError("cannot create", file, errno);
    }
    if (::fchmod(fd.get(), kPrivateFileMode) != 0) {
        return storageError("cannot make private", file, errno);
    }
    return ok();
}

Result<void> makePrivateIfExists(const std::filesystem::path& file)
{
    if (::chmod(file.c_str(), kPrivateFileMode) != 0 && errno != ENOENT) {
        return storageError("cannot make private", file, errno);
    }
    return ok();
}

Result<std::string> readFile(const std::filesystem::path& file)
{
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        return storageError("cannot open", file, errno);
    }
    std::string content;
    char buffer[16 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return storageError("cannot read", file, errno);
        }
        if (n == 0) {
            break;
        }
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return content;
}

Result<void> writeFile(const std::filesystem::path& file, std::string_view content, mode_t mode)
{
    UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (fd.get() < 0) {
        return storageError("cannot create", file, errno);
    }
    // O_CREAT applies the umask, and an existing file keeps its mode on O_TRUNC: force it.
    if (::fchmod(fd.get(), mode) != 0) {
        return storageError("cannot chmod", file, errno);
    }
    if (auto written = writeAll(fd.get(), content, file); !written) {
        return written;
    }
    if (fd.close() != 0) {
        return storageError("cannot close", file, errno);
    }
    return ok();
}

Result<void> publishFile(const std::filesystem::path& file, std::string_view content,
                         PublishOptions options)
{
    const std::filesystem::path dir = file.parent_path();
    const std::filesystem::path temporary = dir / ("." + file.filename().string() + ".tmp");
    constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
    UniqueFd fd(::open(temporary.c_str(), kFlags, options.mode));
    if (fd.get() < 0 && errno == EEXIST) {
        // Left by a crash in the middle of an earlier publish of the same name.
        ::unlink(temporary.c_str());
        fd.reset(::open(temporary.c_str(), kFlags, options.mode));
    }
    if (fd.get() < 0) {
        return storageError("cannot create", temporary, errno);
    }
    auto written = writeAll(fd.get(), content, temporary);
    if (written && ::fchmod(fd.get(), options.mode) != 0) {
        written = storageError("cannot chmod", temporary, errno);
    }
    // EINVAL: a file system (some shares) that cannot sync; the rename is still atomic.
    if (written && ::fsync(fd.get()) != 0 && errno != EINVAL) {
        written = storageError("cannot fsync", temporary, errno);
    }
    if (written && fd.close() != 0) {
        written = storageError("cannot close", temporary, errno);
    }
    if (!written) {
        ::unlink(temporary.c_str());
        return written;
    }
    int error = 0;
    if (options.existing == Existing::Replace) {
        if (::rename(temporary.c_str(), file.c_str()) != 0) {
            error = errno;
        }
    } else if (::link(temporary.c_str(), file.c_str()) != 0) {
        // link() fails rather than replace; rename() is the fallback where links are refused.
        error = errno;
        if (error != EEXIST && !pathExists(file) &&
            ::rename(temporary.c_str(), file.c_str()) == 0) {
            error = 0;
        }
    }
    if (error != 0 || options.existing == Existing::Keep) {
        ::unlink(temporary.c_str()); // the name stays linked; or nothing was published
    }
    if (error != 0) {
        return storageError("cannot publish", file, error);
    }
    syncFolder(dir);
    return ok();
}

} // namespace uketsuke::files
