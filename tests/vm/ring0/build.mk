# tests/vm/ring0/build.mk: builds the ring-0 kselftests and their payload.
#
# A GNU make fragment. The top Makefile includes it; it can also run on its
# own:
#
#   make -f tests/vm/ring0/build.mk KSELFTEST_DIR=... OUT=... KML=... ring0
#
# Variables it expects (set them before the include):
#   KSELFTEST_DIR  directory holding kselftest_harness.h
#                  (build/linux/tools/testing/selftests)
#   OUT            output directory: tests, payloads and lists land here,
#                  flat, exactly as they are installed in /kml/tests/
#   KML            the host `kml` command used to mark the payload
#                  (`kml mark FILE -o OUT [--disable]`); only the marking
#                  step (ring0-mark) needs it
# Optional:
#   RING0_CC             compiler (default gcc)
#   RING0_UAPI           directory holding linux/kml_note.h (default: the
#                        repository's loader/uapi, found from this file)
#   VMTEST_LIB_DIR       directory of the in-VM tests' helper library,
#                        kml_vmtest.[ch] (default: ../lib, found from this file)
#   RING0_STRESS_SECONDS compiled-in default duration of the stress test
#                        (default 20); KML_STRESS_SECONDS in the guest's
#                        environment overrides it at run time
#
# Targets:
#   ring0-build   test programs, unmarked payloads, both lists (no KML needed)
#   ring0-mark    the marked payload copies (needs KML)
#   ring0         both
#   ring0-clean   removes everything this fragment built
#
# What it defines for the including Makefile:
#   RING0_TEST_NAMES  test program names, in run order (for tests.list)
#   RING0_TESTS       their paths in $(OUT)
#   RING0_PAYLOADS    every payload file to install next to the tests
#                     (unmarked and marked), paths in $(OUT)
#   RING0_TESTS_LIST  $(OUT)/ring0-tests.list: RING0_TEST_NAMES, one a line,
#                     to append to tests.list (the programs to run)
#   RING0_PAYLOADS_LIST $(OUT)/ring0-payloads.list: payload names, one a
#                     line (files to install in /kml/tests/, never to run)

RING0_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

RING0_CC ?= gcc
VMTEST_LIB_DIR ?= $(RING0_DIR)/../lib
# The common library every test links, and the ring-0 fixture on top of it.
RING0_LIB_SRCS := $(RING0_DIR)/ring0_lib.c $(VMTEST_LIB_DIR)/kml_vmtest.c
RING0_LIB_DEPS := $(RING0_LIB_SRCS) $(RING0_DIR)/ring0.h $(VMTEST_LIB_DIR)/kml_vmtest.h
RING0_STRESS_SECONDS ?= 20

# Run order: quick and fundamental first, the stress test last.
RING0_TEST_NAMES := ring0_cpl_test ring0_syscall_test ring0_signal_test \
	ring0_fault_test ring0_memory_test ring0_task_test ring0_policy_test \
	ring0_escape_test ring0_stress_test
RING0_TESTS := $(addprefix $(OUT)/,$(RING0_TEST_NAMES))

# The payload, built twice: the ring-0 ABI build (-mno-red-zone) and a build
# that keeps the red zone, each unmarked, marked enabled, marked disabled.
RING0_PAYLOAD_SRCS := $(wildcard $(RING0_DIR)/payload/*.c)
RING0_PAYLOAD_HDRS := $(wildcard $(RING0_DIR)/payload/*.h)
RING0_PAYLOADS_UNMARKED := $(OUT)/ring0-payload.unmarked \
	$(OUT)/ring0-payload-redzone.unmarked
RING0_PAYLOADS_MARKED := $(OUT)/ring0-payload $(OUT)/ring0-payload.disabled \
	$(OUT)/ring0-payload-redzone $(OUT)/ring0-payload-redzone.disabled
RING0_PAYLOADS := $(RING0_PAYLOADS_UNMARKED) $(RING0_PAYLOADS_MARKED)

RING0_TESTS_LIST := $(OUT)/ring0-tests.list
RING0_PAYLOADS_LIST := $(OUT)/ring0-payloads.list

RING0_WARN := -Wall -Wextra -Wno-unused-parameter
# The marker's UAPI header (loader/uapi/linux/kml_note.h), for the policy tests.
RING0_UAPI ?= $(RING0_DIR)/../../../loader/uapi
RING0_TEST_CFLAGS := -static -O2 -g $(RING0_WARN) -Wno-clobbered \
	-I$(KSELFTEST_DIR) -I$(RING0_DIR) -I$(VMTEST_LIB_DIR) -I$(RING0_UAPI) \
	-DKML_STRESS_SECONDS_DEFAULT=$(RING0_STRESS_SECONDS)
RING0_PAYLOAD_CFLAGS := -static -O2 -g -pthread $(RING0_WARN) -I$(RING0_DIR)/payload \
	-I$(RING0_UAPI)

.PHONY: ring0 ring0-build ring0-mark ring0-clean

ring0: ring0-build ring0-mark

ring0-build: $(RING0_TESTS) $(RING0_PAYLOADS_UNMARKED) $(RING0_TESTS_LIST) \
	$(RING0_PAYLOADS_LIST)

ring0-mark: $(RING0_PAYLOADS_MARKED)

# Static pattern rules only: nothing here may claim other files in $(OUT).
$(RING0_TESTS): $(OUT)/%: $(RING0_DIR)/%.c $(RING0_LIB_DEPS) \
		$(KSELFTEST_DIR)/kselftest_harness.h $(RING0_UAPI)/linux/kml_note.h
	@mkdir -p $(@D)
	@echo "  RING0   $(@F)"
	@$(RING0_CC) $(RING0_TEST_CFLAGS) -o $@ $< $(RING0_LIB_SRCS)

$(OUT)/ring0-payload.unmarked: $(RING0_PAYLOAD_SRCS) $(RING0_PAYLOAD_HDRS)
	@mkdir -p $(@D)
	@echo "  RING0   $(@F)"
	@$(RING0_CC) $(RING0_PAYLOAD_CFLAGS) -mno-red-zone -o $@ $(RING0_PAYLOAD_SRCS)

$(OUT)/ring0-payload-redzone.unmarked: $(RING0_PAYLOAD_SRCS) $(RING0_PAYLOAD_HDRS)
	@mkdir -p $(@D)
	@echo "  RING0   $(@F)"
	@$(RING0_CC) $(RING0_PAYLOAD_CFLAGS) -o $@ $(RING0_PAYLOAD_SRCS)

# Marking: a separate step, so the tests build before the kml tool exists.
# A file named KML is a prerequisite (re-mark when the tool changes).
$(filter-out %.disabled,$(RING0_PAYLOADS_MARKED)): $(OUT)/%: $(OUT)/%.unmarked $(wildcard $(KML))
	@test -n "$(KML)" || { echo "ring0: set KML to the kml command to mark payloads" >&2; exit 1; }
	@echo "  KMLMARK $(@F)"
	@rm -f $@.tmp
	@$(KML) mark $< -o $@.tmp && mv $@.tmp $@

$(filter %.disabled,$(RING0_PAYLOADS_MARKED)): $(OUT)/%.disabled: $(OUT)/%.unmarked $(wildcard $(KML))
	@test -n "$(KML)" || { echo "ring0: set KML to the kml command to mark payloads" >&2; exit 1; }
	@echo "  KMLMARK $(@F) (disabled)"
	@rm -f $@.tmp
	@$(KML) mark $< -o $@.tmp --disable && mv $@.tmp $@

$(RING0_TESTS_LIST): $(RING0_DIR)/build.mk
	@mkdir -p $(@D)
	@printf '%s\n' $(RING0_TEST_NAMES) >$@

$(RING0_PAYLOADS_LIST): $(RING0_DIR)/build.mk
	@mkdir -p $(@D)
	@printf '%s\n' $(notdir $(RING0_PAYLOADS)) >$@

ring0-clean:
	rm -f $(RING0_TESTS) $(RING0_PAYLOADS) $(RING0_TESTS_LIST) $(RING0_PAYLOADS_LIST)
