#!/bin/sh
# Removes scratch files older than a week.
set -eu

: <<'=cut'
=head1 NAME

cleanup-tmp.sh - remove old scratch files

=head1 METADATA

<crontab>
    package: my-project-scripts1
    time: @daily
</crontab>

=cut

dir="${MY_PROJECT_TMP:-/var/tmp/my-project}"
[ -d "$dir" ] || exit 0
find "$dir" -xdev -type f -mtime +7 -delete
