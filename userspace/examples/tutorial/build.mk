# userspace/examples/tutorial/build.mk: the programs of docs/tutorial.md
# and the test that runs the tutorial in the VM. The top Makefile includes
# it after it has set BUILD, VMTESTDIR, VM_TESTS and KML (the guest kml).
#
# The programs are ordinary static C, built as the other guest programs
# are; -mno-red-zone because a program at ring 0 takes interrupts on its
# own stack. ring and privileged also come marked (.ring0) for steps 2 and
# 3, before step 4 shows how marking is done, and calls rewritten by the
# host's kml (the guest's has no rewriter) for step 5. The sources go into
# the image too, for the student to read. All of it lands in /kml/tutorial.
TUTORIAL_SRC := userspace/examples/tutorial
TUTORIAL_DIR := $(BUILD)/tutorial
TUTORIAL_PROGRAMS := ring privileged nullderef calls
TUTORIAL_FILES := $(addprefix $(TUTORIAL_DIR)/,$(TUTORIAL_PROGRAMS) \
	ring.ring0 privileged.ring0 calls.kml $(addsuffix .c,$(TUTORIAL_PROGRAMS)))

$(addprefix $(TUTORIAL_DIR)/,$(TUTORIAL_PROGRAMS)): $(TUTORIAL_DIR)/%: $(TUTORIAL_SRC)/%.c
	@mkdir -p $(@D)
	@echo "  TUTOR   $*"
	@gcc -static -O2 -mno-red-zone -Wall -Wextra -o $@ $<

$(TUTORIAL_DIR)/%.ring0: $(TUTORIAL_DIR)/% $(KML)
	@$(KML) mark $< -o $@.tmp && mv $@.tmp $@

$(TUTORIAL_DIR)/calls.kml: $(TUTORIAL_DIR)/calls $(HOSTDIR)/userspace/kml/kml
	@$(HOSTDIR)/userspace/kml/kml rewrite $< -o $@.tmp --quiet && mv $@.tmp $@

$(TUTORIAL_DIR)/%.c: $(TUTORIAL_SRC)/%.c
	@mkdir -p $(@D)
	@cp $< $@

# The tutorial's VM commands and expected output, and those of the
# exercises' answers, as TAP tests (tests/tutorial/tutorial.py): a changed
# step fails make check.
VM_TESTS += $(VMTESTDIR)/tutorial_test $(VMTESTDIR)/tutorial_exercises_test
$(VMTESTDIR)/tutorial_test: docs/tutorial.md tests/tutorial/tutorial.py
	@mkdir -p $(@D)
	@echo "  TUTOR   $(@F)"
	@python3 tests/tutorial/tutorial.py guest-test $< $@

$(VMTESTDIR)/tutorial_exercises_test: docs/tutorial-exercises.md tests/tutorial/tutorial.py
	@mkdir -p $(@D)
	@echo "  TUTOR   $(@F)"
	@python3 tests/tutorial/tutorial.py guest-test $< $@
