# Builds the fuzz targets outside the normal build (GNU make; docs/fuzzing.md).
# Called by `make fuzz-build` in Makefile.am, which passes:
#   srcdir, top_builddir  the source tree and the configured build tree (config.h)
#   out                   where objects and binaries go ($(top_builddir)/fuzz-work)
#   LIB_SRCS              the library sources of Makefile.am (headers are filtered out)
#   DEP_CFLAGS, LIBS      GDAL/PROJ/libyaml flags and the libraries to link
#   FUZZ_CC               the compiler (clang, clang-14, or afl-clang-fast)
#   ENGINE                libfuzzer (default), afl or cov (see below)
#   TARGETS               which of scenario, layer, validate to build
# Every object is built with the sanitizers (ASan + UBSan, aborting on the
# first report) and the engine's instrumentation; the normal build and
# `make check` never see these objects.
ENGINE ?= libfuzzer
TARGETS ?= scenario layer validate
FUZZ_CC ?= clang

SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
ifeq ($(ENGINE),libfuzzer)
INSTR := $(SAN) -fsanitize=fuzzer-no-link
LINK := $(SAN) -fsanitize=fuzzer
MAIN :=
else ifeq ($(ENGINE),afl)
# afl-clang-fast: -fsanitize=fuzzer links AFL++'s driver around LLVMFuzzerTestOneInput
INSTR := $(SAN) -fsanitize=fuzzer-no-link
LINK := $(SAN) -fsanitize=fuzzer
MAIN :=
else ifeq ($(ENGINE),cov)
# source-based line coverage of a corpus: no fuzzer, the regression main()
INSTR := -fprofile-instr-generate -fcoverage-mapping
LINK := -fprofile-instr-generate
MAIN := tests/fuzz/regress_main.c
else
$(error ENGINE must be libfuzzer, afl or cov, not '$(ENGINE)')
endif

KNOWN_TARGETS := $(patsubst $(srcdir)/tests/fuzz/fuzz_%.c,%,$(filter-out %/fuzz_util.c,$(wildcard $(srcdir)/tests/fuzz/fuzz_*.c)))
ifneq ($(filter-out $(KNOWN_TARGETS),$(TARGETS)),)
$(error FUZZ_TARGETS: unknown target '$(filter-out $(KNOWN_TARGETS),$(TARGETS))' (targets: $(KNOWN_TARGETS)))
endif
ifeq ($(shell command -v $(firstword $(FUZZ_CC)) 2>/dev/null),)
$(error FUZZ_CC: '$(FUZZ_CC)' not found: install clang and its runtimes (Debian: clang-14 libclang-rt-14-dev; afl++ for FUZZ_ENGINE=afl) or set FUZZ_CC)
endif

O := $(out)/obj-$(ENGINE)
B := $(out)/bin-$(ENGINE)
CFLAGS_F := -g -O1 -std=c11 -Wall -Wextra -Wno-unused-parameter $(INSTR)
CPPFLAGS_F := -I$(srcdir) -I$(top_builddir) -D_GNU_SOURCE $(DEP_CFLAGS)
LIB_O := $(patsubst %.c,$(O)/%.o,$(filter %.c,$(LIB_SRCS)))
HARNESS_O = $(O)/tests/fuzz/fuzz_$(1).o $(O)/tests/fuzz/fuzz_util.o $(patsubst %.c,$(O)/%.o,$(MAIN))

all: $(foreach t,$(TARGETS),$(B)/fuzz_$(t))
.PHONY: all FORCE

# a change of compiler or flags rebuilds everything
$(O)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_CC) $(CPPFLAGS_F) $(CFLAGS_F)' | cmp -s - $@ || \
	  echo '$(FUZZ_CC) $(CPPFLAGS_F) $(CFLAGS_F)' > $@

$(O)/%.o: $(srcdir)/%.c $(O)/flags
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_F) $(CFLAGS_F) -MMD -MP -c $< -o $@

$(O)/libr5gfuzz.a: $(LIB_O)
	@rm -f $@
	ar rcs $@ $^

define target_rule
$(B)/fuzz_$(1): $(call HARNESS_O,$(1)) $(O)/libr5gfuzz.a
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(LINK) $$^ $(LIBS) -o $$@
endef
$(foreach t,$(TARGETS),$(eval $(call target_rule,$(t))))

-include $(LIB_O:.o=.d) $(wildcard $(O)/tests/fuzz/*.d)
