#!/usr/bin/python3
"""Sends the daily digest mail to subscribers.

=head1 METADATA

<crontab>
    package: my-project-scripts2
    time: 0 7 * * mon-fri
    description: Weekday morning digest for subscribers
</crontab>

=cut
"""
import sys


def main(argv: list[str]) -> int:
    dry_run = "--dry-run" in argv
    if dry_run:
        print("would send the digest")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
