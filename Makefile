# pktlens: `make run` builds and decodes a bundled capture; `make test`
# runs every test.  Missing Debian packages are installed with apt-get
# when run as root; otherwise the exact command is printed.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Werror
CPPFLAGS += -D_DEFAULT_SOURCE
LIBNET_LIBS := $(shell libnet-config --libs 2>/dev/null || echo -lnet)
LDLIBS  := -lpcap $(LIBNET_LIBS) -lcap-ng -lmnl -lm

# The commands (main.c, src/cmd/ and the demonstrations of src/demo/) over
# the library everything else is.
CMD_SRC := src/main.c $(wildcard src/cmd/*.c) $(wildcard src/demo/*.c)
LIB_SRC := $(filter-out $(CMD_SRC),$(wildcard src/*.c)) $(wildcard src/craft/*.c) $(wildcard src/lab/*.c) \
           $(wildcard dissectors/*.c)
LIB_OBJ := $(patsubst %.c,build/%.o,$(LIB_SRC))
CMD_OBJ := $(patsubst %.c,build/%.o,$(CMD_SRC))
HEADERS := $(wildcard src/*.h src/*.def src/cmd/*.h src/cmd/*.def src/craft/*.h src/craft/*.def src/lab/*.h \
           src/demo/*.h dissectors/*.h)

BUILD_PKGS := gcc make libc6-dev libpcap-dev libnet1-dev libcap-ng-dev libmnl-dev
TEST_PKGS  := $(BUILD_PKGS) libcmocka-dev clang libclang-rt-14-dev tshark tcpdump jq python3 \
              iproute2 iputils-ping time libcap2-bin tcpreplay nmap nftables librsvg2-bin
BENCH_PKGS := $(BUILD_PKGS) tcpdump tshark tcpreplay time nmap nftables jq

.PHONY: all run test unit golden difftest corpus asan fuzz bench install install-capture \
        deps test-deps clean golden-update net

all: deps pktlens

# Which of the packages are missing; installs them as root.
define ensure_pkgs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:" $$missing; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || \
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; } || \
			{ echo "apt-get could not install: $$missing" >&2; exit 1; }; \
		else \
			echo "missing Debian packages; install them with:" >&2; \
			echo "  sudo apt-get install -y $$missing" >&2; exit 1; \
		fi; \
	fi
endef

deps:
	$(call ensure_pkgs,$(BUILD_PKGS))

test-deps:
	$(call ensure_pkgs,$(TEST_PKGS))

build/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

build/libpktlens.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

pktlens: $(CMD_OBJ) build/libpktlens.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

run: all
	./pktlens read captures/tcp-handshake.pcap

# Sanitizer build: the same sources, address + undefined, no recovery.
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all
build/asan/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CC-ASAN $<"
	@$(CC) $(WARN) $(ASAN_FLAGS) $(CPPFLAGS) -c -o $@ $<

build/libpktlens-asan.a: $(patsubst %.c,build/asan/%.o,$(LIB_SRC))
	rm -f $@ && ar rcs $@ $^

# Linked without PIE: the corpus suite starts it 5000 times, and the
# loader's relocation of a position-independent sanitizer build (100 000
# relocations) was a tenth of each start.
pktlens-asan: $(patsubst %.c,build/asan/%.o,$(CMD_SRC)) build/libpktlens-asan.a
	$(CC) $(ASAN_FLAGS) -no-pie -o $@ $^ $(LDLIBS)

asan: deps pktlens-asan

# libFuzzer target for the decode entry point (and every view).
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz/fuzz-decode: fuzz/fuzz_decode.c $(LIB_SRC) $(HEADERS)
	clang $(WARN) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ fuzz/fuzz_decode.c $(LIB_SRC) $(LDLIBS)

fuzz: test-deps fuzz/fuzz-decode
	FUZZ_SECONDS=$${FUZZ_SECONDS:-60} fuzz/run.sh

# Unit tests (cmocka), one program per tests/unit/test_*.c.
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
build/tests/%: tests/unit/%.c tests/unit/frames.h tests/unit/text.h build/libpktlens.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< build/libpktlens.a -lcmocka $(LDLIBS)

# The same unit tests over the sanitizer build of the library, but the
# one that replaces realloc to make it fail: the sanitizer owns the heap.
UNIT_ASAN_BIN := $(patsubst tests/unit/%.c,build/tests-asan/%, \
                 $(filter-out tests/unit/test_conntrack_memory.c,$(UNIT_SRC)))
build/tests-asan/%: tests/unit/%.c tests/unit/frames.h tests/unit/text.h build/libpktlens-asan.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(ASAN_FLAGS) $(CPPFLAGS) -o $@ $< build/libpktlens-asan.a -lcmocka $(LDLIBS)

# The decode stage links on its own: no tracker, no view.
DECODE_OBJ := $(patsubst %.c,build/%.o,src/decode.c src/events.c src/template.c src/out.c \
              src/services.c src/tcp_state.c src/checksum.c $(wildcard dissectors/*.c))
UNIT_BIN += build/tests/test_decode_only
build/tests/test_decode_only: tests/link/test_decode_only.c tests/unit/frames.h $(DECODE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< $(DECODE_OBJ) -lcmocka

# Test programs over the crafting layer, not commands: route_decide prints
# the route decision for one destination (tests/net/route.sh), craft-frames
# writes one frame of each kind (tests/frames.sh), craft-arp sends one
# (tests/net/inject.sh).
CRAFT_TEST_BIN := build/tests/route_decide build/tests/craft-frames build/tests/craft-arp
build/tests/route_decide: tests/net/route_decide.c build/libpktlens.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< build/libpktlens.a $(LDLIBS)
build/tests/craft-%: tests/craft_%.c build/libpktlens.a
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -o $@ $< build/libpktlens.a $(LDLIBS)

unit: test-deps $(UNIT_BIN)
	tests/run-unit.sh $(UNIT_BIN)

golden: pktlens
	tests/golden.sh

golden-update: pktlens
	tests/golden.sh --update

difftest: pktlens
	/usr/bin/python3 tests/tshark_diff.py

corpus: pktlens-asan
	tests/corpus.sh

net: pktlens $(CRAFT_TEST_BIN)
	tests/net/sniff.sh
	tests/net/route.sh
	tests/net/inject.sh
	tests/net/craft.sh
	tests/net/flood.sh
	tests/net/syn.sh
	tests/net/tcp.sh
	tests/net/journey.sh

test: test-deps pktlens pktlens-asan fuzz/fuzz-decode $(UNIT_BIN) $(UNIT_ASAN_BIN) \
      $(CRAFT_TEST_BIN)
	tests/run-all.sh

bench: pktlens
	$(call ensure_pkgs,$(BENCH_PKGS))
	bench/run.sh
	bench/sniff-rate.sh

PREFIX ?= /usr/local
install: pktlens
	install -D -m 755 pktlens $(DESTDIR)$(PREFIX)/bin/pktlens

# Capture without sudo, as Wireshark's dumpcap is installed: the binary
# 0750 to a group, with the one capability capture takes.  Every member
# of the group can read all traffic, loopback included.
CAPTURE_GROUP ?= pktlens
install-capture: install
	getent group $(CAPTURE_GROUP) > /dev/null || groupadd --system $(CAPTURE_GROUP)
	chgrp $(CAPTURE_GROUP) $(DESTDIR)$(PREFIX)/bin/pktlens
	chmod 0750 $(DESTDIR)$(PREFIX)/bin/pktlens
	setcap cap_net_raw=ep $(DESTDIR)$(PREFIX)/bin/pktlens

clean:
	rm -rf build pktlens pktlens-asan fuzz/fuzz-decode
