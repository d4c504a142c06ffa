#!/bin/sh
# dom0-scenario.sh: the xen tier's scenario, run in the test dom0 (busybox
# sh) once the Xen toolstack is up.  Drives xenvirtd (libxl backend)
# through xvirsh over its peer-to-peer socket and through the D-Bus API
# (gdbus, via a dom0 dbus-daemon the same xenvirtd also serves), and checks
# every result against Xen's own view (xl, xenstore).
#
# Output protocol (read by serial-to-tap.awk on the host):
#   === STEP name: description          a step starts
#   === STEP name rc=N took S.SSs       it ended (0 pass, 77 skip, else fail)
#   === SKIP reason                     why a step skipped
#   === LOG-TAIL name ... === LOG-END   on failure: daemon log and guest console
#   === FIGURE name value unit          a measurement (not asserted)
#   XVTIER: SCENARIO DONE               the end
#
# 'sh scenario.sh fn NAME' runs one step function (so each step can run
# under busybox timeout).
export PATH=/usr/local/bin:/usr/lib/xen-4.17/bin:/bin:/usr/bin
SOCK=/run/xenvirt/xenvirtd.sock
BUS=/run/xv-bus.sock
DLOG=/tmp/xenvirtd.log
ROOT=/tmp/xv
CONS=/var/log/xen/console
G1_UUID=6c1f0a3e-2b4d-4e8f-9a7c-5d3e2f1a0b91
G1_PATH=/org/libvirt/Xen/domain/_${G1_UUID//-/_}

X() { xvirsh -c "xen+unix:///system?socket=$SOCK" "$@"; }
GD() { gdbus call --address "unix:path=$BUS" --dest org.libvirt "$@"; }
ts() { cut -d' ' -f1 /proc/uptime; }
fail() { echo "CHECK FAILED: $*"; exit 1; }   # each step is its own process
domid() { xl domid "$1" 2>/dev/null; }
# wait_for SECONDS CMD...: poll (0.5 s) until CMD succeeds
wait_for() {
    _n=$(($1 * 2)); shift
    while [ $_n -gt 0 ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.5; _n=$((_n - 1))
    done
    "$@"
}
# console_count GUEST PATTERN: matching lines in the guest's console log (one
# number, 0 when there is no log yet: `grep -c` prints 0 AND fails on no match)
console_count() { _c=$(grep -c "$2" "$CONS/guest-$1.log" 2>/dev/null); echo "${_c:-0}"; }
console_more() { [ "$(console_count "$1" "$2")" -gt "$3" ]; }
xl_state() { xl list "$1" 2>/dev/null | awk -v n="$1" '$1 == n {print $5}'; }
list_has() {   # list_has ID NAME STATE (xvirsh list --all)
    X list --all | grep -Eq "^ *$1 +$2 +$3 *\$"
}
not_on_xen() { ! xl domid "$1" >/dev/null 2>&1; }
field() { awk -F': *' -v k="$1" '$1 == k {print $2}'; }

# ---- the daemon -------------------------------------------------------------

daemon_up() {
    mkdir -p /run/xenvirt "$ROOT"
    echo "--- xenvirtd start at uptime $(ts)" >> $DLOG
    DBUS_SESSION_BUS_ADDRESS="unix:path=$BUS" \
        setsid xenvirtd -v --hypervisor libxl --root "$ROOT" --listen "unix:path=$SOCK" \
        --session >> $DLOG 2>&1 < /dev/null &
    echo $! > /run/xenvirtd.pid
    wait_for 60 X uri || return 1
    wait_for 30 GD --object-path /org/libvirt/Xen --method org.freedesktop.DBus.Peer.Ping
}
# PID 1 (busybox sh) does not reap orphans at once: a zombie counts as gone
daemon_gone() {
    [ ! -d /proc/$1 ] || grep -q '^State:.*Z' /proc/$1/status
}
t_daemon_start() {
    cat > /etc/xv-bus.conf <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$BUS</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    dbus-daemon --config-file=/etc/xv-bus.conf --fork --nopidfile || return 1
    daemon_up || return 1
    b=$(GD --object-path /org/libvirt/Xen --method org.freedesktop.DBus.Properties.Get \
        org.xenvirt.Host1 Backend)
    echo "Backend: $b"
    [ "$b" = "(<'libxl'>,)" ] || fail "backend is not libxl"
    # the driver records the host's boot id (host port get_boot_id): dom0's
    wait_for 30 test -s "$ROOT/run/driver.boot" || fail "no boot id recorded in $ROOT/run/driver.boot"
    echo "boot id: $(cat "$ROOT/run/driver.boot")"
    [ "$(cat "$ROOT/run/driver.boot")" = "$(cat /proc/sys/kernel/random/boot_id)" ] ||
        fail "the recorded boot id is not dom0's ($(cat /proc/sys/kernel/random/boot_id))"
}
t_host_info() {
    X version && X nodeinfo && X freecell && X hostname || return 1
    n=$(X nodeinfo | field 'CPU(s)')
    x=$(xl info | awk -F': *' '$1 ~ /^nr_cpus/ {print $2}')
    [ "$n" = "$x" ] || fail "nodeinfo says $n CPUs, xl info $x"
    X version | grep -q 'hypervisor: Xen 4.17' || fail "version does not name Xen 4.17"
    X capabilities | grep -q '<os_type>xen</os_type>' || fail "no PV guest in capabilities"
}

# ---- g1: a persistent PV guest through its whole life -----------------------

t_define() {
    X define /guest/g1.xml && X list --all && list_has - g1 'shut off'
}
t_start() {
    X start g1 || return 1
    id=$(domid g1); echo "xl domid g1: $id"
    X list; X list --all | grep -Eq '^ *0 +Domain-0 +running' || fail "Domain-0 not listed with id 0"
    [ -n "$id" ] && list_has "$id" g1 running || fail "g1 not listed running with Xen's id '$id'"
}
t_guest_boots() {
    wait_for 150 console_more g1 'GUEST: tick' 0 || fail "no guest tick on g1's console"
    tail -n 2 $CONS/guest-g1.log
}
t_dominfo() {
    out=$(X dominfo g1) || return 1; echo "$out"
    [ "$(echo "$out" | field Id)" = "$(domid g1)" ] || fail "Id differs from xl"
    [ "$(echo "$out" | field State)" = running ] || fail "State is not running"
    [ "$(echo "$out" | field 'Max memory')" = "131072 KiB" ] || fail "Max memory"
    [ "$(echo "$out" | field Persistent)" = yes ] || fail "Persistent"
    [ "$(echo "$out" | field UUID)" = $G1_UUID ] || fail "UUID"
}
t_dumpxml_live() {
    X dumpxml g1 > /tmp/g1.live.xml || return 1; cat /tmp/g1.live.xml
    grep -q "<domain type='xen' id='$(domid g1)'" /tmp/g1.live.xml || fail "live XML lacks id='$(domid g1)'"
    grep -q '<kernel>/guest/vmlinux.gz</kernel>' /tmp/g1.live.xml || fail "kernel missing"
    X dumpxml --inactive g1 | grep -q "id=" && fail "inactive XML has an id"
    return 0
}
t_dbus_api() {
    GD --object-path /org/libvirt/Xen --method org.libvirt.Connect.ListDomains 0 | tee /tmp/l.out
    grep -q "$G1_PATH" /tmp/l.out || fail "ListDomains lacks $G1_PATH"
    GD --object-path "$G1_PATH" --method org.libvirt.Domain.GetState 0 | tee /tmp/s.out
    grep -q '(1, ' /tmp/s.out || fail "GetState is not (1=running, ...)"
    i=$(GD --object-path "$G1_PATH" --method org.freedesktop.DBus.Properties.Get \
        org.libvirt.Domain Id)
    echo "Id property: $i"
    [ "$i" = "(<uint32 $(domid g1)>,)" ] || fail "Id property differs from xl"
    GD --object-path "$G1_PATH" --method org.libvirt.Domain.GetXMLDesc 0 | grep -q '<name>g1</name>' ||
        fail "GetXMLDesc"
}
t_vcpupin() {
    X vcpupin g1 0 1 || return 1
    X vcpupin g1; xl vcpu-list g1
    a=$(xl vcpu-list g1 | awk '$1 == "g1" && $3 == 0 {print $7}')
    [ "$a" = 1 ] || fail "xl says vcpu 0 hard affinity is '$a', not 1"
    X vcpupin g1 | grep -Eq '^ *0 +1 *$' || fail "vcpupin query does not show 0 -> 1"
}
t_vcpuinfo() {
    out=$(X vcpuinfo g1) || return 1; echo "$out"
    echo "$out" | grep -m1 '^CPU Affinity:' | grep -Eq '^CPU Affinity: +-y$' ||
        fail "vcpu 0 affinity is not -y (pinned to host cpu 1 of 2)"
}
t_setvcpus() {
    X setvcpus g1 2 --live || return 1
    id=$(domid g1)
    wait_for 20 sh -c "[ \"\$(xenstore-read /local/domain/$id/cpu/1/availability)\" = online ]" ||
        fail "xenstore cpu/1/availability is not online"
    X vcpucount g1; xl vcpu-list g1
    wait_for 30 sh -c "xl vcpu-list g1 | awk '\$3 == 1 && \$5 !~ /p/' | grep -q ." ||
        fail "the guest did not bring vcpu 1 up"
}
t_setmem() {
    X setmem g1 98304 --live || return 1
    t=$(xenstore-read /local/domain/$(domid g1)/memory/target)
    echo "memory/target: $t"
    [ "$t" = 98304 ] || fail "balloon target is $t, not 98304"
    wait_for 30 sh -c "[ \$(xl list g1 | awk '\$1==\"g1\" {print \$3}') -le 100 ]" ||
        echo "(the guest has not reached the target yet: $(xl list g1 | tail -1))"
    X dominfo g1 | grep memory
}
t_setmaxmem() {
    X setmaxmem g1 262144 --live || return 1
    m=$(xenstore-read /local/domain/$(domid g1)/memory/static-max)
    echo "memory/static-max: $m"
    [ "$m" = 262144 ] || fail "static-max is $m, not 262144"
    X dominfo g1 | grep -q 'Max memory: *262144 KiB' || fail "dominfo Max memory not updated"
}
# ---- device hotplug on the running PV guest ---------------------------------

HP_IMG=/tmp/hp1.img
HP_VDEV=51728            # xvdb: (202 << 8) | (1 << 4), as xl block-list prints it
t_hotplug() {
    # an 8 MiB file-backed xvd disk: the hotplug script (block-file, run by
    # libxl) puts it on a loop device for blkback; the guest's blkfront sees it
    dd if=/dev/zero of=$HP_IMG bs=1M count=8 2>/dev/null || return 1
    cat > /tmp/hp1.xml <<EOF
<disk type='file' device='disk'>
  <driver name='phy' type='raw'/>
  <source file='$HP_IMG'/>
  <script path='/etc/xen/scripts/block-file'/>
  <target dev='xvdb' bus='xen'/>
</disk>
EOF
    seen=$(console_count g1 'GUEST: disk xvdb sectors 16384')
    gone=$(console_count g1 'GUEST: disk xvdb gone')
    out=$(X attach-device g1 /tmp/hp1.xml --live 2>&1); rc=$?; echo "$out"
    [ $rc = 0 ] || fail "attach-device failed"
    echo "$out" | grep -q '^Device attached successfully$' || fail "no success message"
    xl block-list g1
    # Xen's view: the backend of vdev $HP_VDEV connected (state 4) to the frontend
    wait_for 30 sh -c "xl block-list g1 | awk '\$1 == $HP_VDEV && \$4 == 4' | grep -q ." ||
        { xl block-list g1; fail "xl block-list shows no connected xvdb ($HP_VDEV, state 4)"; }
    losetup -a | grep "$HP_IMG" || fail "no loop device carries $HP_IMG"
    # the guest's view: a disk xvdb of 8 MiB = 16384 sectors
    wait_for 30 console_more g1 'GUEST: disk xvdb sectors 16384' "$seen" ||
        { tail -n 5 $CONS/guest-g1.log; fail "the guest does not see xvdb with 16384 sectors"; }
    grep 'GUEST: disk xvdb' $CONS/guest-g1.log | tail -n 1
    X dumpxml g1 | grep -q "<target dev='xvdb' bus='xen'/>" || fail "live XML lacks xvdb"
    X dumpxml --inactive g1 | grep -q xvdb && fail "--live only, yet xvdb is in the definition"
    # twice: the duplicate is refused, naming the target
    X attach-device g1 /tmp/hp1.xml --live > /tmp/hp2.out 2>&1 && fail "attaching xvdb twice succeeded"
    cat /tmp/hp2.out
    grep -q 'xvdb' /tmp/hp2.out || fail "the duplicate attach's error does not name xvdb"

    out=$(X detach-device g1 /tmp/hp1.xml --live 2>&1); rc=$?; echo "$out"
    [ $rc = 0 ] || fail "detach-device failed"
    echo "$out" | grep -q '^Device detached successfully$' || fail "no success message"
    wait_for 30 sh -c "! xl block-list g1 | awk '\$1 == $HP_VDEV' | grep -q ." ||
        { xl block-list g1; fail "xl block-list still shows xvdb"; }
    wait_for 30 console_more g1 'GUEST: disk xvdb gone' "$gone" ||
        { tail -n 5 $CONS/guest-g1.log; fail "the guest still sees xvdb"; }
    X dumpxml g1 | grep -q xvdb && fail "live XML still has xvdb"
    wait_for 10 sh -c "! losetup -a | grep -q $HP_IMG" || fail "the loop device of $HP_IMG was not released"
    [ "$(X domstate g1)" = running ] || fail "g1 is not running after the hotplug"
    rm -f $HP_IMG
}
t_cdrom() {
    echo "=== SKIP update-device changes a cdrom's medium (libxl_cdrom_insert): only HVM domains have one (the device model emulates the drive), and no HVM guest runs in this dom0 (see the hvm step)"
    return 77
}

t_schedinfo() {
    out=$(X schedinfo g1) || return 1; echo "$out"
    s=$(xl info | awk -F': *' '$1 ~ /^xen_scheduler/ {print $2}')
    echo "$out" | grep -Eq "^Scheduler *: *$s" || fail "scheduler is not xl's '$s'"
    X schedinfo g1 --set weight=512 --live || return 1
    xl sched-credit -d g1 2>/dev/null || xl sched-credit2 -d g1
    w=$(xl sched-credit -d g1 2>/dev/null | awk '$1 == "g1" {print $3}')
    [ -n "$w" ] || w=$(xl sched-credit2 -d g1 | awk '$1 == "g1" {print $3}')
    [ "$w" = 512 ] || fail "xl reports weight '$w', not 512"
    X schedinfo g1 | grep -Eq '^weight *: *512' || fail "schedinfo does not read 512 back"
}
t_suspend() {
    X suspend g1 || return 1
    st=$(xl_state g1); echo "xl state: $st"
    case $st in *p*) ;; *) fail "xl does not show g1 paused" ;; esac
    [ "$(X domstate g1)" = paused ] || fail "domstate is not paused"
}
t_resume() {
    X resume g1 || return 1
    st=$(xl_state g1); echo "xl state: $st"
    case $st in *p*) fail "xl still shows g1 paused" ;; esac
    [ "$(X domstate g1)" = running ] || fail "domstate is not running"
}
t_native() {
    X dumpxml g1 > /tmp/g1.live.xml || return 1
    X domxml-to-native xen-xl /tmp/g1.live.xml > /tmp/g1.native.cfg || return 1
    cat /tmp/g1.native.cfg
    xl create -n /tmp/g1.native.cfg > /tmp/g1.xl.json 2>/tmp/g1.xl.err ||
        { cat /tmp/g1.xl.err; fail "xl create -n rejects the native config"; }
    X domxml-to-native libxl-json /tmp/g1.live.xml > /tmp/g1.xv.json || return 1
    for k in '"name"' '"max_memkb"' '"target_memkb"' '"max_vcpus"' '"kernel"' '"ramdisk"' '"cmdline"' '"type"'; do
        a=$(grep -m1 "$k:" /tmp/g1.xl.json | sed 's/[ ,]//g')
        b=$(grep -m1 "$k:" /tmp/g1.xv.json | sed 's/[ ,]//g')
        echo "$k xl: $a xenvirt: $b"
        [ -n "$a" ] && [ "$a" = "$b" ] || fail "$k differs between xl create -n and xenvirt's libxl-json"
    done
}
reader() {   # reader NAME CMD...: read in a loop until the save ends
    _r=$1; shift
    while [ ! -f /tmp/save.rc ]; do
        "$@" > /tmp/rd.$_r.out 2>&1; _rc=$?
        echo "$(ts) $_rc $(head -n 1 /tmp/rd.$_r.out | head -c 60)" >> /tmp/rd.$_r
        [ $_rc = 0 ] || { echo "--- $_r failed (rc $_rc) at $(ts):"; cat /tmp/rd.$_r.out; } >> /tmp/rd.failures
    done
}
t_save() {
    # The save runs in the background while three readers poll: the job's
    # progress over D-Bus, and xvirsh list and dominfo.  Every read must
    # succeed, and reads must be answered while the save job runs.
    rm -f /tmp/save.rc /tmp/g1.save /tmp/rd.*
    ( X save g1 /tmp/g1.save --verbose > /tmp/save.out 2>&1; echo $? > /tmp/save.rc; ts > /tmp/save.end ) &
    reader progress GD --object-path "$G1_PATH" --method org.xenvirt.Domain1.GetJobProgress &
    reader list X list &
    reader info X dominfo g1 &
    wait
    cat /tmp/save.out
    echo "progress reads:"; cat /tmp/rd.progress
    end=$(cat /tmp/save.end)
    first=$(awk '/\(.save., / {print $1; exit}' /tmp/rd.progress)
    bad=$(cat /tmp/rd.progress /tmp/rd.list /tmp/rd.info | awk '$2 != 0' | wc -l)
    total=$(cat /tmp/rd.progress /tmp/rd.list /tmp/rd.info | wc -l)
    during=$(cat /tmp/rd.list /tmp/rd.info | awk -v a="${first:-0}" -v b="$end" \
             'a > 0 && $1 > a && $1 < b' | wc -l)
    [ -f /tmp/rd.failures ] && cat /tmp/rd.failures
    echo "save job ended at $end"
    echo "reads: $total, failed: $bad; xvirsh reads answered during the save job: $during"
    echo "=== FIGURE save_parallel_xvirsh_reads_during_job $during reads"
    [ "$(cat /tmp/save.rc)" = 0 ] || fail "save failed"
    [ "$bad" = 0 ] || fail "$bad reads failed during the save"
    [ -n "$first" ] || fail "no GetJobProgress read saw the save job in progress"
    grep "(.save., " /tmp/rd.progress | grep -vq ", uint64 0, " || fail "the save reported no progress"
    X domjobinfo --completed g1 || X domjobinfo g1
}
t_after_save() {
    ls -l /tmp/g1.save
    [ "$(wc -c < /tmp/g1.save)" -gt 1000000 ] || fail "save image too small"
    list_has - g1 'shut off' || fail "g1 is not shut off after save"
    not_on_xen g1 || fail "g1 still exists on Xen"
}
t_restore() {
    c=$(console_count g1 'GUEST: tick'); u=$(console_count g1 'GUEST: up')
    X restore /tmp/g1.save || return 1
    id=$(domid g1); echo "restored as domid $id"
    list_has "$id" g1 running || fail "g1 not listed running with id $id"
    wait_for 60 console_more g1 'GUEST: tick' "$c" || fail "the restored guest does not tick"
    [ "$(console_count g1 'GUEST: up')" = "$u" ] || fail "the guest rebooted instead of resuming"
    tail -n 2 $CONS/guest-g1.log
    rm -f /tmp/g1.save
}
t_managedsave() {
    X managedsave g1 --verbose || return 1
    X dominfo g1 | tee /tmp/d.out
    grep -Eq '^Managed save: +yes' /tmp/d.out || fail "no managed save image recorded"
    list_has - g1 'shut off' || fail "g1 is not shut off"
    not_on_xen g1 || fail "g1 still exists on Xen"
    ls -l "$ROOT"/lib/save/
}
t_start_managed() {
    c=$(console_count g1 'GUEST: tick'); u=$(console_count g1 'GUEST: up')
    X start g1 || return 1
    list_has "$(domid g1)" g1 running || fail "g1 not running"
    X dominfo g1 | grep -Eq '^Managed save: +no' || fail "the managed save image is still there"
    wait_for 60 console_more g1 'GUEST: tick' "$c" || fail "the guest does not tick"
    [ "$(console_count g1 'GUEST: up')" = "$u" ] || fail "started fresh instead of from the managed save"
}
t_dump() {
    X dump g1 /tmp/g1.core --verbose || return 1
    ls -l /tmp/g1.core
    [ "$(head -c 4 /tmp/g1.core | od -An -c | sed 's/ //g')" = '177ELF' ] || fail "core is not an ELF file"
    rm -f /tmp/g1.core
    [ "$(X domstate g1)" = running ] || fail "g1 not running after the dump"
}
t_reboot() {
    old=$(domid g1); u=$(console_count g1 'GUEST: up')
    X reboot g1 || return 1
    wait_for 90 sh -c "i=\$(xl domid g1 2>/dev/null) && [ \"\$i\" != $old ]" ||
        fail "no new domain for g1 after reboot"
    id=$(domid g1); echo "domid $old -> $id"
    wait_for 30 list_has "$id" g1 running || fail "g1 not listed running with the new id $id"
    grep 'reboot requested' $CONS/guest-g1.log | tail -1
    wait_for 150 console_more g1 'GUEST: up' "$u" || fail "the rebooted guest does not come up"
    wait_for 30 console_more g1 'GUEST: tick' 0
}
t_daemon_restart() {
    id=$(domid g1)
    kill -TERM "$(cat /run/xenvirtd.pid)"
    wait_for 30 daemon_gone "$(cat /run/xenvirtd.pid)" || fail "xenvirtd did not stop"
    tail -n 3 $DLOG
    [ "$(domid g1)" = "$id" ] || fail "g1 did not survive the daemon's exit"
    daemon_up || fail "xenvirtd did not come back"
    X list --all
    list_has "$id" g1 running || fail "g1 (domid $id) not re-attached as running"
    X dominfo g1 | grep -q "^Id: *$id\$" || fail "dominfo after restart"
}
t_shutdown() {
    # after the restart: the re-attached domain's events must still arrive
    X shutdown g1 || return 1
    wait_for 120 sh -c "[ \"\$(xvirsh -c 'xen+unix:///system?socket=$SOCK' domstate g1)\" = 'shut off' ]" ||
        fail "g1 did not reach 'shut off'"
    grep 'poweroff requested' $CONS/guest-g1.log | tail -1 | grep -q . || fail "the guest did not see the request"
    not_on_xen g1 || fail "g1 still exists on Xen"
    X domstate --reason g1
}
t_undefine() {
    X undefine g1 || return 1
    X list --all
    X list --all | grep -q ' g1 ' && fail "g1 still listed"
    [ ! -e "$ROOT/etc/domains/$G1_UUID.xml" ] || fail "the definition file is still there"
}

# ---- adoption of a domain started with xl -----------------------------------

t_adopt() {
    xl create /guest/foreign1.cfg || return 1
    id=$(domid foreign1); echo "xl created foreign1 as domid $id"
    uuid=$(xl list -v foreign1 | awk '$1 == "foreign1" {print $7}'); echo "uuid: $uuid"
    echo "$id" > /tmp/foreign1.id
    X foreign-list | tee /tmp/f.out
    grep -Eq "^ *$id +foreign1 +$uuid *\$" /tmp/f.out || fail "foreign-list lacks foreign1 (id $id, uuid $uuid)"
    X list --all | grep -q foreign1 && fail "foreign1 is listed as managed before adoption"
    X foreign-list --json | tee /tmp/f.json
    tr -d ' \n' < /tmp/f.json | grep -q "{\"id\":$id,\"name\":\"foreign1\",\"uuid\":\"$uuid\"}" ||
        fail "foreign-list --json lacks foreign1"
    out=$(X adopt "$id" 2>&1); rc=$?; echo "$out"
    [ $rc = 0 ] || fail "adopt failed"
    [ "$(echo "$out" | head -n 1)" = "Domain 'foreign1' adopted (id $id)" ] || fail "unexpected adopt message"
    X list; list_has "$id" foreign1 running || fail "foreign1 not listed running as domid $id"
    X dominfo foreign1 | grep -Eq '^Persistent: +no' || fail "the adopted domain is not transient"
    X dumpxml foreign1 > /tmp/f1.xml; cat /tmp/f1.xml
    grep -q '<kernel>/guest/vmlinux.gz</kernel>' /tmp/f1.xml || fail "adopted XML lacks the kernel"
    grep -q "<memory unit='KiB'>98304</memory>" /tmp/f1.xml || fail "adopted XML lacks 96 MiB"
    grep -q "<uuid>$uuid</uuid>" /tmp/f1.xml || fail "adopted XML lacks Xen's uuid"
    X foreign-list | grep -q foreign1 && fail "foreign1 is still foreign"
    # a second adoption: refused, naming the domain that holds it
    X adopt "$id" > /tmp/a2.out 2>&1 && fail "adopting foreign1 twice succeeded"
    cat /tmp/a2.out
    grep -q "already managed as 'foreign1'" /tmp/a2.out || fail "the second adoption's error does not say why"
    # the adopted domain takes orders: pause and resume through xenvirt, seen by xl
    X suspend foreign1 || fail "suspend of the adopted domain failed"
    case $(xl_state foreign1) in *p*) ;; *) fail "xl does not show foreign1 paused" ;; esac
    X resume foreign1 || fail "resume of the adopted domain failed"
    return 0
}
t_adopt_native() {
    X domxml-to-native xen-xl /tmp/f1.xml > /tmp/f1.cfg || return 1
    cat /tmp/f1.cfg
    xl create -n /tmp/f1.cfg > /tmp/f1.json 2>&1 || { cat /tmp/f1.json; fail "xl create -n rejects it"; }
    grep -q '"name": "foreign1"' /tmp/f1.json || fail "xl's dry run lost the name"
}
t_destroy() {
    X destroy foreign1 || return 1
    not_on_xen foreign1 || fail "foreign1 still exists on Xen"
    X list --all | grep -q foreign1 && fail "transient foreign1 still listed"
    # adopting it now (gone between foreign-list and adopt): a clear error
    id=$(cat /tmp/foreign1.id)
    X adopt "$id" > /tmp/a3.out 2>&1; rc=$?; cat /tmp/a3.out
    [ $rc = 1 ] || fail "adopting the destroyed domain $id exited $rc, not 1"
    grep -q "^error: Failed to adopt domain $id\$" /tmp/a3.out || fail "no 'Failed to adopt domain $id' line"
    grep -q "cannot adopt domain $id: " /tmp/a3.out || fail "the daemon's reason is missing"
    return 0
}

# ---- on_reboot rename-restart: the old incarnation stays, as a foreign domain --

RR_UUID=6c1f0a3e-2b4d-4e8f-9a7c-5d3e2f1a0b93
t_rename_restart() {
    cat > /tmp/rr1.xml <<EOF
<domain type='xen'>
  <name>rr1</name>
  <uuid>$RR_UUID</uuid>
  <memory unit='MiB'>96</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/guest/vmlinux.gz</kernel>
    <initrd>/guest/initrd.gz</initrd>
    <cmdline>console=hvc0 rdinit=/init quiet</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>rename-restart</on_reboot>
  <on_crash>destroy</on_crash>
</domain>
EOF
    X create /tmp/rr1.xml || return 1
    old=$(domid rr1); echo "rr1 is domid $old"
    # the guest's kernel must be up to honour the reboot request
    wait_for 150 console_more rr1 'GUEST: tick' 0 || fail "rr1 does not tick"
    X reboot rr1 || return 1
    kept="rr1--incarnation-$old"
    wait_for 90 sh -c "xl domid $kept" || { xl list; fail "no '$kept' on Xen after the reboot"; }
    wait_for 60 sh -c "i=\$(xl domid rr1 2>/dev/null) && [ \"\$i\" != $old ]" ||
        { xl list; fail "rr1 did not restart as a new domain"; }
    new=$(domid rr1); xl list -v
    echo "rr1: domid $old -> $new; the old incarnation is '$kept'"
    [ "$(domid "$kept")" = "$old" ] || fail "'$kept' is not domid $old"
    # libxl_domain_preserve gives the kept incarnation a new uuid in
    # xenstore (/vm/UUID); the hypervisor's handle (xl list -v) stays
    vm=$(xenstore-read /local/domain/$old/vm); echo "$kept: vm path $vm"
    case $vm in /vm/????????-????-????-????-????????????) ;; *) fail "no /vm/UUID for $kept" ;; esac
    [ "$vm" != /vm/$RR_UUID ] || fail "the kept incarnation still has rr1's uuid in xenstore"
    wait_for 30 list_has "$new" rr1 running || fail "rr1 not listed running as $new"
    X dominfo rr1 | grep -q "^UUID: *$RR_UUID\$" || fail "rr1 lost its uuid"
    X list --all | grep -q -- "--incarnation" && fail "the kept incarnation is listed as managed"
    # the kept incarnation is a foreign domain from now on, although the
    # hypervisor's handle (xl list -v) still carries rr1's uuid: the driver
    # tells it from rr1 by its domid
    X foreign-list | tee /tmp/rr.out
    grep -Eq "^ *$old +$kept " /tmp/rr.out ||
        fail "'$kept' is not in foreign-list"
    xl destroy "$kept" || fail "xl destroy $kept failed"
    X destroy rr1 && not_on_xen rr1
}

# ---- PVH (HVM container, no device model) and HVM -----------------------------

# pvh_settled BASE: the PVH guest printed two ticks after the first BASE
# ones, or it is gone from Xen (it crashed: on_crash is destroy)
pvh_settled() { console_more pvh1 'GUEST: tick' $(($1 + 1)) || not_on_xen pvh1; }
t_pvh() {
    # What this proves: xenvirt creates a domain Xen runs as PVH, whose
    # kernel boots to user space and whose clock and timer interrupts work:
    # two consecutive ticks (each after a `sleep 2` in the guest) with the
    # guest's uptime advanced by at least the 2 s slept in between.
    #
    # One retry, and only when the guest crashed (its kernel panicked and
    # Xen destroyed it) before ticking: under multi-threaded TCG, guest
    # processes die of SIGSEGV now and then (the emulation instability of
    # docs/xen-tier.md), and a dead init panics the kernel.  Anything
    # xenvirt gets wrong fails the same way every time, so it still fails
    # the step; the first crash's console is printed either way.
    attempt=1
    while :; do
        base=$(console_count pvh1 'GUEST: tick')
        X create /guest/pvh1.xml || return 1
        id=$(domid pvh1); xl list
        list_has "$id" pvh1 running || fail "pvh1 not running as $id"
        xl list -l pvh1 | grep -q '"type": "pvh"' || fail "Xen does not see a PVH domain"
        wait_for 150 pvh_settled "$base"
        console_more pvh1 'GUEST: tick' $((base + 1)) && break
        echo "the PVH guest (domid $id, attempt $attempt) did not tick twice; its console:"
        tail -n 40 $CONS/guest-pvh1.log | sed 's/^/  pvh1| /'
        if ! not_on_xen pvh1; then
            X destroy pvh1
            fail "the PVH guest runs but does not tick (no user space or no timer)"
        fi
        echo "=== FIGURE pvh_guest_crashed_before_ticking $attempt times"
        [ $attempt -lt 2 ] || fail "the PVH guest crashed before ticking, twice"
        wait_for 30 sh -c "! xvirsh -c 'xen+unix:///system?socket=$SOCK' domstate pvh1" ||
            fail "the crashed transient pvh1 is still listed"
        attempt=$((attempt + 1))
    done
    grep 'GUEST: tick' $CONS/guest-pvh1.log | tail -n 2 > /tmp/pvh.ticks; cat /tmp/pvh.ticks
    awk 'NR == 1 {a = $NF} NR == 2 {b = $NF}
         END {printf "guest uptime advanced %.2f s over one tick\n", b - a; exit !(b - a >= 1.99)}' \
        /tmp/pvh.ticks || fail "the PVH guest's uptime advanced less than the 2 s it slept"
    X destroy pvh1 && not_on_xen pvh1
}
t_hvm() {
    if [ ! -x /usr/lib/xen-4.17/bin/qemu-system-i386 ] && ! command -v qemu-system-i386 >/dev/null; then
        echo "=== SKIP no Xen device model (qemu-system-i386 with Xen support, Debian qemu-system-xen) in this dom0 image: HVM guests need one"
        return 77
    fi
    return 1
}

# ---- runner -----------------------------------------------------------------

if [ "${1:-}" = fn ]; then
    shift
    "$@"
    exit $?
fi

step() {   # step NAME TIMEOUT
    name=$1; limit=$2
    a=$(ts); echo "=== STEP $name: ${name//-/ } (limit ${limit}s)"
    timeout "$limit" sh /scenario.sh fn "t_${name//-/_}" 2>&1
    rc=$?
    b=$(ts)
    echo "=== STEP $name rc=$rc took $(awk "BEGIN{printf \"%.2f\", $b-$a}")s"
    if [ $rc != 0 ] && [ $rc != 77 ]; then
        echo "=== LOG-TAIL $name"
        # the daemon's own messages, then the last libxl debug lines
        grep -v 'DEBUG' $DLOG | tail -n 20 | sed 's/^/D| /'
        grep 'DEBUG' $DLOG | tail -n 8 | sed 's/^/D| /'
        # libxl's hotplug scripts (disks) log their errors here
        [ -s /var/log/xen/xen-hotplug.log ] && tail -n 10 /var/log/xen/xen-hotplug.log | sed 's/^/H| /'
        for f in $CONS/guest-*.log; do
            [ -f "$f" ] && tail -n 3 "$f" | sed "s#^#G| $(basename "$f" .log): #"
        done
        xl list 2>&1 | sed 's/^/XL| /'
        echo "=== LOG-END"
    fi
}

echo "XVTIER: scenario starts at uptime $(ts)"
step daemon-start 90
step host-info 60
step define 30
step start 120
step guest-boots 160
step dominfo 30
step dumpxml-live 30
step dbus-api 30
step vcpupin 30
step vcpuinfo 30
step setvcpus 60
step setmem 60
step setmaxmem 30
step hotplug 120
step cdrom 30
step schedinfo 30
step suspend 30
step resume 30
step native 30
step save 180
step after-save 30
step restore 180
step managedsave 180
step start-managed 180
step dump 180
step reboot 300
step daemon-restart 120
step shutdown 150
step undefine 30
step adopt 120
step adopt-native 30
step destroy 60
step rename-restart 240
step pvh 240
step hvm 30
echo "=== DAEMON-LOG (last 150 lines)"
tail -n 150 $DLOG | sed 's/^/D| /'
echo "XVTIER: SCENARIO DONE at uptime $(ts)"
