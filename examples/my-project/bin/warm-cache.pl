#!/usr/bin/perl
# Pre-renders the busiest pages during office hours, as the web server user
# so that the cache files belong to it.
use strict;
use warnings;

my $cache = $ENV{MY_PROJECT_CACHE} // '/var/cache/my-project';
for my $page (qw(index pricing contact)) {
    my $file = "$cache/$page.html";
    print "would refresh $file\n" if -t STDOUT;
}

=head1 NAME

warm-cache.pl - refresh the page cache

=head1 METADATA

<crontab>
    package: my-project-scripts1
    time: */5 8-20 * * mon-fri
    user: www-data
    description: Keep the page cache warm during office hours
</crontab>

=cut
