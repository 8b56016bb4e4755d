# Scenario live: pcsleuth on the running kernel (issue 14), no crash.
# Needs LAB_PAYLOAD with /payload/bin/pcsleuth (tests/standalone/t-pcsleuth-live builds it).
# The stray writer keeps writing a 16-bit id into firmware.bin page 3 at 0x6a6 while
# `md5 --live --ref-direct` and `verify --live --ref-direct` look for it; every output
# goes to the dump disk (/dump/live-*), which tests/lab/run copies to the run directory.
# Ends with a clean poweroff.
# lab-capture: kdump
F=/data/firmware.bin
IDX=3
OFF=0x6a6
SW=/sys/module/stray_writer/parameters
P=/payload/bin/pcsleuth
O=/dump

# run NAME CMD...: stdout to $O/live-NAME.out, stderr to .err, exit status to .rc
run() {
	local n=$1
	shift
	"$@" >$O/live-$n.out 2>$O/live-$n.err
	echo $? >$O/live-$n.rc
	lab_say "live $n: exit $(cat $O/live-$n.rc) ($(head -c 200 $O/live-$n.err | tr '\n' ' '))"
}

if [ ! -x $P ]; then
	lab_say "RESULT live FAIL no $P (LAB_PAYLOAD missing)"
	lab_poweroff
fi
lab_md5 $F
lab_md5 /data/small.bin
run files-before $P files --live --json /data
run info $P info --live
lab_modprobe stray_writer path=$F index=$IDX offset=$OFF period_ms=20 || lab_say "stray_writer failed"
lab_fact stray_writer_target_pfn $(cat $SW/target_pfn)
lab_fact stray_writer_target_vaddr $(cat $SW/target_vaddr)
lab_fact stray_writer_sess_obj $(cat $SW/sess_obj) $(cat $SW/sess_hdr_offset) $(cat $SW/sess_cache)
sleep 1
lab_md5 $F
t0=$(date +%s)
run md5-json $P md5 --live --ref-direct --json $F
run md5 $P md5 --live --ref-direct $F
t1=$(date +%s)
run verify-json $P verify --live --ref-direct --at /data --json
run verify $P verify --live --ref-direct --at /data
t2=$(date +%s)
lab_fact live_seconds md5 $((t1 - t0)) verify $((t2 - t1))
pfn=$(cat $SW/target_pfn)
run pgdump $P pgdump --live --pfn $pfn
run ptewalk $P ptewalk --live $(printf 0x%x $(cat $SW/target_vaddr) 2>/dev/null || cat $SW/target_vaddr)
run refs timeout 300 $P refs --live --pfn $pfn --json

# bad input
run bad-nodirect $P md5 $O/none --ref-direct $F
run bad-nobtf env PCSLEUTH_LIVE_BTF=/nonexistent/btf $P md5 --live $F
mkdir -p /mnt/t && mount -t tmpfs none /mnt/t && cp /data/small.bin /mnt/t/ && cat /mnt/t/small.bin >/dev/null
run bad-tmpfs-md5 $P md5 --live --ref-direct /mnt/t/small.bin
run bad-tmpfs-verify $P verify --live --ref-direct --at /mnt/t
if type unshare >/dev/null 2>&1; then
	run bad-nokcore unshare -m sh -c "umount -l /proc && exec $P md5 --live $F"
else
	lab_say "live: no unshare in the guest: no /proc/kcore case not run"
fi
mkdir -p /etc
# the initramfs root is the host's private temporary directory (mode 0700): open it up
# for the unprivileged user, as a real root file system is
chmod 755 / /bin /payload /payload/bin /payload/lib 2>/dev/null
grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
grep -q '^nogroup:' /etc/group 2>/dev/null || echo 'nogroup:x:65534:' >>/etc/group
if type su >/dev/null 2>&1; then
	run bad-nonroot su -s /bin/sh -c "$P md5 --live $F" nobody
else
	lab_say "live: no su in the guest: non-root case not run"
fi

# the guest afterwards: the writer still running, the page cache as before
run files-after $P files --live --json /data
lab_fact stray_writer_writes $(cat $SW/writes)
echo 1 >$SW/paused
sleep 1
lab_fact stray_writer_last_id $(cat $SW/last_id)
dmesg >$O/live-dmesg.txt
lab_say "RESULT live DONE"
lab_poweroff
