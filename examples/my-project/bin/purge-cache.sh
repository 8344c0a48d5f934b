#!/bin/sh
# Drops cache entries that the application marked as stale.
set -eu

: <<'=cut'
=head1 METADATA

<crontab>
    package: my-project-scripts1
    time: 17 4 * * *
    params: --older-than 2d
</crontab>

=cut

case "${1:-}" in
  --older-than) age="$2" ;;
  *) age=1d ;;
esac
echo "purging cache entries older than $age" >/dev/null
