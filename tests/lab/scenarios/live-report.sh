# Scenario live-report: `pcsleuth report --live` (issue 14), pcwatch's status and hits read
# from the running kernel. Needs LAB_PAYLOAD with /payload/bin/pcsleuth
# (tests/standalone/t-pcsleuth-live-report builds it, as for the scenario live).
#  1. no pcwatch loaded: one line on stderr, exit 3;
#  2. pcwatch armed on firmware.bin, the stray writer paused: the record (file, pages armed,
#     no hit), exit 1; pcwatch's own debugfs status is kept to compare;
#  3. the stray writer's next write faults on the armed page: pcwatch records the hit and, loaded
#     with set_panic_on_oops=0, the oops kills only the writer's thread; report --live names the
#     writer and the offset, exit 0.
# Every output goes to the dump disk (/dump/live-*), which tests/lab/run copies to the run
# directory. Ends with a clean poweroff.
# lab-capture: kdump
F=/data/firmware.bin
IDX=3
OFF=0x6a6
SW=/sys/module/stray_writer/parameters
PW=/sys/kernel/debug/pcwatch
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
	lab_say "RESULT live-report FAIL no $P (LAB_PAYLOAD missing)"
	lab_poweroff
fi
mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_md5 $F
run report-none $P report --live
run report-none-json $P report --live --json

lab_modprobe stray_writer path=$F index=$IDX offset=$OFF period_ms=50 || lab_say "stray_writer failed"
sleep 1
echo 1 >$SW/paused
i=0
while [ "$(cat $SW/idle)" != Y ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
lab_fact stray_writer_target_pfn $(cat $SW/target_pfn)
lab_fact stray_writer_writes_before $(cat $SW/writes)
lab_modprobe pcwatch set_panic_on_oops=0 || lab_say "pcwatch failed"
echo "arm path=$F" >$PW/control || lab_say "pcwatch: arm failed"
cat $PW/status >$O/live-status-armed.txt
run report-armed $P report --live
run report-armed-json $P report --live --json

# the hit: the writer's next write faults on the armed page (sync first: an oops follows)
sync
echo 0 >$SW/paused
i=0
while ! grep -q '^armed=.* hits=[1-9]' $PW/status && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
cat $PW/status >$O/live-status-hit.txt
run report-hit $P report --live
run report-hit-json $P report --live --json
lab_fact panic_on_oops $(cat /proc/sys/kernel/panic_on_oops)
dmesg >$O/live-dmesg.txt
lab_say "RESULT live-report DONE"
lab_poweroff
