#!/usr/bin/perl
# Works through the outgoing message queue. Two instances split the queue
# between them by message id (--mod 2 --rem 0 and --mod 2 --rem 1), as in
# the "Reliable cron jobs" talk; switchman keeps each half on one box at a time.
use strict;
use warnings;
use Getopt::Long qw(GetOptions);

my ($mod, $rem) = (1, 0);
GetOptions('mod=i' => \$mod, 'rem=i' => \$rem)
    or die "usage: $0 [--mod N --rem R]\n";
die "--rem must be below --mod\n" unless $mod > 0 && $rem >= 0 && $rem < $mod;

my $spool = $ENV{MY_PROJECT_SPOOL} // '/var/spool/my-project/queue';
opendir(my $dh, $spool) or die "cannot open $spool: $!\n";
for my $id (sort grep { /^\d+$/ } readdir $dh) {
    next unless $id % $mod == $rem;
    print "processing message $id\n" if -t STDOUT;
}
closedir $dh;

__END__

=head1 NAME

process-queue.pl - deliver queued messages

=head1 METADATA

<crontab>
    package: my-project-scripts1
    params: --mod 2 --rem 0
    time: */2 * * * *
</crontab>
<crontab>
    package: my-project-scripts1
    params: --mod 2 --rem 1
    time: */2 * * * *
</crontab>

=cut
