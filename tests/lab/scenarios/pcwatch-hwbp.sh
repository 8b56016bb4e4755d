# Scenario pcwatch-hwbp: mode=hwbp puts a hardware data watchpoint on the 2 bytes the stray
# writer hits (issue 12).  Checks ("LAB: CHECK name ok|bad"):
#   stray      N writes while armed: hits == writes made, every stored hit names
#              stray_ip_newid with the range index, the page holds the last id, the file's
#              other pages are untouched, no page-table entry was changed
#   exhaust    more 8-byte ranges on the same page until the CPU has no free watchpoint: the
#              refusal names it, successes + 1 == max_bp
#   disarm     "disarm all": every range disarmed, bp_in_use=0, the writer goes on without hits
#   no-taint   /proc/sys/kernel/tainted unchanged
# Ends with "LAB: RESULT pcwatch-hwbp PASS|FAIL" and a clean poweroff.
# lab-capture: kdump
F=/data/firmware.bin
IDX=3
OFF=0x6a6
N=200
SW=/sys/module/stray_writer/parameters
PW=/sys/kernel/debug/pcwatch
RESULT_NAME=${RESULT_NAME:-pcwatch-hwbp}
ok=1

pcw_poweroff() {
	if type lab_poweroff >/dev/null 2>&1; then lab_poweroff; fi
	sync
	umount /dump 2>/dev/null
	poweroff -f
}
check() {
	if [ "$2" = 0 ]; then lab_say "CHECK $1 ok $3"; else lab_say "CHECK $1 bad $3"; ok=0; fi
}
others_md5() {
	{ dd if=$F bs=4096 count=$IDX 2>/dev/null; dd if=$F bs=4096 skip=$((IDX + 1)) 2>/dev/null; } |
		md5sum | cut -d' ' -f1
}
wait_idle() {
	local i=0
	while [ "$(cat $SW/idle)" != Y ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
stat_field() { sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" $PW/status | head -n1; }

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_say "cmdline: $(cat /proc/cmdline)"
lab_modprobe stray_writer path=$F index=$IDX offset=$OFF period_ms=5 paused=1 ||
	{ lab_say "RESULT $RESULT_NAME FAIL stray_writer"; pcw_poweroff; }
lab_modprobe pcwatch allow_no_kdump=1 || { lab_say "RESULT $RESULT_NAME FAIL insmod"; pcw_poweroff; }
taint0=$(cat /proc/sys/kernel/tainted)
if [ "${PCW_EXPECT_PTE_REFUSAL:-0}" = 1 ]; then
	# rodata=off: the PTE modes refuse (block mapping); hwbp must still work
	if echo "arm path=$F mode=log" >$PW/control 2>/dev/null; then r=0; else r=1; fi
	msg=$(sed -n 's/^last_error=//p' $PW/status)
	case "$msg" in *"in the linear map"*|*"contiguous pte"*) m=0 ;; *) m=1 ;; esac
	[ $r = 1 ] && [ $m = 0 ]
	check pte-refused $? "arm mode=log refused: $msg"
fi
o0=$(others_md5)
echo "arm path=$F offset=$((IDX * 4096 + OFF)) length=2 mode=hwbp" >$PW/control ||
	lab_say "arm failed: $(sed -n 's/^last_error=//p' $PW/status)"
grep -v '^page' $PW/status
maxbp=$(stat_field max_bp)
w0=$(cat $SW/writes)
h0=$(stat_field hits_seen)
echo 0 >$SW/paused
i=0
while [ $(($(cat $SW/writes) - w0)) -lt $N ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
echo 1 >$SW/paused
wait_idle
made=$(($(cat $SW/writes) - w0))
hits=$(($(stat_field hits_seen) - h0))
stored=$(grep -c 'mode=hwbp' $PW/hits)
named=$(grep 'mode=hwbp' $PW/hits | grep -c 'range=0 .*sym=stray_ip_newid+')
tail -n 1 $PW/hits
id=$(cat $SW/last_id)
want=$(printf '%02x%02x' $(((id >> 8) & 255)) $((id & 255)))
got=$(dd if=$F bs=1 skip=$((IDX * 4096 + OFF)) count=2 2>/dev/null | od -An -tx1 | tr -d ' \n')
o1=$(others_md5)
npages=$(grep -c '^page ' $PW/status)
[ "$made" -ge "$N" ] && [ "$hits" = "$made" ] && [ "$stored" -ge 1 ] && [ "$named" = "$stored" ] &&
	[ "$got" = "$want" ] && [ "$o0" = "$o1" ] && [ "$npages" = 0 ]
check stray $? "writes=$made hits=$hits stored=$stored naming_stray_ip_newid=$named id=$want page=$got others_md5_same=$([ "$o0" = "$o1" ] && echo 1 || echo 0) pte_entries=$npages"
lab_say "window: $(grep -o 'reprotect_count=[0-9]* reprotect_ns_max=[0-9]* reprotect_ns_mean=[0-9]*' $PW/status)"

# exhaust the CPU's watchpoints with 8-byte ranges elsewhere in the page
succ=0
msg=
for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	if echo "arm path=$F offset=$((IDX * 4096 + 8 * k)) length=8 mode=hwbp" >$PW/control 2>/dev/null; then
		succ=$((succ + 1))
	else
		msg=$(sed -n 's/^last_error=//p' $PW/status)
		break
	fi
done
grep '^max_bp' $PW/status
case "$msg" in *"no free hardware watchpoint"*) m=0 ;; *) m=1 ;; esac
[ $m = 0 ] && [ $((succ + 1)) = "$maxbp" ]
check exhaust $? "max_bp=$maxbp armed_more=$succ refusal: $msg"

echo "disarm all" >$PW/control || lab_say "disarm failed"
h2=$(stat_field hits_seen)
echo 0 >$SW/paused
sleep 1
echo 1 >$SW/paused
wait_idle
h3=$(stat_field hits_seen)
inuse=$(stat_field bp_in_use)
armed=$(stat_field ranges_armed)
[ "$h2" = "$h3" ] && [ "$inuse" = 0 ] && [ "$armed" = 0 ]
check disarm $? "hits_after_disarm=$((h3 - h2)) bp_in_use=$inuse ranges_armed=$armed"
rmmod pcwatch || lab_say "rmmod failed"
taint1=$(cat /proc/sys/kernel/tainted)
[ "$taint0" = "$taint1" ]
check no-taint $? "tainted $taint0 -> $taint1"
if [ $ok = 1 ]; then lab_say "RESULT $RESULT_NAME PASS"; else lab_say "RESULT $RESULT_NAME FAIL"; fi
pcw_poweroff
