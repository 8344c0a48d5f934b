#!/bin/sh
# Warns (by mail, through cron's MAILTO) when a file system is nearly full.
# Every box must check its own disks, so this job takes no lock.
set -eu

: <<'=cut'
=head1 METADATA

<crontab>
    package: my-project-scripts3
    time: */10 * * * *
    params: --threshold 90
    lock: no
    description: Every box checks its own disks; no fleet-wide lock
</crontab>

=cut

threshold=90
[ "${1:-}" = "--threshold" ] && threshold="$2"
df -P | awk -v t="$threshold" 'NR > 1 { sub("%", "", $5); if ($5 + 0 >= t) print $6 " is " $5 "% full" }'
