#!/bin/bash
# xen-tier.sh: xenvirt's "xen" test tier.  Boots Debian's Xen 4.17 with a
# Linux PV dom0 inside qemu-system-x86_64 (TCG), starts the Xen toolstack
# and the freshly built xenvirtd (libxl backend) in dom0, runs
# dom0-scenario.sh there against small real PV guests, and turns the
# '=== STEP name rc=N' lines of the serial log into TAP on stdout.
#
# Everything noisy goes to stderr and to files under the work dir; stdout
# is TAP only.  See docs/xen-tier.md.
#
# usage: xen-tier.sh [all|deps|fetch|build|boot|report]   (default: all)
# env:
#   XV_SKIP_XEN=1        skip the tier (TAP skip with a message)
#   XV_BUILDDIR          meson build dir (xenvirtd, xvirsh; work dir below it)
#   XV_SRCDIR            source root (this script's files)
#   XV_XEN_WORK          work dir (default $XV_BUILDDIR/tests/xen/work)
#   XV_XEN_CACHE         package cache (default $XV_BUILDDIR/tests/xen/cache)
#   XV_XEN_TIMEOUT       hard limit of the QEMU run in seconds (default 900)
#   XV_XEN_ACCEL         QEMU accelerator (default tcg,thread=multi; the
#                        emulating /dev/kvm of CI machines cannot run Xen)
#   XV_XEN_CPU           QEMU CPU model (default max,avx=off,avx2=off)
#   XV_XEN_NO_INSTALL=1  never apt-get install missing host packages
#   XV_XEN_SHELL=1       interactive dom0 shell instead of the scenario
set -uo pipefail

SRC=${XV_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$SRC/tests/xen
B=${XV_BUILDDIR:-$SRC/build}
W=${XV_XEN_WORK:-$B/tests/xen/work}
CACHE=${XV_XEN_CACHE:-$B/tests/xen/cache}
TIMEOUT=${XV_XEN_TIMEOUT:-900}
ACCEL=${XV_XEN_ACCEL:-tcg,thread=multi}
# The emulated CPU: QEMU's 'max' without AVX/AVX2.  glibc picks its AVX2
# string functions when the CPU offers them, and under this QEMU's TCG those
# misbehaved now and then in dom0 (a printf that left '%s' unformatted,
# random SIGSEGVs); the SSE versions are solid.
CPU=${XV_XEN_CPU:-max,avx=off,avx2=off}
DOM0_MEM=1024M
XENVIRTD=$B/daemon/xenvirtd
XVIRSH=$B/cli/xvirsh

log() { printf '%s\n' "$*" >&2; }
now_cs() { local n=${EPOCHREALTIME/./}; echo $(( n / 10000 )); }
fmt_cs() { printf '%d.%02d' $(( $1 / 100 )) $(( $1 % 100 )); }
declare -A TIMES
timed() {   # timed NAME CMD...: run, remember the duration
    local name=$1 _t0 _t1 rc; shift
    _t0=$(now_cs); "$@"; rc=$?; _t1=$(now_cs)
    TIMES[$name]=$(fmt_cs $(( _t1 - _t0 )))
    log "TIME $name: ${TIMES[$name]}s"
    return $rc
}
skip_all() { echo "TAP version 13"; echo "1..0 # SKIP $*"; exit 0; }
bail() { echo "TAP version 13"; echo "Bail out! $*"; exit 1; }

# ---- phase: host tools ----------------------------------------------------
HOST_PKGS="qemu-system-x86 cpio gzip xz-utils binutils libglib2.0-bin dbus libc-bin"
host_tools_ok() {
    local t
    for t in qemu-system-x86_64 cpio gzip xz readelf ldd gdbus dbus-daemon apt-get dpkg-deb; do
        command -v "$t" >/dev/null 2>&1 || { MISSING_TOOL=$t; return 1; }
    done
}
do_deps() {
    host_tools_ok && return 0
    if [ "$(id -u)" != 0 ] || [ -n "${XV_XEN_NO_INSTALL:-}" ]; then
        skip_all "$MISSING_TOOL is not installed (needs: $HOST_PKGS) and this is not root"
    fi
    log "installing host packages: $HOST_PKGS"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends $HOST_PKGS) >&2 ||
        skip_all "cannot install the host packages ($HOST_PKGS)"
    host_tools_ok || skip_all "$MISSING_TOOL is still missing after installing $HOST_PKGS"
}

# ---- phase: Debian packages for dom0 (cached) -----------------------------
# Xen's user space in dom0 must match the libxen libraries xenvirtd was
# built and linked against (they are copied from this machine): pin the
# download to the installed libxenmisc version.
XEN_PKGS="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils"
do_fetch() {
    local xver kpkg p have
    mkdir -p "$CACHE/debs"
    xver=$(dpkg-query -W -f '${Version}' libxenmisc4.17 2>/dev/null)
    [ -n "$xver" ] || skip_all "libxenmisc4.17 is not installed (libxen-dev 4.17 is needed to build xenvirtd's libxl backend)"
    kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    [ -n "$kpkg" ] || kpkg=$(cd "$CACHE/debs" && ls linux-image-*.deb 2>/dev/null | head -1 | cut -d_ -f1)
    [ -n "$kpkg" ] || skip_all "cannot resolve linux-image-amd64 (apt-get update needed?)"
    for p in $XEN_PKGS "$kpkg" busybox-static; do
        have=$(ls "$CACHE/debs/${p}_"*.deb 2>/dev/null | head -1)
        case $p in xen*) have=$(ls "$CACHE/debs/${p}_${xver//:/%3a}_"*.deb 2>/dev/null | head -1) ;; esac
        [ -n "$have" ] && continue
        case $p in
            xen*) (cd "$CACHE/debs" && apt-get download -qq "$p=$xver") >&2 ||
                  skip_all "cannot download $p=$xver (the Xen packages must match the installed libxen $xver)" ;;
            *)    (cd "$CACHE/debs" && apt-get download -qq "$p") >&2 ||
                  skip_all "cannot download $p" ;;
        esac
    done
    KPKG=$kpkg
    XVER=$xver
}

# ---- phase: images ----------------------------------------------------------
# uncompressed ELF vmlinux out of a Debian (xz) bzImage
extract_vmlinux() {
    local img=$1 out=$2 off
    for off in $(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$img" | cut -d: -f1); do
        tail -c +$((off + 1)) "$img" | xz -dc > "$out" 2>/dev/null
        readelf -h "$out" >/dev/null 2>&1 && return 0
    done
    log "cannot extract vmlinux from $img"; return 1
}

# copy ELF files and every shared library they need into root $1
copy_with_libs() {
    local R=$1 f lib; shift
    for f in "$@"; do
        ldd "$f" 2>/dev/null | awk '/=> \//{print $3} /^\t\/lib64/{print $1}'
    done | sort -u | while read -r lib; do
        mkdir -p "$R$(dirname "$lib")"
        cp -L "$lib" "$R$lib"
    done
}

is_elf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

build_base() {   # Xen, dom0 kernel, toolstack, guest kernel; cached by content
    local key X R m kver a f elfs=()
    key=$( (ls "$CACHE/debs"; cat "$HERE/dom0-init" "$HERE/guest-init" "$0") | sha1sum | cut -c1-12)
    if [ -f "$CACHE/base-$key/dom0-base.cpio.gz" ]; then
        BASE=$CACHE/base-$key; return 0
    fi
    rm -rf "$CACHE"/base-* "$W/x" "$W/droot" "$W/groot"
    X=$W/x; mkdir -p "$X"
    for f in "$CACHE"/debs/*.deb; do
        case $(basename "$f") in
            linux-image-*) dpkg-deb --fsys-tarfile "$f" | tar -x -C "$X" --wildcards \
                               './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/xen/*' \
                               './lib/modules/*/kernel/drivers/block/loop.ko' \
                               './lib/modules/*/kernel/drivers/block/xen-blk*' ;;
            *) dpkg -x "$f" "$X" ;;
        esac
    done
    kver=$(ls "$X/lib/modules" | head -1)
    BASE=$CACHE/base-$key.tmp; rm -rf "$BASE"; mkdir -p "$BASE"
    zcat "$X/boot/xen-4.17-amd64.gz" > "$BASE/xen"    # QEMU multiboot wants the ELF
    extract_vmlinux "$X/boot/vmlinuz-$kver" "$W/vmlinux" || return 1
    gzip -1 -c "$W/vmlinux" > "$BASE/vmlinux.gz"; rm -f "$W/vmlinux"

    # guest initramfs: busybox and an init that honours PV shutdown/reboot;
    # the PV block frontend, so that the guest sees hot-plugged disks
    R=$W/groot; mkdir -p "$R"/{bin,sbin,proc,sys,dev,lib/modules}
    cp "$X/bin/busybox" "$R/bin/busybox"
    for a in sh mount sleep cat cut echo insmod; do ln -s busybox "$R/bin/$a"; done
    cp "$X/lib/modules/$kver/kernel/drivers/block/xen-blkfront.ko" "$R/lib/modules/" || return 1
    install -m 755 "$HERE/guest-init" "$R/init"
    # the kernel's xenbus 'control/shutdown' handler runs these (orderly_poweroff)
    printf '#!/bin/sh\necho "GUEST: poweroff requested" > /dev/console\nexec /bin/busybox poweroff -f\n' > "$R/sbin/poweroff"
    printf '#!/bin/sh\necho "GUEST: reboot requested" > /dev/console\nexec /bin/busybox reboot -f\n' > "$R/sbin/reboot"
    chmod 755 "$R/sbin/poweroff" "$R/sbin/reboot"
    (cd "$R" && find . | cpio -o -H newc --quiet | gzip -9) > "$BASE/guest-initrd.gz"

    # dom0 base: busybox, Xen toolstack + libs, xen modules, guest payload
    R=$W/droot
    mkdir -p "$R"/{bin,proc,sys,dev,run,tmp,etc,root,guest,lib/modules/xen,usr/bin,usr/lib,var/lib,var/log}
    ln -s bin "$R/sbin"; ln -s ../run "$R/var/run"
    cp "$X/bin/busybox" "$R/bin/busybox"
    for a in $("$X/bin/busybox" --list); do [ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"; done
    cp -a "$X/usr/lib/xen-4.17" "$R/usr/lib/"
    rm -rf "$R/usr/lib/xen-4.17/lib/python" "$R/usr/lib/xen-4.17/boot/xen-shim"
    cp -a "$X"/usr/bin/xenstore* "$R/usr/bin/"
    cp -a "$X/etc/xen" "$R/etc/"
    while read -r f; do is_elf "$f" && elfs+=("$f"); done < <(find "$R/usr" -type f)
    copy_with_libs "$R" "${elfs[@]}" /lib/x86_64-linux-gnu/libgcc_s.so.1
    cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$R/lib/x86_64-linux-gnu/"  # glibc dlopens it
    for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs/xenfs; do
        cp "$X/lib/modules/$kver/kernel/drivers/xen/$m.ko" "$R/lib/modules/xen/"
    done
    # the PV block backend and the loop driver, for disk hotplug
    cp "$X/lib/modules/$kver/kernel/drivers/block/loop.ko" \
       "$X/lib/modules/$kver/kernel/drivers/block/xen-blkback/xen-blkback.ko" "$R/lib/modules/xen/" ||
        return 1
    cp "$BASE/vmlinux.gz" "$R/guest/vmlinux.gz"
    cp "$BASE/guest-initrd.gz" "$R/guest/initrd.gz"
    install -m 755 "$HERE/dom0-init" "$R/init"
    echo "root:x:0:0:root:/root:/bin/sh" > "$R/etc/passwd"
    echo "root:x:0:" > "$R/etc/group"
    echo "messagebus:x:100:" >> "$R/etc/group"
    (cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$BASE/dom0-base.cpio.gz"
    rm -rf "$W/droot" "$W/groot" "$X"
    mv "$BASE" "$CACHE/base-$key"; BASE=$CACHE/base-$key
}

build_overlay() {   # the freshly built xenvirt + the scenario (rebuilt every run)
    local R=$W/ovl L=$W/libs key bins
    bins=("$XENVIRTD" "$XVIRSH" "$(command -v gdbus)" "$(command -v dbus-daemon)")
    # their shared libraries (libicudata alone is 30 MB): a layer cached by
    # the list of libraries and their versions
    key=$(for f in "${bins[@]}"; do ldd "$f"; done | awk '/=> \//{print $3}' | sort -u |
          xargs ls -lL | sha1sum | cut -c1-12)
    if [ ! -f "$CACHE/libs-$key.cpio.gz" ]; then
        rm -rf "$L" "$CACHE"/libs-*.cpio.gz; mkdir -p "$L"
        copy_with_libs "$L" "${bins[@]}"
        (cd "$L" && find . | cpio -o -H newc --quiet | gzip -1) > "$CACHE/libs-$key.cpio.gz"
        rm -rf "$L"
    fi
    rm -rf "$R"; mkdir -p "$R"/{usr/local/bin,usr/bin,guest,etc}
    install -m 755 "$XENVIRTD" "$XVIRSH" "$R/usr/local/bin/"
    cp "$(command -v gdbus)" "$(command -v dbus-daemon)" "$R/usr/bin/"
    install -m 755 "$HERE/dom0-scenario.sh" "$R/scenario.sh"
    mkdir -p "$R/etc/xen/scripts"
    install -m 755 "$HERE/block-file" "$R/etc/xen/scripts/block-file"
    cp "$HERE"/guests/* "$R/guest/"
    (cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) > "$W/dom0-ovl.cpio.gz"
    cat "$BASE/dom0-base.cpio.gz" "$CACHE/libs-$key.cpio.gz" "$W/dom0-ovl.cpio.gz" > "$W/dom0-initrd.gz"
}

do_build() {
    [ -x "$XENVIRTD" ] && [ -x "$XVIRSH" ] ||
        bail "xenvirtd or xvirsh is not built in $B (meson compile first)"
    mkdir -p "$W"
    build_base || bail "building the dom0 base image failed (see stderr)"
    build_overlay || bail "building the dom0 overlay failed (see stderr)"
}

# ---- phase: boot ------------------------------------------------------------
do_boot() {
    local dom0args="console=hvc0 earlyprintk=xen quiet" start rc extra=""
    # dom0 gets one vcpu: with two, processes in dom0 died of SIGSEGV now and
    # then under multi-threaded TCG (see docs/xen-tier.md); guests still
    # have Xen's two physical cpus
    local xenargs="console=com1 com1=115200,8n1 dom0_mem=$DOM0_MEM,max:$DOM0_MEM dom0_max_vcpus=${XV_XEN_DOM0_VCPUS:-1} smap=0 loglvl=all guest_loglvl=all console_timestamps=boot"
    [ -n "${XV_XEN_SHELL:-}" ] && extra=" xv.shell"
    if [ -n "${XV_XEN_SHELL:-}" ]; then
        exec qemu-system-x86_64 -accel "$ACCEL" -cpu "$CPU" -m 2048 -smp 2 -nographic -nic none \
            -no-reboot -kernel "$BASE/xen" -append "$xenargs" \
            -initrd "$BASE/vmlinux.gz $dom0args$extra,$W/dom0-initrd.gz"
    fi
    start=${EPOCHREALTIME/./}
    # NB: commas inside an -initrd module's command line would need doubling
    timeout "$TIMEOUT" qemu-system-x86_64 -accel "$ACCEL" -cpu "$CPU" -m 2048 -smp 2 \
        -display none -monitor none -nic none -no-reboot -serial stdio \
        -kernel "$BASE/xen" -append "$xenargs" \
        -initrd "$BASE/vmlinux.gz $dom0args,$W/dom0-initrd.gz" \
        2> "$W/qemu.err" < /dev/null | while IFS= read -r line; do
            line=${line//$'\r'/}
            local n=${EPOCHREALTIME/./} d
            d=$(( (n - start) / 10000 ))
            printf '[host %3d.%02d] %s\n' $((d / 100)) $((d % 100)) "$line"
        done > "$W/serial.log"
    rc=${PIPESTATUS[0]}
    QEMU_RC=$rc
    [ "$rc" = 124 ] && log "QEMU hit the ${TIMEOUT}s limit"
    return 0
}

# ---- phase: report (serial log -> TAP) --------------------------------------
do_report() {
    awk -v qemu_rc="${QEMU_RC:-0}" -v serial="$W/serial.log" \
        -v mapfile="$HERE/host-ops.map" -v times="fetch=${TIMES[fetch]:-?} build=${TIMES[build]:-?} boot=${TIMES[boot]:-?}" \
        -f "$HERE/serial-to-tap.awk" "$W/serial.log"
}

main() {
    local phase=${1:-all}
    if [ -n "${XV_SKIP_XEN:-}" ] && [ "$XV_SKIP_XEN" != 0 ]; then
        skip_all "XV_SKIP_XEN is set: the real-Xen tier is skipped"
    fi
    case $phase in
        deps) do_deps ;;
        fetch) do_deps; do_fetch ;;
        build) do_deps; do_fetch; do_build ;;
        boot|all)
            do_deps
            timed fetch do_fetch
            timed build do_build
            log "booting Xen in QEMU (accel=$ACCEL, limit ${TIMEOUT}s); serial log: $W/serial.log"
            timed boot do_boot
            do_report ;;
        report) do_report ;;
        *) echo "usage: $0 [all|deps|fetch|build|boot|report]" >&2; exit 2 ;;
    esac
}
main "$@"
