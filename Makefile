# kml: the one entry point. `make help` lists the targets.
#
#   make demo    boot the VM and run the showcase
#   make check   every test: host unit tests, then the in-VM kselftests on
#                the debug kernel (KASAN, lockdep, kmemleak, KFENCE)

SHELL := /bin/bash
.DEFAULT_GOAL := help

TOP := $(abspath .)
BUILD := $(TOP)/build
FLAVOUR ?= release
KML_VERSION := $(shell cat $(TOP)/VERSION)

# Kernel: our patched 6.12 tree and one output tree per flavour.
KSRC := $(BUILD)/linux
KOUT := $(BUILD)/kernel-$(FLAVOUR)
BZIMAGE := $(KOUT)/arch/x86/boot/bzImage
# KDIR= builds kml.ko in place against any other kml-patched 6.12 tree.
KDIR ?=

MODDIR := $(BUILD)/module-$(FLAVOUR)
HOSTDIR := $(BUILD)/host
GUESTDIR := $(BUILD)/guest
VMTESTDIR := $(BUILD)/vm-tests
IMAGEDIR := $(BUILD)/image-$(FLAVOUR)
IMAGE := $(IMAGEDIR)/initramfs.cpio.gz
GUEST_TOOLS := $(GUESTDIR)/userspace/kml/kml

VM_TEST_SRCS := $(wildcard tests/vm/*.c)
# The exec-path fuzzer (tests/vm/fuzz/exec_fuzz.c) is built and listed like
# the tests above. KML_EXEC_FUZZ_N on the kernel command line (it reaches
# /init's environment) sets its file count: EXEC_FUZZ_CHECK_N in check-vm,
# EXEC_FUZZ_N in `make fuzz`.
VM_FUZZ_SRCS := $(wildcard tests/vm/fuzz/*.c)
VM_TESTS := $(patsubst tests/vm/%.c,$(VMTESTDIR)/%,$(VM_TEST_SRCS)) \
	$(patsubst tests/vm/fuzz/%.c,$(VMTESTDIR)/%,$(VM_FUZZ_SRCS))
EXEC_FUZZ_CHECK_N ?= 3000
EXEC_FUZZ_N ?= 20000
# The ring-0 system call fuzzer: calls a worker (3 ring-0 + 3 ring-3
# workers); make check uses the test's default (10000).
SYSCALL_FUZZ_CALLS ?= 100000
# Host fuzzing: seconds of `make fuzz`, and the seed of both fuzzers.
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= 1

# Every in-VM test links the one helper library (tests/vm/lib/kml_vmtest.c):
# loading kml.ko, sysfs, running programs. The suites' fragments below find
# it on their own (VMTEST_LIB_DIR) when they run without this Makefile.
VMTEST_LIB_DIR := tests/vm/lib
VMTEST_LIB := $(VMTEST_LIB_DIR)/kml_vmtest.c $(VMTEST_LIB_DIR)/kml_vmtest.h
# The ring-0 suite builds itself (tests/vm/ring0/build.mk) and marks its
# payloads with the (static) kml command of the guest build.
KSELFTEST_DIR := $(KSRC)/tools/testing/selftests
OUT := $(VMTESTDIR)
KML := $(GUESTDIR)/userspace/kml/kml
# The VM's test CA (scripts/kernel.sh): signs the gate tests' programs.
KML_KEYS := $(BUILD)/keys
RING0_STRESS_SECONDS ?= 20
include tests/vm/ring0/build.mk
# The adversarial suite (tests/vm/attack/build.mk), after ring0's: it links
# ring0_lib.c, and its list goes last in tests.list (lockdown ends the run).
include tests/vm/attack/build.mk
# The kernel's own x86 selftests at ring 3 and ring 0
# (tests/vm/x86-selftests/build.mk), rewritten by the host kml as REWRITTEN.
X86ST_REWRITE := $(HOSTDIR)/userspace/kml/kml
include tests/vm/x86-selftests/build.mk
# docs/tutorial.md's programs (/kml/tutorial) and its in-VM test.
include userspace/examples/tutorial/build.mk
VM_CFLAGS := -static -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-clobbered \
	-I$(KSRC)/tools/testing/selftests -I$(TOP)/loader/uapi -I$(VMTEST_LIB_DIR) \
	-DKML_EXPECTED_VERSION='"$(KML_VERSION)"'
MODULE_SRCS := Kbuild VERSION $(shell find kml loader syscall-shim -name '*.[ch]' 2>/dev/null)

CMAKE_GEN := -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	$(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

.PHONY: help deps kernel kernel-debug module tools host-tools guest-tools \
	vm-tests test-module dynroot image vm demo lint lint-tidy check check-host check-vm fuzz fuzz-host fuzz-vm x86-baseline \
	bench bench-server patch-size clean distclean

help:
	@echo "kml $(KML_VERSION): Kernel Mode Linux for 6.12"
	@echo
	@echo "  make demo          boot the VM and run the showcase"
	@echo "  make check         every test (host + in-VM on the debug kernel)"
	@echo
	@echo "  make deps          install the Debian packages kml needs"
	@echo "  make kernel        patched 6.12 kernel (FLAVOUR=release|debug)"
	@echo "  make module        kml.ko against that kernel (or KDIR=<tree>)"
	@echo "  make test-module   kml_verdict.ko, the in-VM tests' stand-in for kml.ko"
	@echo "  make tools         the C++ userspace: kml, kml-vmrun, tests"
	@echo "  make bench-server  Debian's redis and nginx at ring 3 and 0: instructions per request (docs/dynamic.md)"
	@echo "  make dynroot       Debian's redis and nginx, kml's rewritten ld.so and libc (docs/dynamic.md)"
	@echo "  make image         initramfs: busybox, kml.ko, tools, tests, the dynroot"
	@echo "  make vm            boot the VM to a shell (Ctrl-A X quits)"
	@echo "  make lint          checkpatch, clang-format, clang-tidy, shellcheck, layers (docs/lint.md)"
	@echo "  make lint-tidy     clang-tidy alone (LINT_BASE=REV: only what changed since REV)"
	@echo "  make check-host    host unit tests only (ctest)"
	@echo "  make check-vm      in-VM tests only"
	@echo "  make fuzz          host ELF fuzzing (ASan) for FUZZ_SECONDS, then the"
	@echo "                     in-VM exec fuzzer with EXEC_FUZZ_N files and the"
	@echo "                     ring-0 syscall fuzzer, SYSCALL_FUZZ_CALLS a worker"
	@echo "  make bench         syscall cost by path, ring 3 vs ring 0 (build/bench)"
	@echo "  make x86-baseline  x86 selftests at ring 3: patched vs unpatched kernel"
	@echo "  make patch-size    lines the kernel patch series adds and removes"
	@echo "  make clean         remove build outputs but keep the kernel"
	@echo "  make distclean     remove build/ entirely"
	@echo
	@echo "Variables: FLAVOUR=release|debug  ACCEL=tcg|kvm  KDIR=<6.12 tree>"
	@echo "           FUZZ_SECONDS=$(FUZZ_SECONDS)  EXEC_FUZZ_N=$(EXEC_FUZZ_N)  FUZZ_SEED=$(FUZZ_SEED)"
	@echo "           SYSCALL_FUZZ_CALLS=$(SYSCALL_FUZZ_CALLS)"

deps:
	@scripts/deps.sh

# The script is cheap when nothing changed: it compares hashes of the
# patch series and config fragments with the stamps of the last build.
kernel: deps
	@scripts/kernel.sh $(FLAVOUR)

kernel-debug:
	@$(MAKE) --no-print-directory kernel FLAVOUR=debug

# Out-of-tree build in a per-flavour copy of the sources, so the release
# and debug modules never share objects (6.12 has no separate output
# directory for external modules). rsync keeps mtimes: Kbuild stays
# incremental.
# kml_verdict.ko (tests/vm/module): a stand-in for kml.ko that only the
# test image holds, built the same way against the same kernel.
TESTMODDIR := $(BUILD)/test-module-$(FLAVOUR)
test-module: kernel
	@mkdir -p $(TESTMODDIR)
	@rsync -a tests/vm/module/ $(TESTMODDIR)/
	@$(MAKE) -s -C $(KSRC) O=$(KOUT) M=$(TESTMODDIR) modules
	@echo "  MODULE  $(TESTMODDIR)/kml_verdict.ko"

ifeq ($(KDIR),)
module: kernel
	@mkdir -p $(MODDIR)
	@rsync -a --relative $(MODULE_SRCS) $(MODDIR)/
	@$(MAKE) -s -C $(KSRC) O=$(KOUT) M=$(MODDIR) modules
	@echo "  MODULE  $(MODDIR)/kml.ko"
else
module: deps
	$(MAKE) -C $(KDIR) M=$(TOP) modules
endif

$(HOSTDIR)/build.ninja:
	@cmake -S . -B $(HOSTDIR) $(CMAKE_GEN) >/dev/null

$(GUESTDIR)/build.ninja:
	@cmake -S . -B $(GUESTDIR) $(CMAKE_GEN) -DKML_GUEST=ON >/dev/null

# One ninja at a time in a build tree: two (a second make, or a manual
# ninja taking $(HOSTDIR).lock too) would write the same objects.
host-tools: deps $(HOSTDIR)/build.ninja
	@flock $(HOSTDIR).lock ninja -C $(HOSTDIR) --quiet

guest-tools: deps $(GUESTDIR)/build.ninja
	@flock $(GUESTDIR).lock ninja -C $(GUESTDIR) --quiet

tools: host-tools guest-tools

define build-vm-test
	@mkdir -p $(VMTESTDIR)
	@echo "  VMTEST  $*"
	@gcc $(VM_CFLAGS) -o $@ $< $(VMTEST_LIB_DIR)/kml_vmtest.c
endef

$(VMTESTDIR)/%: tests/vm/%.c $(VMTEST_LIB) VERSION $(KSRC)/.kml-src-hash
	$(build-vm-test)

$(VMTESTDIR)/%: tests/vm/fuzz/%.c $(VMTEST_LIB) loader/uapi/linux/kml_note.h \
		VERSION $(KSRC)/.kml-src-hash
	$(build-vm-test)

# The boot of `make fuzz`: the exec fuzzer and the ring-0 system call
# fuzzer (tests/vm/attack/syscall_fuzz_test.c).
$(VMTESTDIR)/fuzz-tests.list: Makefile
	@mkdir -p $(VMTESTDIR)
	@printf '%s\n' $(notdir $(basename $(VM_FUZZ_SRCS))) syscall_fuzz_test >$@

# What the guest runs, in order, and what it only installs (payloads). The
# x86 selftests come last, but for LAST_TEST if there is one (lockdown
# cannot be lifted until the next boot).
LAST_TEST := attack_lockdown_test
$(VMTESTDIR)/tests.list: $(VM_TEST_SRCS) $(VM_FUZZ_SRCS) $(RING0_TESTS_LIST) $(ATTACK_TESTS_LIST) $(X86ST_TESTS_LIST) Makefile
	@mkdir -p $(VMTESTDIR)
	@{ printf '%s\n' $(notdir $(VM_TESTS)); cat $(RING0_TESTS_LIST) $(ATTACK_TESTS_LIST); } >$@.all
	@{ grep -vx -e $(LAST_TEST) $(addprefix -e ,$(OWN_BOOT_TESTS)) $@.all; \
		cat $(X86ST_TESTS_LIST); grep -x $(LAST_TEST) $@.all || :; } >$@
	@rm -f $@.all

# The second boot of check-vm, with kml_strict_smep: what a ring-0 task does
# (no stress test, no module load/unload loops), the trace events (the
# bypass is not offered there), and the attacks on the entries, frames and
# returns, whose paths differ with SMEP kept on.
STRICT_TESTS := ring0_cpl_test ring0_syscall_test ring0_signal_test \
	ring0_fault_test ring0_memory_test ring0_task_test kml_rewrite_test \
	kml_counters_test kml_trace_test kml_verdict_test attack_compat_test \
	attack_flags_test attack_return_test attack_cpl3_test attack_perf_test \
	syscall_fuzz_test

# Tests with a boot of their own: the machine-check test needs Intel's
# machine check architecture (MCE_CPU): QEMU's TCG CPU is an AMD one
# without MCA recovery, on which every uncorrected error panics, at CPL 3
# too. It runs with and without kml_strict_smep, on one CPU: QEMU's mce
# command raises the #MC on one CPU, and Intel's broadcast rendezvous
# would wait for the others in vain and panic.
OWN_BOOT_TESTS := attack_mce_test
MCE_CPU := max,vendor=GenuineIntel

$(VMTESTDIR)/mce-tests.list: Makefile
	@mkdir -p $(VMTESTDIR)
	@printf '%s\n' attack_mce_test >$@

$(VMTESTDIR)/strict-tests.list: Makefile
	@mkdir -p $(VMTESTDIR)
	@printf '%s\n' $(STRICT_TESTS) >$@

# Programs the VM runs twice, as built (.plain, ring 3) and rewritten by
# `kml rewrite`, which also marks them (.kml, ring 0 through the direct
# entry): Debian's busybox; the rewriter's hand-made site classes
# (tests/rewrite/programs/sites.S: registers, flags and red-zone data);
# system call semantics (restart, EINTR, handlers, threads, vfork, seccomp);
# the entry probe, for exact counts of the paths (kml_counters_test.c); the
# example apps built by our ring-0 toolchain (verified flags, static); a
# musl crash path (a hlt, which the rewriter makes an int3).
REWRITTEN := busybox sites semantics entry-probe wordcount kvstore crash-path
REWRITTEN_FILES := $(foreach p,$(REWRITTEN),$(VMTESTDIR)/$(p).plain $(VMTESTDIR)/$(p).kml)

# The entry probe (tests/vm/direct/entry_probe.c) is rewritten like the
# programs above (entry-probe.kml: the direct entry); entry-probe.bypass is
# that copy with the marker's bypass flag (the bypass entry). kvstore's test
# session is its input in the VM. wordcount.verified is the gate's example
# (make demo, attack_gate_test.c): built from source by `kml build`,
# signed as verified by the VM's test CA.
EXAMPLES_VERIFIED := $(foreach p,kvstore echo-server httpd,$(VMTESTDIR)/$(p).verified)
EXTRA_PAYLOADS := $(VMTESTDIR)/entry-probe.bypass $(VMTESTDIR)/kvstore-session.in \
	$(VMTESTDIR)/wordcount.verified $(VMTESTDIR)/stdlib-check.verified \
	$(EXAMPLES_VERIFIED) $(VMTESTDIR)/kvstore-session.expected

$(VMTESTDIR)/entry-probe.plain: tests/vm/direct/entry_probe.c loader/uapi/linux/kml_abi.h
	@mkdir -p $(VMTESTDIR)
	@gcc -static -O2 -Wall -Wextra -I$(TOP)/loader/uapi -o $@ $<

$(VMTESTDIR)/wordcount.plain: $(HOSTDIR)/userspace/examples/wordcount/ring0/wordcount
	@mkdir -p $(VMTESTDIR)
	@cp $< $@

$(VMTESTDIR)/kvstore.plain: $(HOSTDIR)/userspace/examples/kvstore/ring0/kvstore
	@mkdir -p $(VMTESTDIR)
	@cp $< $@

$(VMTESTDIR)/kvstore-session.in: userspace/examples/kvstore/tests/session.in
	@mkdir -p $(VMTESTDIR)
	@cp $< $@

$(VMTESTDIR)/kvstore-session.expected: userspace/examples/kvstore/tests/session.expected
	@mkdir -p $(VMTESTDIR)
	@cp $< $@

$(VMTESTDIR)/crash-path.plain: tests/vm/direct/crash_path.c
	@mkdir -p $(VMTESTDIR)
	@musl-gcc -static -O2 -Wall -Wextra -o $@ $<

# kml build finds kml-verify next to kml or in PATH.
KML_BUILD_INPUTS := $(HOSTDIR)/userspace/kml/kml $(HOSTDIR)/verifier/kml-verify \
	$(wildcard $(KML_KEYS)/kml-test-ca.pem)
define kml_build_verified
	@mkdir -p $(VMTESTDIR)
	@echo "  KMLBUILD $(@F)"
	@rm -f $@ && PATH="$(abspath $(HOSTDIR))/verifier:$$PATH" \
		$(HOSTDIR)/userspace/kml/kml build $< -o $@ \
		--key $(KML_KEYS)/kml-test-ca.key --cert $(KML_KEYS)/kml-test-ca.pem \
		>$@.log 2>&1 || { cat $@.log; exit 1; }
endef

$(VMTESTDIR)/wordcount.verified: userspace/examples/wordcount/wordcount.c \
		$(KML_BUILD_INPUTS)
	$(kml_build_verified)

# The C++ example programs as a user builds them (kml_examples_test.c).
EXAMPLE_HEADERS := $(wildcard userspace/examples/*/*.hpp userspace/lib/kmlrt/include/kml/*)
$(VMTESTDIR)/%.verified: userspace/examples/%/main.cpp $(EXAMPLE_HEADERS) \
		$(KML_BUILD_INPUTS)
	$(kml_build_verified)

# A C++ program on the hardened standard library (attack_gate_test.c).
$(VMTESTDIR)/stdlib-check.verified: tests/vm/direct/stdlib_check.cpp \
		$(KML_BUILD_INPUTS)
	$(kml_build_verified)

$(VMTESTDIR)/entry-probe.bypass: $(VMTESTDIR)/entry-probe.kml $(KML)
	@$(KML) mark --bypass $< -o $@.tmp && mv $@.tmp $@

$(VMTESTDIR)/payloads.list: $(RING0_PAYLOADS_LIST) $(ATTACK_PAYLOADS_LIST) $(X86ST_PAYLOADS_LIST) Makefile
	@{ cat $(RING0_PAYLOADS_LIST) $(ATTACK_PAYLOADS_LIST) $(X86ST_PAYLOADS_LIST); \
		printf '%s\n' $(notdir $(REWRITTEN_FILES) $(EXTRA_PAYLOADS)); } >$@

$(VMTESTDIR)/busybox.plain: /bin/busybox
	@mkdir -p $(VMTESTDIR)
	@cp $< $@

$(VMTESTDIR)/sites.plain: $(HOSTDIR)/tests/rewrite/programs/sites
	@mkdir -p $(VMTESTDIR)
	@cp $< $@

$(VMTESTDIR)/semantics.plain: tests/vm/direct/semantics.c
	@mkdir -p $(VMTESTDIR)
	@gcc -static -O2 -Wall -Wextra -pthread -o $@ $<

$(VMTESTDIR)/%.kml: $(VMTESTDIR)/%.plain $(HOSTDIR)/userspace/kml/kml
	@echo "  REWRITE $*"
	@$(HOSTDIR)/userspace/kml/kml rewrite $< -o $@.tmp --quiet && mv $@.tmp $@

vm-tests: kernel guest-tools host-tools
	@$(MAKE) --no-print-directory $(VM_TESTS) ring0 attack x86-selftests $(VMTESTDIR)/tests.list \
		$(VMTESTDIR)/strict-tests.list $(VMTESTDIR)/fuzz-tests.list \
		$(VMTESTDIR)/mce-tests.list \
		$(VMTESTDIR)/payloads.list $(REWRITTEN_FILES) $(EXTRA_PAYLOADS)

BENCHDIR := $(BUILD)/bench
BENCH_CXXFLAGS := -std=c++20 -O2 -static -mno-red-zone -Wall -Wextra \
	-I$(TOP)/loader/uapi

$(BENCHDIR)/kml-bench: bench/syscall_bench.cpp loader/uapi/linux/kml_abi.h
	@mkdir -p $(BENCHDIR)
	@echo "  BENCH   kml-bench"
	@g++ $(BENCH_CXXFLAGS) -o $@ $<

$(BENCHDIR)/kml-bench.ring3: $(BENCHDIR)/kml-bench $(KML)
	@$(KML) mark $< -o $@.tmp --disable && mv $@.tmp $@

$(BENCHDIR)/kml-bench.ring0: $(BENCHDIR)/kml-bench $(KML)
	@$(KML) mark $< -o $@.tmp && mv $@.tmp $@

$(BENCHDIR)/kml-bench.ring0bypass: $(BENCHDIR)/kml-bench $(KML)
	@$(KML) mark --bypass $< -o $@.tmp && mv $@.tmp $@

# The exec benchmark (docs/gate.md): a program of 1 and 16 MiB, unmarked
# (ring 3, no gate), marked and unsigned (ring 0 in development mode: no
# hashing) and marked and signed by the VM's test CA (trusted).
EXEC_BENCH_SIZES := 1 16
EXEC_BENCH_FILES := $(BENCHDIR)/kml-exec-bench \
	$(foreach n,$(EXEC_BENCH_SIZES),$(addprefix $(BENCHDIR)/exec-target-$(n)m.,ring3 unsigned signed))

$(BENCHDIR)/kml-server-bench: bench/server_bench.cpp
	@mkdir -p $(BENCHDIR)
	@echo "  BENCH   kml-server-bench"
	@g++ $(BENCH_CXXFLAGS) -o $@ $<

$(BENCHDIR)/kml-exec-bench: bench/exec_bench.cpp
	@mkdir -p $(BENCHDIR)
	@echo "  BENCH   kml-exec-bench"
	@g++ $(BENCH_CXXFLAGS) -o $@ $<

$(BENCHDIR)/exec-target-%m.ring3: bench/exec_target.cpp
	@mkdir -p $(BENCHDIR)
	@echo "  BENCH   exec-target-$*m"
	@g++ $(BENCH_CXXFLAGS) -DKML_PAD_BYTES='($* << 20)' -o $@ $<

$(BENCHDIR)/exec-target-%m.unsigned: $(BENCHDIR)/exec-target-%m.ring3 $(KML)
	@$(KML) mark $< -o $@.tmp && mv $@.tmp $@

$(BENCHDIR)/exec-target-%m.signed: $(BENCHDIR)/exec-target-%m.unsigned $(KML) \
		$(wildcard $(KML_KEYS)/kml-test-ca.pem)
	@rm -f $@.tmp
	@$(KML) sign $< -o $@.tmp --assurance trusted >/dev/null \
		--key $(KML_KEYS)/kml-test-ca.key --cert $(KML_KEYS)/kml-test-ca.pem && mv $@.tmp $@

# Debian's redis and nginx with their libraries, and kml's library
# directory (ld.so and libc rewritten and signed, an approval list of the
# rest): docs/dynamic.md. Rebuilt when the script or the host kml changes;
# the downloaded packages stay in $(BUILD)/debs.
DYNROOT := $(BUILD)/dynroot
$(DYNROOT)/.stamp: scripts/dynroot.sh tests/vm/dynamic/library_probe.c $(HOSTDIR)/userspace/kml/kml
	@scripts/dynroot.sh $(DYNROOT) $(HOSTDIR)/userspace/kml/kml \
		$(KML_KEYS)/kml-test-ca.key $(KML_KEYS)/kml-test-ca.pem
	@touch $@

dynroot: kernel host-tools
	@$(MAKE) --no-print-directory $(DYNROOT)/.stamp

image: module test-module guest-tools vm-tests dynroot
	@$(MAKE) --no-print-directory $(BENCHDIR)/kml-bench.ring3 $(BENCHDIR)/kml-bench.ring0 \
		$(BENCHDIR)/kml-bench.ring0bypass $(EXEC_BENCH_FILES) $(BENCHDIR)/kml-server-bench \
		$(TUTORIAL_FILES)
	@mkdir -p $(IMAGEDIR)
	@BENCH_DIR=$(BENCHDIR) DYNROOT=$(DYNROOT) TUTORIAL_DIR=$(TUTORIAL_DIR) \
		TEST_MODULES=$(TESTMODDIR)/kml_verdict.ko scripts/mkimage.sh $(IMAGE) $(MODDIR)/kml.ko $(VMTESTDIR) $(GUEST_TOOLS)

vm: image
	scripts/vm.sh shell $(BZIMAGE) $(IMAGE)

# The gate starts on the host: kml-verify refuses an unsafe source with
# its diagnostic (the VM has no compiler); the rest runs in the VM.
DEMO_UNSAFE := tests/verifier/corpus/r003_int_to_pointer.c
DEMO_BUILT := userspace/examples/wordcount/wordcount.c

demo: image
	@echo "-- the verifier refuses an unsafe source (on the host) ---------"
	@echo "\$$ kml-verify $(DEMO_UNSAFE) -- -std=c17 \$$(kml-verify --required-flags)"
	@out=$$($(HOSTDIR)/verifier/kml-verify $(DEMO_UNSAFE) -- -std=c17 \
		$$($(HOSTDIR)/verifier/kml-verify --required-flags) 2>&1); rc=$$?; \
		echo "$$out" | sed 's/^/    /'; test $$rc -eq 1
	@echo "-- kml build: from source to a signed program (on the host) ---"
	@echo "\$$ kml build $(DEMO_BUILT) -o wordcount.verified --key kml-test-ca.key --cert kml-test-ca.pem"
	@sed -e '/^kml-verify:/d' -e 's|$(VMTESTDIR)/||' -e 's/^/    /' $(VMTESTDIR)/wordcount.verified.log
	@LOG=$(BUILD)/vm-demo.log scripts/vm.sh demo $(BZIMAGE) $(IMAGE)

check-host: host-tools
	@ctest --test-dir $(HOSTDIR) --output-on-failure -j2

# Four boots: every test, the ring-0 tests again with kml_strict_smep, and
# the machine-check test on Intel's machine check architecture, both ways.
check-vm: host-tools
	@$(MAKE) --no-print-directory image FLAVOUR=debug
	@VMRUN=$(HOSTDIR)/tests/runner/kml-vmrun LOG=$(BUILD)/vm-check.log \
		EXPECT_LIST=$(VMTESTDIR)/tests.list \
		KML_APPEND="KML_EXEC_FUZZ_N=$(EXEC_FUZZ_CHECK_N)" \
		scripts/vm.sh check $(BUILD)/kernel-debug/arch/x86/boot/bzImage \
		$(BUILD)/image-debug/initramfs.cpio.gz
	@echo "==== in-VM tests again, kml_strict_smep ===="
	@VMRUN=$(HOSTDIR)/tests/runner/kml-vmrun LOG=$(BUILD)/vm-check-strict.log \
		EXPECT_LIST=$(VMTESTDIR)/strict-tests.list \
		KML_APPEND="kml_strict_smep kml.tests=strict-tests.list" \
		scripts/vm.sh check $(BUILD)/kernel-debug/arch/x86/boot/bzImage \
		$(BUILD)/image-debug/initramfs.cpio.gz
	@echo "==== machine checks, on Intel's machine check architecture ($(MCE_CPU)) ===="
	@for smep in "" kml_strict_smep; do \
		CPU=$(MCE_CPU) SMP=1 VMRUN=$(HOSTDIR)/tests/runner/kml-vmrun \
		LOG=$(BUILD)/vm-check-mce$${smep:+-strict}.log \
		EXPECT_LIST=$(VMTESTDIR)/mce-tests.list \
		KML_APPEND="$$smep kml.tests=mce-tests.list" \
		scripts/vm.sh check $(BUILD)/kernel-debug/arch/x86/boot/bzImage \
		$(BUILD)/image-debug/initramfs.cpio.gz || exit 1; \
	done

# Static checks, one line a finding (docs/lint.md): checkpatch --strict on
# the series and kml.ko's C, clang-format and clang-tidy (LLVM 19) on the
# C++, shellcheck on the scripts, the folders' layering. make check runs
# it first and stops on a finding. clang-tidy's results are cached by
# content (~/.cache/kml-lint-tidy): a full run without the cache takes
# about half an hour, one with it seconds. LINT_BASE=<rev>: clang-tidy
# only on what includes a file changed since <rev>.
lint: deps $(HOSTDIR)/build.ninja
	@scripts/lint.sh $(if $(LINT_BASE),--base $(LINT_BASE))

lint-tidy: deps $(HOSTDIR)/build.ninja
	@scripts/lint.sh $(if $(LINT_BASE),--base $(LINT_BASE)) clang-tidy

check: lint
	@scripts/check.sh

# Fuzzing (docs/fuzzing.md), both parts even if the first fails. Host:
# mutants of real executables through the ASan/UBSan builds of kml and
# kml-verify for FUZZ_SECONDS. VM: the exec fuzzer, EXEC_FUZZ_N files on
# the debug kernel (its own harness allows N/5 + 120 seconds).
fuzz:
	@status=0; \
	$(MAKE) --no-print-directory fuzz-host || status=1; \
	$(MAKE) --no-print-directory fuzz-vm || status=1; \
	exit $$status

fuzz-host: host-tools
	@$(HOSTDIR)/tests/fuzz/kml-elf-fuzz --seconds $(FUZZ_SECONDS) \
		--seed $(FUZZ_SEED) --jobs 2 --keep $(BUILD)/fuzz-failures

fuzz-vm: host-tools
	@$(MAKE) --no-print-directory image FLAVOUR=debug
	@VMRUN=$(HOSTDIR)/tests/runner/kml-vmrun LOG=$(BUILD)/vm-fuzz.log \
		EXPECT_LIST=$(VMTESTDIR)/fuzz-tests.list \
		TIMEOUT=$$(( $(EXEC_FUZZ_N) / 5 + $(SYSCALL_FUZZ_CALLS) / 20 + 600 )) \
		KML_APPEND="kml.tests=fuzz-tests.list KML_EXEC_FUZZ_N=$(EXEC_FUZZ_N) KML_EXEC_FUZZ_SEED=$(FUZZ_SEED) KML_SYSCALL_FUZZ_CALLS=$(SYSCALL_FUZZ_CALLS) KML_SYSCALL_FUZZ_SEED=$(FUZZ_SEED)" \
		scripts/vm.sh check $(BUILD)/kernel-debug/arch/x86/boot/bzImage \
		$(BUILD)/image-debug/initramfs.cpio.gz

# The x86 selftests at ring 3 on the patched debug kernel and on the same
# kernel built without the series (tests/vm/x86-selftests/README.md). Not
# part of check: it builds a second kernel (build/kernel-debug-vanilla).
x86-baseline: host-tools
	@$(MAKE) --no-print-directory vm-tests FLAVOUR=debug
	@KML_VANILLA=1 scripts/kernel.sh debug
	@scripts/x86-baseline.sh $(BUILD)/kernel-debug/arch/x86/boot/bzImage \
		$(BUILD)/kernel-debug-vanilla/arch/x86/boot/bzImage $(VMTESTDIR) $(BUILD)/x86-baseline

# The release kernel (no KASAN): figures from the debug kernel mean little.
bench: host-tools
	@$(MAKE) --no-print-directory image FLAVOUR=release
	@scripts/bench.sh $(BUILD)/kernel-release/arch/x86/boot/bzImage \
		$(BUILD)/image-release/initramfs.cpio.gz \
		$(HOSTDIR)/bench/kml-benchreport $(BENCHDIR)

# What ring 0 buys Debian's redis and nginx (docs/dynamic.md): guest
# instructions per request under icount, PTI on and off.
bench-server: host-tools
	@$(MAKE) --no-print-directory image FLAVOUR=release
	@scripts/bench-server.sh $(BUILD)/kernel-release/arch/x86/boot/bzImage \
		$(BUILD)/image-release/initramfs.cpio.gz $(BENCHDIR)

# Lines added and removed by the series (diff bodies only, no headers).
patch-size:
	@for p in $$(cat kml/patches/series); do \
		awk -v n="$$p" '/^@@/{h=1} !h{next} /^diff |^--- |^\+\+\+ /{next} /^-- $$/{exit} \
			/^\+/{a++} /^-/{d++} END{printf "%4d+ %3d-  %s\n", a, d, n}' kml/patches/$$p; \
	done | awk '{print} {a+=$$1; d+=$$2} END{printf "%4d+ %3d-  total\n", a, d}'

clean:
	rm -rf $(HOSTDIR) $(GUESTDIR) $(VMTESTDIR) $(BUILD)/module-* $(BUILD)/image-* $(BUILD)/*.log \
		$(BUILD)/fuzz-failures $(TUTORIAL_DIR) $(BUILD)/tour

distclean:
	rm -rf $(BUILD)
