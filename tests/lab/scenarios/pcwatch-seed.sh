# Scenario pcwatch-seed: pcwatch.ko turns the stray writer's next write into an
# oops and a vmcore that names it (issue 3, test 1).  Guest side; see docs/pcwatch.md.
# lab-capture: kdump
# lab-dumps: vmcore.kdump-d1:-l,-d,1 vmcore.kdump-d31:-l,-d,31
F=/data/firmware.bin
IDX=3
OFF=0x6a6
SW=/sys/module/stray_writer/parameters
PW=/sys/kernel/debug/pcwatch

pcw_wait_idle() {
	local i=0
	while [ "$(cat $SW/idle)" != Y ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_md5 $F
lab_modprobe stray_writer path=$F index=$IDX offset=$OFF period_ms=50 || lab_crash
sleep 1
lab_md5 $F
echo 1 >$SW/paused
pcw_wait_idle
lab_say "stray_writer paused after $(cat $SW/writes) writes at pfn $(cat $SW/target_pfn)"
lab_watch_file $F
lab_corruption $F $IDX $OFF 2
lab_writer stray_writer stray_ip_newid
lab_fact stray_writer_target_pfn $(cat $SW/target_pfn)
lab_fact stray_writer_target_vaddr $(cat $SW/target_vaddr)
lab_stale_pointer $(cat $SW/sess_obj) $(cat $SW/sess_hdr_offset) "$(cat $SW/sess_cache)" \
	stray_writer sess_table $(cat $SW/sess_holder) $(cat $SW/sess_hdr)

t0=$(date +%s)
lab_modprobe pcwatch || lab_crash
echo "arm path=$F" >$PW/control || lab_say "pcwatch: arm failed"
t1=$(date +%s)
lab_say "pcwatch armed $F in $((t1 - t0))s"
grep -v '^page' $PW/status
grep "index=$IDX " $PW/status
lab_fact pcwatch_armed_pages $(grep -c 'state=armed' $PW/status)
lab_fact pcwatch_expected_pfn $(cat $SW/target_pfn)
lab_fact pcwatch_expected_offset $OFF

# the facts must be on the dump disk before the oops: the crash comes from the writer
sync
umount /dump
lab_say "unpausing stray_writer: its next write must oops"
echo 0 >$SW/paused
sleep 20
lab_say "pcwatch: no hit within 20s"
