// CIDR blocks and sets of them (internal_hosts, skip_addresses, whitelist, cidr tables).
// An IPv4 client also matches IPv4 blocks when it arrives IPv4-mapped in IPv6.
// Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.hpp"
#include "common/net/ip_address.hpp"

namespace mw::net {

struct Cidr {
    IpAddress network;   // host bits cleared
    int prefix = 0;

    /// Parses "192.0.2.0/24", "2001:db8::/32" or a bare address (full-length prefix).
    /// Host bits set beyond the prefix are an error, as in Postfix's cidr_table(5).
    static Result<Cidr> parse(std::string_view text);
    bool contains(const IpAddress& ip) const;
    std::string to_string() const;
};

class CidrSet {
public:
    CidrSet() = default;
    explicit CidrSet(std::vector<Cidr> blocks) : blocks_(std::move(blocks)) {}
    /// Parses a list of CIDRs separated by commas and/or white space.
    static Result<CidrSet> parse(std::string_view list);

    void add(Cidr c) { blocks_.push_back(std::move(c)); }
    bool contains(const IpAddress& ip) const;
    bool empty() const { return blocks_.empty(); }
    const std::vector<Cidr>& blocks() const { return blocks_; }

private:
    std::vector<Cidr> blocks_;
};

}  // namespace mw::net
