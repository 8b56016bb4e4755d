# Scenario pcwatch-other: faults elsewhere are left alone.  With pages armed (and
# set_panic_on_oops=0 so the system survives), an unrelated oops (a write near NULL
# from pcwatch_poke.ko) must not be recorded as a hit; the pages stay armed and intact.
# Ends with a clean poweroff.
# lab-capture: kdump
F=/data/firmware.bin
PW=/sys/kernel/debug/pcwatch

pcw_poweroff() {
	if type lab_poweroff >/dev/null 2>&1; then lab_poweroff; fi
	sync
	umount /dump 2>/dev/null
	poweroff -f
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_modprobe pcwatch set_panic_on_oops=0 || { lab_say "RESULT pcwatch-other FAIL insmod"; pcw_poweroff; }
echo "arm path=$F readin=1" >$PW/control || lab_say "arm failed"
n0=$(grep -c '^page .*state=armed' $PW/status)
lab_say "armed $n0 pages; panic_on_oops=$(cat /proc/sys/kernel/panic_on_oops); unrelated oops next"
lab_modprobe pcwatch_poke null_write=1
sleep 1
n1=$(grep -c '^page .*state=armed' $PW/status)
hits=$(sed -n 's/^armed=.* hits=\([0-9]*\)$/\1/p' $PW/status)
oops=$(dmesg | grep -c 'Internal error: Oops\|BUG: kernel NULL pointer\|Oops: ')
sawhit=$(dmesg | grep -c 'pcwatch: HIT')
lab_md5 $F
lab_say "after: oops lines $oops, armed $n1 (before $n0), hits $hits, HIT lines $sawhit"
echo "disarm all" >$PW/control
if [ "$oops" -gt 0 ] && [ "$n0" -gt 0 ] && [ "$n1" = "$n0" ] && [ "$hits" = 0 ] && [ "$sawhit" = 0 ] &&
	[ "$LAB_MD5" = "$(grep " $F\$" /lab/expected.md5 | cut -d' ' -f1)" ]; then
	lab_say "RESULT pcwatch-other PASS"
else
	lab_say "RESULT pcwatch-other FAIL"
fi
pcw_poweroff
