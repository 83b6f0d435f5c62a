#pragma once
// kml verify --list LIST FILE...: kml.ko's check in userspace of an
// approval list (as it loads one) and of files against it (as it checks
// a mapping), with `kml verify`'s trusted certificates and policy.

#include "kml/gate/certificate.hpp"
#include "kml/gate/gate_check.hpp"

#include <span>
#include <string>
#include <vector>

namespace kml {

// One line for the list, then one a file: "NAME: allowed: ..." or "NAME:
// refused: REASON: ...". Returns 0 when the list and every file are
// allowed, 1 when anything is refused, 66 when a FILE cannot be read
// (the others are still checked), 65 for a list the kernel would not
// even read (over KML_APPROVALS_MAX_LEN).
int verifyApprovalList(const std::string &list,
                       const std::vector<std::string> &files,
                       std::span<const gate::Certificate> trusted,
                       const gate::GatePolicy &policy);

} // namespace kml
