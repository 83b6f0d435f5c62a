/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kml.ko's trace events (docs/tracing.md), in the core's "kml" system
 * next to its system call events: what exec decided about a marked
 * program, and every refusal, of an exec, an approval list or a mapping.
 * Off, each costs its caller one patched-out jump.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kml

#if !defined(_KML_LOADER_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KML_LOADER_TRACE_H

#include <linux/tracepoint.h>

/*
 * The exec of a program with a KML marker: @verdict is "ring0",
 * "ring0-bypass", "ring3" (the marker is disabled) or "refused"; @reason
 * says why (a kml_gate.h reason name for a refusal); @assurance is the
 * approval's ("trusted", "validated", "verified", "unsigned" in
 * development mode), "" when nothing approved it; @err the errno of a
 * refusal.
 */
TRACE_EVENT(kml_exec,
	    TP_PROTO(const char *file, const char *verdict, const char *reason,
		     const char *assurance, int err),
	    TP_ARGS(file, verdict, reason, assurance, err),
	    TP_STRUCT__entry(__string(file, file)
			     __string(verdict, verdict)
			     __string(reason, reason)
			     __string(assurance, assurance)
			     __field(int, err)),
	    TP_fast_assign(__assign_str(file);
			   __assign_str(verdict);
			   __assign_str(reason);
			   __assign_str(assurance);
			   __entry->err = err;),
	    TP_printk("file=%s verdict=%s reason=%s assurance=%s err=%d",
		      __get_str(file), __get_str(verdict), __get_str(reason),
		      __get_str(assurance), __entry->err));

/*
 * A refusal: @kind is "exec", "list" (an approval list) or "mapping" (an
 * mmap() or mprotect() of a ring-0 process); @name the file, or the
 * process for anonymous memory; @reason a kml_gate.h reason name.
 */
TRACE_EVENT(kml_refused,
	    TP_PROTO(const char *kind, const char *name, const char *reason,
		     const char *detail, int err),
	    TP_ARGS(kind, name, reason, detail, err),
	    TP_STRUCT__entry(__string(kind, kind)
			     __string(name, name)
			     __string(reason, reason)
			     __string(detail, detail)
			     __field(int, err)),
	    TP_fast_assign(__assign_str(kind);
			   __assign_str(name);
			   __assign_str(reason);
			   __assign_str(detail);
			   __entry->err = err;),
	    TP_printk("kind=%s name=%s reason=%s detail=\"%s\" err=%d",
		      __get_str(kind), __get_str(name), __get_str(reason),
		      __get_str(detail), __entry->err));

#endif /* _KML_LOADER_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH loader
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
