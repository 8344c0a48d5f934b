#!/bin/sh
# Builds (once) a stock Debian root file system for the install tests and prints its path.
#
#   make-rootfs.sh RELEASE            e.g. bookworm (Debian 12) or trixie (Debian 13)
#
# The root is Debian's own minbase plus the distribution's nodejs, cron, util-linux, bash,
# procps and perl (the cronmeta package's add-on needs it), straight from Debian's archive: the
# install test must see what a user of that release sees, not this machine's third-party node. It is cached as a tar file keyed by release and
# package list, so later runs (and CI on the same machine) only unpack it:
#
#   $CRONMETA_ROOTFS_CACHE (default /var/cache/cronmeta-test)/rootfs-RELEASE-KEY.tar
#
# The mirror is read at run time from this machine's apt configuration (the repository apt
# labels "Debian", and "Debian-Security" for the security suite), so no host name is written
# down here. Needs root and mmdebstrap (apt-get install mmdebstrap). Exits non-zero with the
# reason when the root cannot be built; the caller turns that into a failing test.
set -eu

release=${1:?usage: make-rootfs.sh RELEASE (bookworm, trixie)}
cache=${CRONMETA_ROOTFS_CACHE:-/var/cache/cronmeta-test}
packages="bash,cron,nodejs,perl,procps,util-linux"
variant=minbase

die() { echo "make-rootfs.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap --mode=root, chroot)"
command -v mmdebstrap >/dev/null || die "mmdebstrap not found: install Debian package mmdebstrap"

# Repository URIs as apt on this machine uses them, by the archive's own Label.
repo_uri() {
  apt-get indextargets --format '$(LABEL) $(REPO_URI)' 2>/dev/null | awk -v l="$1" '$1 == l { print $2; exit }'
}
main_uri=$(repo_uri Debian)
security_uri=$(repo_uri Debian-Security)
[ -n "$main_uri" ] || die "no Debian archive in this machine's apt sources (apt-get indextargets lists none labelled Debian); run apt-get update"

# Suites: the release with its stable updates and security updates, as an installed system has.
sources="deb $main_uri $release main
deb $main_uri $release-updates main"
if [ -n "$security_uri" ]; then
  sources="$sources
deb $security_uri $release-security main"
fi

# The key covers everything that changes the result except the mirror (same archive).
key=$(printf '%s\n' "$release" "$variant" "$packages" "format 1" | sha256sum | cut -c1-12)
out="$cache/rootfs-$release-$key.tar"
mkdir -p "$cache"

# One builder per key at a time; the others wait and then find the tar.
exec 9>"$out.lock"
flock 9
if [ -s "$out" ]; then
  echo "$out"
  exit 0
fi

tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# policy-rc.d: packages installed into the root later (cron's postinst, ours) must not start
# daemons in it; the test starts cron itself. The apt list files are dropped (mmdebstrap's
# default): the test installs local .debs whose dependencies are all in the root already, so
# apt never needs the network inside.
if ! mmdebstrap --mode=root --variant="$variant" --include="$packages" --format=tar \
  --customize-hook='printf "#!/bin/sh\nexit 101\n" > "$1/usr/sbin/policy-rc.d"; chmod 755 "$1/usr/sbin/policy-rc.d"' \
  "$release" "$tmp" - >&2 <<EOF
$sources
EOF
then
  die "mmdebstrap could not build $release from $main_uri (see its messages above)"
fi
mv "$tmp" "$out"
trap - EXIT
# Roots of this release built for another package list are stale now.
for old in "$cache/rootfs-$release-"*.tar; do
  [ "$old" = "$out" ] || rm -f "$old" "$old.lock"
done
echo "$out"
