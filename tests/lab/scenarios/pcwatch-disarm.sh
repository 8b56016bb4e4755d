# Scenario pcwatch-disarm: arm -> disarm -> rmmod leaves no trace (issue 3, test 2).
# The original PTE is restored (arm64: exactly; x86: exactly for a 4K original, _PAGE_RW
# back on the split 4K entry otherwise), panic_on_oops is back, and a write to the page
# afterwards (from pcwatch_poke.ko) succeeds.  Ends with a clean poweroff.
# lab-capture: kdump
F=/data/firmware.bin
IDX=3
PW=/sys/kernel/debug/pcwatch

pcw_poweroff() {
	if type lab_poweroff >/dev/null 2>&1; then lab_poweroff; fi
	sync
	umount /dump 2>/dev/null
	poweroff -f
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
poo0=$(cat /proc/sys/kernel/panic_on_oops)
lab_md5 $F
lab_modprobe pcwatch allow_no_kdump=1 || { lab_say "RESULT pcwatch-disarm FAIL insmod"; pcw_poweroff; }
echo "arm path=$F offset=$((IDX * 4096)) length=4096 readin=1" >$PW/control || lab_say "arm failed"
st=$(grep '^page .*state=armed' $PW/status)
lab_say "armed: $st"
lab_say "panic_on_oops while armed: $(cat /proc/sys/kernel/panic_on_oops)"
pfn=$(echo "$st" | sed -n 's/.* pfn=\(0x[0-9a-f]*\) .*/\1/p')
echo "disarm all" >$PW/control || lab_say "disarm failed"
st=$(grep "^page .*pfn=$pfn " $PW/status)
lab_say "disarmed: $st"
orig=$(echo "$st" | sed -n 's/.* pte_orig=\(0x[0-9a-f]*\) .*/\1/p')
now=$(echo "$st" | sed -n 's/.* pte_now=\(0x[0-9a-f]*\) .*/\1/p')
rest=$(echo "$st" | sed -n 's/.* pte_restored=\(0x[0-9a-f]*\) .*/\1/p')
verdict=$(echo "$st" | sed -n 's/.* restore=\([a-zA-Z-]*\) .*/\1/p')
poo1=$(cat /proc/sys/kernel/panic_on_oops)
rmmod pcwatch || lab_say "rmmod failed"
dmesg | grep 'pcwatch:' | tail -n 4
lab_modprobe pcwatch_poke pfn=$pfn offset=0x100 || lab_say "poke failed"
poked=$(cat /sys/module/pcwatch_poke/parameters/done 2>/dev/null)
lab_md5 $F
lab_say "pte orig=$orig restored=$rest now=$now verdict=$verdict panic_on_oops $poo0 -> $poo1 poke=$poked"
if [ -n "$pfn" ] && [ -n "$rest" ] && [ "$rest" = "$now" ] &&
	{ [ "$verdict" = exact ] || [ "$verdict" = rw-split ]; } &&
	[ "$poo0" = "$poo1" ] && [ "$poked" = 1 ] && [ "$LAB_MD5" = "$(grep " $F\$" /lab/expected.md5 | cut -d' ' -f1)" ]; then
	lab_say "RESULT pcwatch-disarm PASS"
else
	lab_say "RESULT pcwatch-disarm FAIL"
fi
pcw_poweroff
