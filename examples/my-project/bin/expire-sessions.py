#!/usr/bin/python3
"""Deletes expired login sessions.

=head1 METADATA

<crontab>
    package: my-project-scripts2
    time: */15 * * * *
    params: --batch 500
</crontab>

=cut
"""
import argparse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    return 0 if args.batch > 0 else 2


if __name__ == "__main__":
    raise SystemExit(main())
