#!/usr/bin/python3
"""Archives last week's reports.

=head1 METADATA

<crontab>
    package: acme-reports
    time: 0 5 * * mon
    params: --keep 8
</crontab>

=cut
"""
import sys

keep = int(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else 4
sys.exit(0 if keep > 0 else 2)
