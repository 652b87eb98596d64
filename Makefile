# Makefile for asset_stream (PGXS)
#
#   make                 build the shared library and the install script
#   make install         install into the PostgreSQL found by $(PG_CONFIG)
#   scripts/test.sh      build, install, run every test on a throwaway cluster
#
EXTENSION   = asset_stream
EXTVERSION  = $(shell grep default_version $(EXTENSION).control | sed -e "s/default_version[[:space:]]*=[[:space:]]*'\([^']*\)'/\1/")

MODULE_big  = asset_stream
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is generated from one file per concern in sql/install/.
INSTALL_SOURCES = $(sort $(wildcard sql/install/*.sql))
DATA_built  = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA        = $(wildcard sql/updates/*--*--*.sql)

# pg_regress suite: sql/<name>.sql <-> expected/<name>.out, run by scripts/test.sh
# against its own throwaway cluster (see docs/testing.md).
REGRESS     = $(sort $(patsubst sql/%.sql,%,$(wildcard sql/*.sql)))
REGRESS     := $(filter-out $(EXTENSION)--%,$(REGRESS))

PG_CPPFLAGS = -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
              -Wno-missing-field-initializers -Isrc
# MQTT and HTTP sources (Debian: libmosquitto-dev, libmicrohttpd-dev)
SHLIB_LINK  = -lmosquitto -lmicrohttpd

EXTRA_CLEAN = $(DATA_built) results regression.diffs regression.out

# No LLVM bitcode: keeps the build free of a clang dependency.
override with_llvm = no

PG_CONFIG  ?= pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

ifneq ($(MAJORVERSION),15)
$(error asset_stream targets PostgreSQL 15; $(PG_CONFIG) reports $(MAJORVERSION))
endif

$(DATA_built): $(INSTALL_SOURCES) $(EXTENSION).control
	cat $(INSTALL_SOURCES) > $@

# PGXS tracks no header dependencies: rebuild every object when a header changes.
$(OBJS): $(wildcard src/*.h)

print-regress:
	@echo $(REGRESS)

.PHONY: print-regress
