# Scenario pcwatch-logdump: pcwatch in mode=log records the stray writer's writes (more than
# the 64-entry hit ring holds), the guest stays up, and a later crash (sysrq) leaves a vmcore
# whose capture record lists the hits (issue 12: "Offline: pcsleuth report and crash's commands
# list every hit from the record in a later vmcore"). Facts: pcwatch_log_writes (writes made
# while armed), pcwatch_log_hits (the module's hits_seen), the writer and the corruption (the
# last write's bytes). Checked by tests/pcwatch/t-pcwatch-logdump and tests/crash/t-crash-pcwatch.
# lab-capture: kdump
# lab-dumps: vmcore.kdump-d1:-l,-d,1
F=/data/firmware.bin
IDX=3
OFF=0x6a6
N=100
SW=/sys/module/stray_writer/parameters
PW=/sys/kernel/debug/pcwatch

wait_idle() {
	local i=0
	while [ "$(cat $SW/idle)" != Y ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
stat_field() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" $PW/status | head -n1; }

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_md5 $F
lab_modprobe stray_writer path=$F index=$IDX offset=$OFF period_ms=10 paused=1 || lab_crash
lab_modprobe pcwatch || lab_crash
echo "arm path=$F mode=log" >$PW/control || lab_say "arm failed: $(sed -n 's/^last_error=//p' $PW/status)"
w0=$(cat $SW/writes)
echo 0 >$SW/paused
i=0
while [ $(($(cat $SW/writes) - w0)) -lt $N ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
echo 1 >$SW/paused
wait_idle
made=$(($(cat $SW/writes) - w0))
grep -v '^page' $PW/status
tail -n 2 $PW/hits
lab_fact pcwatch_log_writes $made
lab_fact pcwatch_log_hits "$(stat_field hits_seen)"
lab_fact stray_writer_target_pfn $(cat $SW/target_pfn)
lab_watch_file $F
lab_corruption $F $IDX $OFF 2
lab_writer stray_writer stray_ip_newid
lab_crash
