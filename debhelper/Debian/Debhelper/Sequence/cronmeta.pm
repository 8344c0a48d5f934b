#!/usr/bin/perl
# debhelper sequence add-on for cronmeta, enabled by `dh $@ --with cronmeta` or by a
# build dependency on dh-sequence-cronmeta. See dh_cronmeta(1).

use strict;
use warnings;
use Debian::Debhelper::Dh_Lib;

# Generate debian/<package>.cron.d (or the build-tree files) just before
# dh_installcron installs them as /etc/cron.d/<package>.
insert_before('dh_installcron', 'dh_cronmeta');

# dh_clean does not know which cron.d files are generated: remove those with
# cronmeta's marker first (the pattern of dh-autoreconf's dh_autoreconf_clean).
insert_before('dh_clean', 'dh_cronmeta_clean');

1;
