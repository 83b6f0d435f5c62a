#pragma once
// `kml explain --trace -- CMD [ARGS...]`: runs the command with kml's
// trace events on (docs/tracing.md) and shows each system call its ring-0
// tasks made as it happened: the path it took into the kernel, where it
// came from, its result and, where the trace can tell, its cost; then a
// summary (calls by path, the slow sites). Built on tracefs, not ptrace:
// the command runs as it would untraced, but for the events' cost. Needs
// root and a kml kernel.

#include "command.hpp"

namespace kml {

// args: what follows `--trace`: [--color=WHEN] [--] CMD [ARGS...].
int runExplainTrace(Args args);

} // namespace kml
