# drift-review: non-recursive build.
#   make            every program under cmd/ into bin/
#   make check      build, then run every test (last line: N passed, N failed)
#   make check SAN=1  the same under AddressSanitizer + UBSan
#   make install PREFIX=/usr/local
#   make demo       the whole pipeline on a built-in sample, nothing configured

VERSION	= 0.1.0
PREFIX	?= /usr/local
BINDIR	= $(PREFIX)/bin
MANDIR	= $(PREFIX)/share/man/man1
CC	?= cc

PKGS	= libpq libcurl libcjson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

MODE	:= $(if $(SAN),san,rel)
OBJ	= build/$(MODE)
WARN	= -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	  -Wmissing-prototypes -Wno-missing-field-initializers
CFLAGS	?= -O2 -g
ifeq ($(MODE),san)
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
endif
ALL_CFLAGS = $(WARN) $(CFLAGS) -D_POSIX_C_SOURCE=200809L \
	  -DDRIFT_VERSION='"$(VERSION)"' -Icommon $(PKG_CFLAGS) -MMD -MP

# Record the mode so switching SAN on or off relinks bin/.
$(shell mkdir -p build; [ "$$(cat build/mode 2>/dev/null)" = "$(MODE)" ] || \
	echo $(MODE) >build/mode)

PROGS	:= $(notdir $(wildcard cmd/*))
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(OBJ)/%.o)
LIBCOMMON  := $(OBJ)/libcommon.a
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(OBJ)/tests/%)
# tests/unit/tool_*.c: small drivers that shell tests run ($UNIT_DIR/tool_x)
TOOL_SRC   := $(wildcard tests/unit/tool_*.c)
UNIT_BIN   += $(TOOL_SRC:tests/unit/%.c=$(OBJ)/tests/%)

all: $(PROGS:%=bin/%)

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

define prog_rules
$(1)_OBJ := $$(patsubst %.c,$(OBJ)/%.o,$$(wildcard cmd/$(1)/*.c))
bin/$(1): $$($(1)_OBJ) $(LIBCOMMON) build/mode
	@mkdir -p bin
	$$(CC) $$(LDFLAGS) -o $$@ $$($(1)_OBJ) $(LIBCOMMON) $(PKG_LIBS) -lm
endef
$(foreach p,$(PROGS),$(eval $(call prog_rules,$(p))))
# impact-agent assembles its model prompt into agent_prompt.o (.incbin).
$(OBJ)/cmd/impact-agent/agent_prompt.o: cmd/impact-agent/review-prompt.md

$(OBJ)/tests/%: $(OBJ)/tests/unit/%.o $(LIBCOMMON) build/mode
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBCOMMON) $(PKG_LIBS) -lm

# libFuzzer targets: tests/fuzz/fuzz_<name>[__<what>].c, linked with common/
# and, when cmd/<name>/ exists, with that program's files but main.c.
# tests/fuzz/<name>[__<what>].flags holds extra libFuzzer flags.
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN   := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_CC    ?= clang
FUZZ_FLAGS  = -g -O1 -fsanitize=fuzzer,address,undefined
FUZZ_SECONDS ?= 20

build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) \
	    -fsanitize=fuzzer-no-link,address,undefined -g -O1 -c -o $@ $<

fuzz_prog = $(firstword $(subst __, ,$(patsubst fuzz_%,%,$(1))))
define fuzz_rules
build/fuzz/$(1): tests/fuzz/$(1).c $(wildcard tests/fuzz/*.h) \
    $(COMMON_SRC:%.c=build/fuzz/obj/%.o) \
    $$(patsubst %.c,build/fuzz/obj/%.o,$$(filter-out %/main.c,$$(wildcard \
    cmd/$(call fuzz_prog,$(1))/*.c)))
	$(FUZZ_CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) $(FUZZ_FLAGS) \
	    -Icmd/$(call fuzz_prog,$(1)) -o $$@ $$(filter %.c %.o,$$^) \
	    $(PKG_LIBS) -lm
endef
$(foreach f,$(FUZZ_SRC:tests/fuzz/%.c=%),$(eval $(call fuzz_rules,$(f))))

fuzz: $(FUZZ_BIN)

# Run each target for FUZZ_SECONDS from its seed corpus; new inputs go to
# build/fuzz/corpus, crashes to build/fuzz/crash-*.
check-fuzz: fuzz
	@pass=0; fail=0; for f in $(FUZZ_BIN); do \
	    n=$${f##*/fuzz_}; mkdir -p build/fuzz/corpus/$$n; \
	    if $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -rss_limit_mb=2048 -artifact_prefix=build/fuzz/crash-$$n- \
	        $$(cat tests/fuzz/$$n.flags 2>/dev/null) \
	        build/fuzz/corpus/$$n tests/fuzz/corpus/$$n \
	        >build/fuzz/$$n.log 2>&1; then \
	        pass=$$((pass + 1)); echo "ok - fuzz $$n"; \
	    else fail=$$((fail + 1)); echo "not ok - fuzz $$n"; \
	        tail -n 30 build/fuzz/$$n.log; fi; done; \
	    echo "$$pass passed, $$fail failed"; [ $$fail = 0 ]

check: all $(UNIT_BIN)
	@UNIT_DIR=$(CURDIR)/$(OBJ)/tests SAN=$(SAN) sh tests/run

demo: all
	@sh scripts/demo/run

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	for p in $(PROGS); do install -m 755 bin/$$p $(DESTDIR)$(BINDIR)/; done
	install -m 755 scripts/drift-review $(DESTDIR)$(BINDIR)/drift-review
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/

lint-man:
	mandoc -Tlint -W warning man/*.1

clean:
	rm -rf build bin

.PHONY: all check demo install clean lint-man fuzz check-fuzz
.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)
