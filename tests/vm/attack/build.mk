# tests/vm/attack/build.mk: builds the adversarial kselftests and their
# payloads.
#
# A GNU make fragment. The top Makefile includes it after
# tests/vm/ring0/build.mk; it can also run on its own:
#
#   make -f tests/vm/attack/build.mk KSELFTEST_DIR=... OUT=... KML=... attack
#
# Variables it expects (set them before the include):
#   KSELFTEST_DIR  directory holding kselftest_harness.h
#                  (build/linux/tools/testing/selftests)
#   OUT            output directory: tests, payloads and lists land here,
#                  flat, exactly as they are installed in /kml/tests/
#   KML            the `kml` command used to mark the payload (`kml mark
#                  FILE -o OUT [--disable|--bypass]`) and sign its signed
#                  forms; only the marking step (attack-mark) needs it
#   KML_KEYS       the directory of the VM's test CA (kml-test-ca.key and
#                  .pem, made by scripts/kernel.sh): attack-mark signs
#                  with it
# Optional:
#   ATTACK_CC      compiler (default gcc)
#   RING0_DIR      tests/vm/ring0 (set by its build.mk): the tests link its
#                  ring0_lib.c and include ring0.h
#   VMTEST_LIB_DIR the in-VM tests' helper library, kml_vmtest.[ch], which
#                  the tests link too (default: ../lib, found from this file)
#   RING0_UAPI     directory holding linux/kml_note.h (default: the
#                  repository's loader/uapi)
#
# Targets:
#   attack-build   test programs, unmarked payloads, both lists (no KML needed)
#   attack-mark    the marked payload copies (needs KML)
#   attack         both
#   attack-clean   removes everything this fragment built
#
# What it defines for the including Makefile:
#   ATTACK_TEST_NAMES   test program names, in run order (for tests.list);
#                       attack_lockdown_test is last and must stay the last
#                       test of the whole run: lockdown cannot be lifted
#                       until the next boot
#   ATTACK_TESTS        their paths in $(OUT)
#   ATTACK_PAYLOADS     every payload file to install next to the tests
#   ATTACK_TESTS_LIST   $(OUT)/attack-tests.list: ATTACK_TEST_NAMES, one a
#                       line, to append to tests.list (after everything else)
#   ATTACK_PAYLOADS_LIST $(OUT)/attack-payloads.list: payload names, one a
#                       line (files to install in /kml/tests/, never to run)

ATTACK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

ATTACK_CC ?= gcc
RING0_DIR ?= $(ATTACK_DIR)/../ring0
RING0_UAPI ?= $(ATTACK_DIR)/../../../loader/uapi
VMTEST_LIB_DIR ?= $(ATTACK_DIR)/../lib
# The attack helpers, on the ring-0 fixture, on the common library.
ATTACK_LIB_SRCS := $(ATTACK_DIR)/attack_lib.c $(RING0_DIR)/ring0_lib.c \
	$(VMTEST_LIB_DIR)/kml_vmtest.c
ATTACK_LIB_DEPS := $(ATTACK_LIB_SRCS) $(ATTACK_DIR)/attack.h $(RING0_DIR)/ring0.h \
	$(VMTEST_LIB_DIR)/kml_vmtest.h

# Run order: the note parser (any user, no ring 0) first, the attacks that
# could take the machine down late, lockdown last (see above).
ATTACK_TEST_NAMES := attack_notes_test attack_compat_test attack_flags_test \
	attack_leak_test attack_text_test attack_ptrace_test attack_return_test \
	attack_cpl3_test attack_perf_test attack_mce_test attack_gate_test \
	syscall_fuzz_test attack_lockdown_test
ATTACK_TESTS := $(addprefix $(OUT)/,$(ATTACK_TEST_NAMES))

# One payload source tree, built once (-mno-red-zone, as ring-0 programs
# are) and marked three ways; and a static i386 program in assembly (no
# 32-bit libc needed), which kml never marks.
ATTACK_PAYLOAD_SRCS := $(wildcard $(ATTACK_DIR)/payload/*.c)
ATTACK_PAYLOAD_HDRS := $(wildcard $(ATTACK_DIR)/payload/*.h)
ATTACK_PAYLOADS_UNMARKED := $(OUT)/attack-payload.unmarked $(OUT)/attack-compat32
ATTACK_PAYLOADS_MARKED := $(OUT)/attack-payload $(OUT)/attack-payload.bypass \
	$(OUT)/attack-payload.disabled
# Signed forms for attack_gate_test (docs/gate.md): with the VM's test CA
# (KML_KEYS, the directory scripts/kernel.sh makes it in), as `trusted`,
# generation 5; the bypass form with and without the manifest's approval
# of the bypass; and the payload signed by a key nobody trusts.
ATTACK_PAYLOADS_SIGNED := $(OUT)/attack-payload.signed \
	$(OUT)/attack-payload.bypass.signed \
	$(OUT)/attack-payload.bypass.signed-nobypass $(OUT)/attack-payload.untrusted \
	$(OUT)/approvals.list $(OUT)/approvals-untrusted.list \
	$(OUT)/attack-payload.devkey $(OUT)/devkey.der \
	$(OUT)/attack-payload.revoked $(OUT)/revoked-digest.p7s \
	$(OUT)/revoked-digest.p7s.desc \
	$(OUT)/attack-payload.revkey $(OUT)/revkey.der $(OUT)/revoked-cert.p7s \
	$(OUT)/revoked-cert.p7s.desc $(OUT)/kml-test-ca.pem
ATTACK_PAYLOADS := $(ATTACK_PAYLOADS_UNMARKED) $(ATTACK_PAYLOADS_MARKED) \
	$(ATTACK_PAYLOADS_SIGNED)

ATTACK_TESTS_LIST := $(OUT)/attack-tests.list
ATTACK_PAYLOADS_LIST := $(OUT)/attack-payloads.list

# The ring-0 suite's warning flags.
ATTACK_WARN := -Wall -Wextra -Wno-unused-parameter
ATTACK_TEST_CFLAGS := -static -O2 -g $(ATTACK_WARN) -Wno-clobbered \
	-I$(KSELFTEST_DIR) -I$(ATTACK_DIR) -I$(RING0_DIR) -I$(VMTEST_LIB_DIR) -I$(RING0_UAPI)
ATTACK_PAYLOAD_CFLAGS := -static -O2 -g -mno-red-zone $(ATTACK_WARN) \
	-I$(ATTACK_DIR)/payload -I$(RING0_UAPI)
ATTACK_COMPAT32_FLAGS := -m32 -nostdlib -static -Wl,-m,elf_i386 -Wl,--build-id=none

.PHONY: attack attack-build attack-mark attack-clean

attack: attack-build attack-mark

attack-build: $(ATTACK_TESTS) $(ATTACK_PAYLOADS_UNMARKED) $(ATTACK_TESTS_LIST) \
	$(ATTACK_PAYLOADS_LIST)

attack-mark: $(ATTACK_PAYLOADS_MARKED) $(ATTACK_PAYLOADS_SIGNED)

# Static pattern rules only: nothing here may claim other files in $(OUT).
$(ATTACK_TESTS): $(OUT)/%: $(ATTACK_DIR)/%.c $(ATTACK_LIB_DEPS) \
		$(KSELFTEST_DIR)/kselftest_harness.h $(RING0_UAPI)/linux/kml_note.h
	@mkdir -p $(@D)
	@echo "  ATTACK  $(@F)"
	@$(ATTACK_CC) $(ATTACK_TEST_CFLAGS) -o $@ $< $(ATTACK_LIB_SRCS)

$(OUT)/attack-payload.unmarked: $(ATTACK_PAYLOAD_SRCS) $(ATTACK_PAYLOAD_HDRS)
	@mkdir -p $(@D)
	@echo "  ATTACK  $(@F)"
	@$(ATTACK_CC) $(ATTACK_PAYLOAD_CFLAGS) -o $@ $(ATTACK_PAYLOAD_SRCS)

$(OUT)/attack-compat32: $(ATTACK_DIR)/payload/compat32.S
	@mkdir -p $(@D)
	@echo "  ATTACK  $(@F)"
	@$(ATTACK_CC) $(ATTACK_COMPAT32_FLAGS) -o $@ $<

# Marking: a separate step, so the tests build before the kml tool exists.
# A file named KML is a prerequisite (re-mark when the tool changes).
ATTACK_MARK = @test -n "$(KML)" || { echo "attack: set KML to the kml command to mark payloads" >&2; exit 1; }; \
	echo "  KMLMARK $(@F)"; rm -f $@.tmp; $(KML) mark $< -o $@.tmp

$(OUT)/attack-payload: $(OUT)/attack-payload.unmarked $(wildcard $(KML))
	$(ATTACK_MARK) && mv $@.tmp $@

$(OUT)/attack-payload.bypass: $(OUT)/attack-payload.unmarked $(wildcard $(KML))
	$(ATTACK_MARK) --bypass && mv $@.tmp $@

$(OUT)/attack-payload.disabled: $(OUT)/attack-payload.unmarked $(wildcard $(KML))
	$(ATTACK_MARK) --disable && mv $@.tmp $@

ATTACK_SIGN = @test -n "$(KML_KEYS)" || { echo "attack: set KML_KEYS to the test CA's directory" >&2; exit 1; }; \
	echo "  KMLSIGN $(@F)"; rm -f $@.tmp; $(KML) sign $< -o $@.tmp --assurance trusted --generation 5
ATTACK_TEST_CA = --key $(KML_KEYS)/kml-test-ca.key --cert $(KML_KEYS)/kml-test-ca.pem

$(OUT)/attack-payload.signed: $(OUT)/attack-payload $(wildcard $(KML_KEYS)/kml-test-ca.pem)
	$(ATTACK_SIGN) $(ATTACK_TEST_CA) && mv $@.tmp $@

$(OUT)/attack-payload.bypass.signed: $(OUT)/attack-payload.bypass $(wildcard $(KML_KEYS)/kml-test-ca.pem)
	$(ATTACK_SIGN) $(ATTACK_TEST_CA) --bypass && mv $@.tmp $@

$(OUT)/attack-payload.bypass.signed-nobypass: $(OUT)/attack-payload.bypass $(wildcard $(KML_KEYS)/kml-test-ca.pem)
	$(ATTACK_SIGN) $(ATTACK_TEST_CA) && mv $@.tmp $@

# Approval lists of the marked and the unmarked payload as they are: by the
# test CA (generation 5), and by a key nobody trusts.
ATTACK_LISTED := $(OUT)/attack-payload $(OUT)/attack-payload.unmarked

$(OUT)/approvals.list: $(ATTACK_LISTED) $(wildcard $(KML_KEYS)/kml-test-ca.pem)
	@echo "  KMLSIGN $(@F)"
	@$(KML) sign --list $@ $(ATTACK_LISTED) --generation 5 $(ATTACK_TEST_CA) >/dev/null

$(OUT)/approvals-untrusted.list: $(ATTACK_LISTED)
	@echo "  KMLSIGN $(@F)"
	@rm -rf $(OUT)/untrusted-list-key
	@$(KML) key new untrusted --dir $(OUT)/untrusted-list-key >/dev/null 2>&1
	@$(KML) sign --list $@ $(ATTACK_LISTED) --generation 5 \
		--key $(OUT)/untrusted-list-key/untrusted.key \
		--cert $(OUT)/untrusted-list-key/untrusted.pem >/dev/null
	@rm -rf $(OUT)/untrusted-list-key

# A development key the test enrols into kml's keyring and then revokes:
# the payload signed with it, and its certificate in DER for add_key().
$(OUT)/devkey.der: $(OUT)/attack-payload.devkey ;

$(OUT)/attack-payload.devkey: $(OUT)/attack-payload
	@rm -rf $(OUT)/devkey
	@$(KML) key new dev --dir $(OUT)/devkey >/dev/null 2>&1
	$(ATTACK_SIGN) --key $(OUT)/devkey/dev.key --cert $(OUT)/devkey/dev.pem && mv $@.tmp $@
	@openssl x509 -in $(OUT)/devkey/dev.pem -outform DER -out $(OUT)/devkey.der
	@rm -rf $(OUT)/devkey

# Revocation through the kernel's blacklist keyring, whose entries root
# may add only with a PKCS#7 signature of their description by a built-in
# key (blacklist-entry.sh). Revocations last until reboot, so each names
# files of its own: a payload with bytes of its own (the digest names the
# bytes, not the signature), signed by the test CA, and the entry of its
# digest; a payload signed by a development key of its own, the key's
# certificate, and the entry of the certificate.
ATTACK_BLACKLIST = $(ATTACK_DIR)/blacklist-entry.sh

$(OUT)/revoked-digest.p7s $(OUT)/revoked-digest.p7s.desc: $(OUT)/attack-payload.revoked ;

$(OUT)/attack-payload.revoked: $(OUT)/attack-payload $(ATTACK_BLACKLIST) \
		$(wildcard $(KML_KEYS)/kml-test-ca.pem)
	@cp $< $@.in && printf 'revoked by its digest\n' >>$@.in
	@echo "  KMLSIGN $(@F)"
	@rm -f $@.tmp && $(KML) sign $@.in -o $@.tmp --assurance trusted --generation 5 $(ATTACK_TEST_CA)
	@$(ATTACK_BLACKLIST) bin $@.in $(KML_KEYS) $(OUT)/revoked-digest.p7s
	@rm -f $@.in && mv $@.tmp $@

$(OUT)/revkey.der $(OUT)/revoked-cert.p7s $(OUT)/revoked-cert.p7s.desc: $(OUT)/attack-payload.revkey ;

$(OUT)/attack-payload.revkey: $(OUT)/attack-payload $(ATTACK_BLACKLIST) \
		$(wildcard $(KML_KEYS)/kml-test-ca.pem)
	@rm -rf $(OUT)/revkey
	@$(KML) key new revoked --dir $(OUT)/revkey >/dev/null 2>&1
	$(ATTACK_SIGN) --key $(OUT)/revkey/revoked.key --cert $(OUT)/revkey/revoked.pem
	@openssl x509 -in $(OUT)/revkey/revoked.pem -outform DER -out $(OUT)/revkey.der
	@$(ATTACK_BLACKLIST) tbs $(OUT)/revkey.der $(KML_KEYS) $(OUT)/revoked-cert.p7s
	@rm -rf $(OUT)/revkey && mv $@.tmp $@

# The test CA's certificate, for `kml verify` in the VM to agree with the
# kernel on the same files.
$(OUT)/kml-test-ca.pem: $(wildcard $(KML_KEYS)/kml-test-ca.pem)
	@test -n "$(KML_KEYS)" || { echo "attack: set KML_KEYS to the test CA's directory" >&2; exit 1; }
	@cp $(KML_KEYS)/kml-test-ca.pem $@

# A key made for this file alone, trusted by no keyring.
$(OUT)/attack-payload.untrusted: $(OUT)/attack-payload
	@rm -rf $(OUT)/untrusted-key
	@$(KML) key new untrusted --dir $(OUT)/untrusted-key >/dev/null 2>&1
	$(ATTACK_SIGN) --key $(OUT)/untrusted-key/untrusted.key \
		--cert $(OUT)/untrusted-key/untrusted.pem && mv $@.tmp $@
	@rm -rf $(OUT)/untrusted-key

$(ATTACK_TESTS_LIST): $(ATTACK_DIR)/build.mk
	@mkdir -p $(@D)
	@printf '%s\n' $(ATTACK_TEST_NAMES) >$@

$(ATTACK_PAYLOADS_LIST): $(ATTACK_DIR)/build.mk
	@mkdir -p $(@D)
	@printf '%s\n' $(notdir $(ATTACK_PAYLOADS)) >$@

attack-clean:
	rm -f $(ATTACK_TESTS) $(ATTACK_PAYLOADS) $(ATTACK_TESTS_LIST) $(ATTACK_PAYLOADS_LIST)
