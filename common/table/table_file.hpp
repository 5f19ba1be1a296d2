// TableFile<T>: a table loaded from a file and kept current without a restart. Readers take a
// std::shared_ptr<const T> snapshot, which stays valid while they use it however often the file
// is reloaded. refresh() stat()s the file (device, inode, size, mtime in ns) and reloads only
// when that changed; reload() always re-reads (SIGUSR1). A new file that fails to load leaves
// the old table in force and returns the loader's FILE:LINE error; a failed version is reported
// once, not at every refresh(). T is any table with `static Result<T> load(const std::string&)`
// (AccessTable, CidrTable) or another loader. Thread-safe: snapshot(), refresh() and reload()
// may be called from any thread; loads are serialized.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "common/base/result.hpp"

namespace mw::table {

/// What refresh() compares to notice that a file changed (a rename-over gives a new inode).
struct FileStamp {
    unsigned long long device = 0;
    unsigned long long inode = 0;
    long long size = 0;
    long long mtime_ns = 0;

    /// stat(2)s `path`; a missing file is an error naming it.
    static Result<FileStamp> of(const std::string& path);
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

template <typename T>
class TableFile {
public:
    using Loader = std::function<Result<T>(const std::string& path)>;

    /// Loads `path` once; a start-up failure is the caller's to report.
    static Result<TableFile> open(std::string path, Loader loader = &T::load) {
        TableFile file(std::move(path), std::move(loader));
        if (auto loaded = file.reload(); !loaded) return fail(loaded.error());
        return file;
    }

    TableFile(TableFile&& other) noexcept : path_(std::move(other.path_)), loader_(std::move(other.loader_)),
        current_(std::move(other.current_)), stamp_(other.stamp_), failed_(other.failed_) {}

    const std::string& path() const { return path_; }

    /// The table in force.
    std::shared_ptr<const T> snapshot() const {
        std::lock_guard lock(mutex_);
        return current_;
    }

    /// Reloads when the file changed. true: reloaded; false: unchanged (or this version
    /// already failed); error: the new file is bad and the old table stays.
    Result<bool> refresh() {
        std::lock_guard reload_lock(reload_mutex_);
        auto stamp = FileStamp::of(path_);
        if (!stamp) return fail(stamp.error());
        if (*stamp == stamp_ || (failed_ && *stamp == *failed_)) return false;
        if (auto loaded = load_locked(*stamp); !loaded) return fail(loaded.error());
        return true;
    }

    /// Re-reads the file whatever its stamp; on error the old table stays.
    Result<void> reload() {
        std::lock_guard reload_lock(reload_mutex_);
        auto stamp = FileStamp::of(path_);
        if (!stamp) return fail(stamp.error());
        return load_locked(*stamp);
    }

private:
    TableFile(std::string path, Loader loader) : path_(std::move(path)), loader_(std::move(loader)) {}

    Result<void> load_locked(const FileStamp& stamp) {
        auto table = loader_(path_);
        if (!table) {
            failed_ = stamp;
            return fail(table.error());
        }
        auto fresh = std::make_shared<const T>(std::move(*table));
        std::lock_guard lock(mutex_);
        current_ = std::move(fresh);
        stamp_ = stamp;
        failed_.reset();
        return {};
    }

    std::string path_;
    Loader loader_;
    mutable std::mutex mutex_;   // guards current_ for readers
    std::mutex reload_mutex_;    // one load at a time
    std::shared_ptr<const T> current_;
    FileStamp stamp_;
    std::optional<FileStamp> failed_;
};

}  // namespace mw::table
