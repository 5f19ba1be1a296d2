#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "common/table/access_table.hpp"
#include "common/table/cidr_table.hpp"
#include "common/table/table_file.hpp"
#include "common/table/table_list.hpp"
#include "tests/support/temp_dir.hpp"

using mw::table::AccessKind;
using mw::table::AccessTable;
using mw::table::CidrTable;
using mw::table::TableFile;
using mw::table::TableList;

namespace {

// Writes a new version under a temporary name and renames it over, as editors and
// configuration tools do; the new inode makes the change visible whatever the mtime.
void replace(const mw::test::TempDir& dir, const std::string& name, const std::string& text) {
    const auto tmp = dir.write(name + ".new", text);
    REQUIRE(std::rename(tmp.c_str(), dir.file(name).c_str()) == 0);
}

AccessKind kind_for(const TableFile<AccessTable>& f, const char* address) {
    auto m = f.snapshot()->find_address(address);
    return m ? m->action.kind : AccessKind::Dunno;
}

}  // namespace

TEST_CASE("TableFile: loads, reloads on change, keeps the table when unchanged", "[table]") {
    mw::test::TempDir dir;
    dir.write("sender", "spam.example REJECT\n");
    auto f = TableFile<AccessTable>::open(dir.file("sender"));
    REQUIRE(f);
    CHECK(kind_for(*f, "a@spam.example") == AccessKind::Reject);
    const auto before = f->snapshot();

    auto same = f->refresh();
    REQUIRE(same);
    CHECK_FALSE(*same);
    CHECK(f->snapshot() == before);  // the very same snapshot

    replace(dir, "sender", "spam.example OK\n");
    auto changed = f->refresh();
    REQUIRE(changed);
    CHECK(*changed);
    CHECK(kind_for(*f, "a@spam.example") == AccessKind::Ok);
    // A reader holding the old snapshot still sees the old table.
    CHECK(before->find_address("a@spam.example")->action.kind == AccessKind::Reject);
}

TEST_CASE("TableFile: an edit in place (same inode, new size) is noticed", "[table]") {
    mw::test::TempDir dir;
    dir.write("sender", "a.example OK\n");
    auto f = TableFile<AccessTable>::open(dir.file("sender"));
    REQUIRE(f);
    dir.write("sender", "a.example REJECT no\n");
    auto changed = f->refresh();
    REQUIRE(changed);
    CHECK(*changed);
    CHECK(kind_for(*f, "x@a.example") == AccessKind::Reject);
}

TEST_CASE("TableFile: a bad new file keeps the old table and reports FILE:LINE once", "[table]") {
    mw::test::TempDir dir;
    dir.write("sender", "spam.example REJECT\n");
    auto f = TableFile<AccessTable>::open(dir.file("sender"));
    REQUIRE(f);
    replace(dir, "sender", "ok.example OK\nspam.example FILTER smtp:x\n");
    auto bad = f->refresh();
    REQUIRE_FALSE(bad);
    CHECK(bad.error().to_string().rfind(dir.file("sender") + ":2: action 'FILTER'", 0) == 0);
    CHECK(kind_for(*f, "a@spam.example") == AccessKind::Reject);  // old table in force
    auto again = f->refresh();                                      // same bad version: quiet
    REQUIRE(again);
    CHECK_FALSE(*again);
    CHECK_FALSE(f->reload());                                       // SIGUSR1 re-reads and reports
    replace(dir, "sender", "spam.example DISCARD\n");                // fixed
    auto fixed = f->refresh();
    REQUIRE(fixed);
    CHECK(*fixed);
    CHECK(kind_for(*f, "a@spam.example") == AccessKind::Discard);
}

TEST_CASE("TableFile: a missing file fails at open and keeps the table later", "[table]") {
    mw::test::TempDir dir;
    auto missing = TableFile<AccessTable>::open(dir.file("nope"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == mw::ErrorCode::NotFound);
    dir.write("sender", "a.example OK\n");
    auto f = TableFile<AccessTable>::open(dir.file("sender"));
    REQUIRE(f);
    REQUIRE(std::remove(dir.file("sender").c_str()) == 0);
    CHECK_FALSE(f->refresh());
    CHECK(kind_for(*f, "x@a.example") == AccessKind::Ok);
}

TEST_CASE("TableFile: readers on other threads while reloading", "[table]") {
    mw::test::TempDir dir;
    dir.write("client", "192.0.2.0/24 REJECT\n");
    auto f = TableFile<CidrTable>::open(dir.file("client"));
    REQUIRE(f);
    std::thread reader([&] {
        for (int i = 0; i < 2000; ++i) {
            auto t = f->snapshot();
            auto m = t->find(std::string_view("192.0.2.1"));
            if (!m) FAIL("lookup lost its table");
        }
    });
    for (int i = 0; i < 50; ++i) {
        replace(dir, "client", i % 2 ? "192.0.2.0/24 REJECT\n" : "192.0.2.0/24 OK\n");
        CHECK(f->reload());
    }
    reader.join();
}

TEST_CASE("TableList: tables searched in order; DUNNO falls through to the next", "[table]") {
    mw::test::TempDir dir;
    dir.write("a", "friend@spam.example DUNNO\nvip.example OK\n");
    dir.write("b", "spam.example REJECT\nvip.example REJECT\n");
    auto list = TableList<AccessTable>::open(dir.file("a") + ", " + dir.file("b"));
    REQUIRE(list);
    CHECK(list->size() == 2);
    const auto tables = list->snapshot();
    auto find = [&](const char* address) {
        return mw::table::find_in_order(tables, [&](const AccessTable& t) { return t.find_address(address); });
    };
    CHECK(find("x@vip.example")->pos.file == dir.file("a"));         // first table decides
    CHECK(find("friend@spam.example")->action.kind == AccessKind::Reject);  // DUNNO in a, REJECT in b
    CHECK(find("friend@spam.example")->pos.file == dir.file("b"));
    CHECK_FALSE(find("x@elsewhere.example"));

    dir.write("c", "only.example DUNNO\n");
    auto single = TableList<AccessTable>::open(dir.file("c"));
    REQUIRE(single);
    const auto dunno = mw::table::find_in_order(single->snapshot(),
                                                [](const AccessTable& t) { return t.find_address("a@only.example"); });
    REQUIRE(dunno);  // a lone DUNNO is still reported, for the log line
    CHECK(dunno->action.kind == AccessKind::Dunno);
}

TEST_CASE("TableList: refresh reports bad files and keeps the rest current", "[table]") {
    mw::test::TempDir dir;
    dir.write("a", "a.example OK\n");
    dir.write("b", "b.example OK\n");
    auto list = TableList<AccessTable>::open(dir.file("a") + " " + dir.file("b"));
    REQUIRE(list);
    replace(dir, "a", "a.example REJECT\n");
    replace(dir, "b", "b.example\n");
    const auto errors = list->refresh();
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].to_string() == dir.file("b") + ":1: expected 'KEY ACTION'");
    const auto tables = list->snapshot();
    CHECK(tables[0]->find_address("x@a.example")->action.kind == AccessKind::Reject);
    CHECK(tables[1]->find_address("x@b.example")->action.kind == AccessKind::Ok);
    CHECK(list->reload().size() == 1);
    CHECK(TableList<AccessTable>::open("")->empty());
    CHECK_FALSE(TableList<AccessTable>::open(dir.file("a") + " " + dir.file("missing")));
}

TEST_CASE("TableList: kMaxTableList tables, at the limit and one past", "[table]") {
    mw::test::TempDir dir;
    const auto path = dir.write("t", "a.example OK\n");
    std::string list;
    for (std::size_t i = 0; i < mw::limits::kMaxTableList; ++i) list += path + ",";
    CHECK(TableList<AccessTable>::open(list)->size() == mw::limits::kMaxTableList);
    auto past = TableList<AccessTable>::open(list + path);
    REQUIRE_FALSE(past);
    CHECK(past.error().code == mw::ErrorCode::TooLong);
}
