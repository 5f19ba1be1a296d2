// TableList<T>: the tables one key names ("sender_access = /etc/postfix/a, /etc/postfix/b"),
// each a reloading TableFile<T>, searched in order. At most kMaxTableList tables. Searching
// follows Postfix's restriction lists (check_sender_access a, check_sender_access b): within one
// table the first key in lookup order decides; a DUNNO there ends that table's search and the
// next table is asked; the first match that is not DUNNO wins. Thread-safe as TableFile<T>.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "common/base/limits.hpp"
#include "common/base/list_split.hpp"
#include "common/base/result.hpp"
#include "common/table/access_action.hpp"
#include "common/table/table_file.hpp"

namespace mw::table {

template <typename T>
using Snapshot = std::vector<std::shared_ptr<const T>>;

template <typename T>
class TableList {
public:
    using Loader = typename TableFile<T>::Loader;

    /// Opens every table of a list value (commas and/or white space); an empty value is no tables.
    static Result<TableList> open(std::string_view list, Loader loader = &T::load) {
        const auto paths = split_list(list);
        if (paths.size() > limits::kMaxTableList)
            return fail(ErrorCode::TooLong, fmt::format("more than {} tables in one list", limits::kMaxTableList));
        TableList tables;
        for (auto path : paths) {
            auto file = TableFile<T>::open(std::string(path), loader);
            if (!file) return fail(file.error());
            tables.files_.push_back(std::move(*file));
        }
        return tables;
    }

    /// Refreshes every table; returns the errors of those whose new file is bad (old kept).
    std::vector<Error> refresh() {
        std::vector<Error> errors;
        for (auto& f : files_)
            if (auto r = f.refresh(); !r) errors.push_back(r.error());
        return errors;
    }

    /// Reloads every table (SIGUSR1); returns the errors (old tables kept).
    std::vector<Error> reload() {
        std::vector<Error> errors;
        for (auto& f : files_)
            if (auto r = f.reload(); !r) errors.push_back(r.error());
        return errors;
    }

    /// The tables in force, in list order.
    Snapshot<T> snapshot() const {
        Snapshot<T> tables;
        for (const auto& f : files_) tables.push_back(f.snapshot());
        return tables;
    }

    std::size_t size() const { return files_.size(); }
    bool empty() const { return files_.empty(); }

private:
    std::vector<TableFile<T>> files_;
};

/// Asks each table in order with `lookup(const T&) -> std::optional<AccessMatch>`: the first
/// match that is not DUNNO wins; else the first DUNNO match (so the caller can log it); else none.
template <typename T, typename Lookup>
std::optional<AccessMatch> find_in_order(const Snapshot<T>& tables, Lookup&& lookup) {
    std::optional<AccessMatch> dunno;
    for (const auto& table : tables) {
        auto m = lookup(*table);
        if (!m) continue;
        if (m->action.kind != AccessKind::Dunno) return m;
        if (!dunno) dunno = std::move(m);
    }
    return dunno;
}

}  // namespace mw::table
