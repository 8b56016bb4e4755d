# Scenario pcwatch-hwbp-panic: mode=hwbp with then=panic: a hardware watchpoint on the 2 bytes
# the stray writer hits; its first write is recorded and panics into kdump (issue 12). The
# truth's corruption is the page as it was when armed (on x86 the watched write completes
# before the trap, on arm64 it does not). Checked by tests/pcwatch/t-pcwatch-logdump.
# lab-capture: kdump
# lab-dumps: vmcore.kdump-d1:-l,-d,1
F=/data/firmware.bin
IDX=3
OFF=0x6a6
SW=/sys/module/stray_writer/parameters
PW=/sys/kernel/debug/pcwatch

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_modprobe stray_writer path=$F index=$IDX offset=$OFF period_ms=20 paused=1 || lab_crash
lab_modprobe pcwatch || lab_crash
lab_corruption $F $IDX $OFF 2
lab_writer stray_writer stray_ip_newid
lab_fact stray_writer_target_pfn $(cat $SW/target_pfn)
echo "arm path=$F offset=$((IDX * LAB_PAGESIZE + OFF)) length=2 mode=hwbp then=panic" >$PW/control ||
	lab_say "arm failed: $(sed -n 's/^last_error=//p' $PW/status)"
grep -v '^page' $PW/status
# the facts must be on the dump disk before the panic: it comes from the writer's first write
sync
umount /dump
echo 0 >$SW/paused
sleep 20
lab_say "no panic after 20 s: the watchpoint did not fire"
echo 1 >/proc/sys/kernel/sysrq
echo c >/proc/sysrq-trigger
