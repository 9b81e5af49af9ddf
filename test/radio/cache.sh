# Sourced by setup and vm-run: where the prepared kernel lives and how to build the
# initramfs. The cache is outside the checkout (it is ~450 MB, and every worktree and CI
# run on the machine can share it), one directory per kernel version:
#
#   $RADIO_CACHE/kver                      the version `setup` prepared last
#   $RADIO_CACHE/$KVER/root/               the linux-image package unpacked (boot/, lib/modules/), depmod'ed
#   $RADIO_CACHE/$KVER/vmlinux             the bzImage's payload unpacked (see setup)
#   $RADIO_CACHE/$KVER/initramfs-HASH.cpio keyed by the content of guest/init (see build_initramfs)

RADIO_CACHE=${WPA_OFFLOADD_RADIO_CACHE:-/var/cache/wpa-offloadd-radio}
RADIO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The modules needed before the root is mounted: virtio PCI transport, 9p over virtio
# (the host root), overlay (a writable guest on a read-only share), virtio-console (the
# job's stdout/stderr ports) and virtio-rng (entropy: wpa_supplicant and hostapd read
# getrandom() at start and would otherwise wait for the crng). Their dependencies are
# added by `modprobe --show-depends`.
INITRAMFS_MODULES="virtio_pci 9p 9pnet_virtio overlay virtio_console virtio-rng"

# initramfs_path KVER: the initramfs for this kernel and this checkout's guest/init.
# Keyed by content so that worktrees with different guest/init never share one, and a
# change to guest/init needs no "rebuild" step.
initramfs_path() {
    local h
    h=$(cat "$RADIO_DIR/guest/init" <(echo "$INITRAMFS_MODULES") | sha256sum | cut -c1-12)
    echo "$RADIO_CACHE/$1/initramfs-$h.cpio"
}

# build_initramfs KVER: busybox-static as the whole userland of stage 1, guest/init,
# and the modules above in load order. Written to a temporary name and renamed, so that
# two runs building at once never see half a file.
build_initramfs() {
    local kver=$1 root=$RADIO_CACHE/$1/root out stage bb m ko
    out=$(initramfs_path "$kver")
    [ -f "$out" ] && return 0
    bb=$(command -v busybox) || { echo "radio: busybox is missing (apt-get install busybox-static)" >&2; return 1; }
    # a dynamically linked busybox would find no libc in the initramfs
    if ldd "$bb" >/dev/null 2>&1; then
        echo "radio: $bb is dynamically linked; install busybox-static" >&2
        return 1
    fi
    stage=$(mktemp -d)
    mkdir -p "$stage"/{bin,modules,proc,sys,dev,lower,rw,newroot,out}
    cp "$bb" "$stage/bin/busybox"
    install -m 755 "$RADIO_DIR/guest/init" "$stage/init"
    for m in $INITRAMFS_MODULES; do
        modprobe -d "$root" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
    done | awk '!seen[$0]++' | while read -r ko; do
        cp "$ko" "$stage/modules/"
        basename "$ko" >> "$stage/modules/order"
    done
    (cd "$stage" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$out.$$"
    rm -rf "$stage"
    mv "$out.$$" "$out"
}
