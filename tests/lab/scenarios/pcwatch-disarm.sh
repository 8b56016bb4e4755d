# Scenario pcwatch-disarm: arm -> disarm -> rmmod leaves no trace (issue 3, test 2).
# The original PTE is restored (arm64: exactly; x86: exactly for a 4K original, _PAGE_RW
# back on the split 4K entry otherwise), panic_on_oops is back, and a write to the page
# afterwards (from pcwatch_poke.ko) succeeds.  The page is then armed and disarmed a second
# time: its entry is a 4K one now on every arch, so that restore must be exact.  On x86 the
# restored entry must keep the original's Dirty bit in both rounds (6.6+ set_memory_ro
# clears it and set_memory_rw does not give it back).  Ends with a clean poweroff.
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
echo reset >$PW/control || lab_say "reset failed"
echo "arm path=$F offset=$((IDX * 4096)) length=4096 readin=1" >$PW/control || lab_say "second arm failed"
echo "disarm all" >$PW/control || lab_say "second disarm failed"
st2=$(grep "^page .*pfn=$pfn " $PW/status | tail -n1)
lab_say "disarmed again: $st2"
verdict2=$(echo "$st2" | sed -n 's/.* restore=\([a-zA-Z-]*\) .*/\1/p')
orig2=$(echo "$st2" | sed -n 's/.* pte_orig=\(0x[0-9a-f]*\) .*/\1/p')
rest2=$(echo "$st2" | sed -n 's/.* pte_restored=\(0x[0-9a-f]*\) .*/\1/p')
# x86: the Dirty bit (0x40) of the original comes back with RW, whatever the module's verdict
# (the low 12 bits only: the shell's arithmetic is signed 64-bit)
d40() { echo $((0x$(echo "${1:-0x0}" | sed 's/.*\(...\)$/\1/') & 0x40)); }
dirty=ok
if [ "$(uname -m)" = x86_64 ]; then
	[ -n "$rest" ] && [ "$(d40 "$orig")" = "$(d40 "$rest")" ] || dirty="lost-in-round-1"
	[ -n "$rest2" ] && [ "$(d40 "$orig2")" = "$(d40 "$rest2")" ] || dirty="lost-in-round-2"
fi
rmmod pcwatch || lab_say "rmmod failed"
dmesg | grep 'pcwatch:' | tail -n 4
lab_modprobe pcwatch_poke pfn=$pfn offset=0x100 || lab_say "poke failed"
poked=$(cat /sys/module/pcwatch_poke/parameters/done 2>/dev/null)
lab_md5 $F
lab_say "pte orig=$orig restored=$rest now=$now verdict=$verdict verdict2=$verdict2 dirty=$dirty panic_on_oops $poo0 -> $poo1 poke=$poked"
if [ -n "$pfn" ] && [ -n "$rest" ] && [ "$rest" = "$now" ] &&
	{ [ "$verdict" = exact ] || [ "$verdict" = rw-split ]; } && [ "$verdict2" = exact ] && [ "$dirty" = ok ] &&
	[ "$poo0" = "$poo1" ] && [ "$poked" = 1 ] && [ "$LAB_MD5" = "$(grep " $F\$" /lab/expected.md5 | cut -d' ' -f1)" ]; then
	lab_say "RESULT pcwatch-disarm PASS"
else
	lab_say "RESULT pcwatch-disarm FAIL"
fi
pcw_poweroff
