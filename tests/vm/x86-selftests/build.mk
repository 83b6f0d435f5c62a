# tests/vm/x86-selftests/build.mk: builds the kernel's own x86 selftests
# (tools/testing/selftests/x86) in three forms each, and the in-VM program
# that runs and compares them (x86_selftests_test).
#
# A GNU make fragment. The top Makefile includes it; it can also run on its
# own:
#
#   make -f tests/vm/x86-selftests/build.mk KSELFTEST_DIR=... OUT=... KML=... x86-selftests
#
# Variables it expects (set them before the include):
#   KSELFTEST_DIR  the kernel's tools/testing/selftests (kselftest_harness.h,
#                  and x86/ with the selftests' sources)
#   OUT            output directory: everything lands here, flat, exactly as
#                  it is installed in /kml/tests/
#   KML            the `kml` command that marks (`kml mark FILE -o OUT`);
#                  only the marking step (x86-selftests-mark) needs it
# Optional:
#   X86ST_REWRITE  the `kml` command that rewrites (`kml rewrite FILE -o
#                  OUT`); default $(KML)
#   X86ST_CC       compiler (default gcc)
#   X86ST_UAPI     directory holding linux/kml_abi.h (default: the
#                  repository's loader/uapi, found from this file)
#   VMTEST_LIB_DIR the in-VM tests' helper library, kml_vmtest.[ch], which
#                  x86_selftests_test links (default: ../lib, from this file)
#
# Targets:
#   x86-selftests-build  the selftests as built (ring 3), the CPL probe, the
#                        test program and the lists (no kml needed)
#   x86-selftests-mark   the marked (.ring0) and rewritten (.rewritten) copies
#   x86-selftests        both
#   x86-selftests-clean  removes everything this fragment built
#
# What it defines for the including Makefile:
#   X86ST_TEST_NAMES     the selftests built (NAME_64), in run order
#   X86ST_TEST           $(OUT)/x86_selftests_test, the program to run
#   X86ST_PAYLOADS       every file to install next to it: each selftest and
#                        the probe in three forms (NAME, NAME.ring0,
#                        NAME.rewritten), and X86ST_LIST
#   X86ST_LIST           $(OUT)/x86-selftests.list: X86ST_TEST_NAMES, one a
#                        line, what x86_selftests_test runs (a payload)
#   X86ST_TESTS_LIST     $(OUT)/x86-tests.list: x86_selftests_test, to add to
#                        tests.list (the programs to run)
#   X86ST_PAYLOADS_LIST  $(OUT)/x86-payloads.list: X86ST_PAYLOADS' names, one
#                        a line (files to install, never to run)

X86ST_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

X86ST_CC ?= gcc
X86ST_REWRITE ?= $(KML)
X86ST_UAPI ?= $(X86ST_DIR)/../../../loader/uapi
VMTEST_LIB_DIR ?= $(X86ST_DIR)/../lib
X86ST_SRC := $(KSELFTEST_DIR)/x86

# The selftests' Makefile (6.12): TARGETS_C_BOTHBITS and TARGETS_C_64BIT_ONLY,
# then TARGETS_C_32BIT_NEEDED (64-bit programs that need the kernel's 32-bit
# support, which the VM kernel has). Every one builds statically; README.md
# lists what is left out and why.
X86ST_BASES := single_step_syscall sysret_ss_attrs syscall_nt test_mremap_vdso \
	check_initial_reg_state sigreturn iopl ioperm test_vsyscall mov_ss_trap \
	sigtrap_loop syscall_arg_fault fsgsbase_restore sigaltstack nx_stack \
	fsgsbase sysret_rip syscall_numbering corrupt_xstate_header amx lam \
	test_shadow_stack \
	ldt_gdt ptrace_syscall
X86ST_TEST_NAMES := $(X86ST_BASES:%=%_64)
# Built, installed, but not run in make check, each for a reason seen in a
# VM run (README.md, "Not run"); run them by hand with the harness's list.
#   sysret_ss_attrs: at ring 3 already, QEMU 7.2's TCG pops the far return
#     of its thunk with a supervisor access, so the #PF lacks X86_PF_USER
#     and the kernel oopses (a SMAP violation on a user address). The
#     same kernel without the series oopses the same way (make
#     x86-baseline).
#   syscall_numbering: runs past the harness's 60 s per form already at
#     ring 3 under TCG with KASAN (every form timed out).
X86ST_NOT_RUN := sysret_ss_attrs syscall_numbering
X86ST_RUN_NAMES := $(filter-out $(X86ST_NOT_RUN:%=%_64),$(X86ST_TEST_NAMES))

# The selftests' CFLAGS and the 64-bit rule's flags and libraries, static.
# No CAN_BUILD_32: that Makefile sets it only where gcc -m32 links, which
# Debian's gcc does not without gcc-multilib.
X86ST_CFLAGS := -static -no-pie -m64 -O2 -g -std=gnu99 -pthread -Wall -DCAN_BUILD_64
X86ST_LIBS := -lrt -ldl
# Its per-target additions (extra-files and target CFLAGS).
X86ST_FLAGS_check_initial_reg_state := -Wl,-ereal_start
X86ST_FLAGS_nx_stack := -Wl,-z,noexecstack
$(OUT)/sysret_ss_attrs_64: $(X86ST_SRC)/thunks.S
$(OUT)/fsgsbase_restore_64 $(OUT)/sysret_rip_64: $(X86ST_SRC)/clang_helpers_64.S

# A tiny program that prints its CPL and whether it was given the direct
# entry: built and converted like the selftests, so the test program can
# check each form runs where it should.
X86ST_PROBE := x86_cpl_probe
X86ST_PROGRAMS := $(X86ST_TEST_NAMES) $(X86ST_PROBE)

X86ST_TEST := $(OUT)/x86_selftests_test
X86ST_BUILT := $(addprefix $(OUT)/,$(X86ST_PROGRAMS))
X86ST_MARKED := $(X86ST_BUILT:%=%.ring0)
X86ST_REWRITTEN := $(X86ST_BUILT:%=%.rewritten)
X86ST_LIST := $(OUT)/x86-selftests.list
X86ST_PAYLOADS := $(X86ST_BUILT) $(X86ST_MARKED) $(X86ST_REWRITTEN) $(X86ST_LIST)
X86ST_TESTS_LIST := $(OUT)/x86-tests.list
X86ST_PAYLOADS_LIST := $(OUT)/x86-payloads.list

X86ST_WARN := -Wall -Wextra -Wno-unused-parameter
X86ST_TEST_CFLAGS := -static -O2 -g $(X86ST_WARN) -Wno-clobbered -I$(KSELFTEST_DIR) \
	-I$(VMTEST_LIB_DIR)

.PHONY: x86-selftests x86-selftests-build x86-selftests-mark x86-selftests-clean

x86-selftests: x86-selftests-build x86-selftests-mark

x86-selftests-build: $(X86ST_TEST) $(X86ST_BUILT) $(X86ST_LIST) $(X86ST_TESTS_LIST) \
	$(X86ST_PAYLOADS_LIST)

x86-selftests-mark: $(X86ST_MARKED) $(X86ST_REWRITTEN)

# Static pattern rules only: nothing here may claim other files in $(OUT).
$(addprefix $(OUT)/,$(X86ST_TEST_NAMES)): $(OUT)/%_64: $(X86ST_SRC)/%.c $(X86ST_SRC)/helpers.h
	@mkdir -p $(@D)
	@echo "  X86ST   $(@F)"
	@$(X86ST_CC) $(X86ST_CFLAGS) $(X86ST_FLAGS_$*) -o $@ $< $(filter %.S,$^) $(X86ST_LIBS)

$(OUT)/$(X86ST_PROBE): $(X86ST_DIR)/cpl_probe.c $(X86ST_UAPI)/linux/kml_abi.h
	@mkdir -p $(@D)
	@echo "  X86ST   $(@F)"
	@$(X86ST_CC) -static -O2 -g $(X86ST_WARN) -I$(X86ST_UAPI) -o $@ $<

$(X86ST_TEST): $(X86ST_DIR)/x86_selftests_test.c $(VMTEST_LIB_DIR)/kml_vmtest.c \
		$(VMTEST_LIB_DIR)/kml_vmtest.h $(KSELFTEST_DIR)/kselftest_harness.h
	@mkdir -p $(@D)
	@echo "  X86ST   $(@F)"
	@$(X86ST_CC) $(X86ST_TEST_CFLAGS) -o $@ $< $(VMTEST_LIB_DIR)/kml_vmtest.c

# Marking and rewriting: a separate step, so the rest builds before the kml
# tool exists. A file named KML (X86ST_REWRITE) is a prerequisite: convert
# again when the tool changes.
$(X86ST_MARKED): %.ring0: % $(wildcard $(KML))
	@test -n "$(KML)" || { echo "x86-selftests: set KML to the kml command to mark programs" >&2; exit 1; }
	@echo "  KMLMARK $(@F)"
	@rm -f $@.tmp
	@$(KML) mark $< -o $@.tmp && mv $@.tmp $@

$(X86ST_REWRITTEN): %.rewritten: % $(wildcard $(X86ST_REWRITE))
	@test -n "$(X86ST_REWRITE)" || { echo "x86-selftests: set KML or X86ST_REWRITE to the kml command to rewrite programs" >&2; exit 1; }
	@echo "  REWRITE $(@F)"
	@rm -f $@.tmp
	@$(X86ST_REWRITE) rewrite $< -o $@.tmp --quiet && mv $@.tmp $@

$(X86ST_LIST): $(X86ST_DIR)/build.mk
	@mkdir -p $(@D)
	@printf '%s\n' $(X86ST_RUN_NAMES) >$@

$(X86ST_TESTS_LIST): $(X86ST_DIR)/build.mk
	@mkdir -p $(@D)
	@printf '%s\n' $(notdir $(X86ST_TEST)) >$@

$(X86ST_PAYLOADS_LIST): $(X86ST_DIR)/build.mk
	@mkdir -p $(@D)
	@printf '%s\n' $(notdir $(X86ST_PAYLOADS)) >$@

x86-selftests-clean:
	rm -f $(X86ST_TEST) $(X86ST_PAYLOADS) $(X86ST_TESTS_LIST) $(X86ST_PAYLOADS_LIST)
