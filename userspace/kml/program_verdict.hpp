#pragma once
// The program's verdict for `kml explain`: its marker, its signed
// manifest, and what kml.ko decides at exec under the policy, with the
// checks of `kml verify` (exec_checks.hpp, kml/gate/gate_check.hpp), in
// the kernel's order.

#include "explain_model.hpp"

#include "kml/elf_image.hpp"
#include "kml/gate/certificate.hpp"

#include <span>
#include <string>

namespace kml {

// `trusted` stands for the kernel's keyring (the certificates of
// `trustedFrom`, as `kml verify` takes them).
ProgramVerdict decideProgram(const ElfImage &image, const KernelPolicy &policy,
                             std::span<const gate::Certificate> trusted,
                             std::string trustedFrom);

} // namespace kml
