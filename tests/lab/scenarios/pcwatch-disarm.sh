# Scenario pcwatch-disarm: arm -> disarm -> rmmod leaves no trace (issue 3, test 2).
# The original PTE is restored and a write to the page afterwards succeeds.
# lab-capture: none
F=/data/firmware.bin
IDX=3
PW=/sys/kernel/debug/pcwatch

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_md5 $F
lab_modprobe pcwatch allow_no_kdump=1 || { lab_say "RESULT pcwatch-disarm FAIL insmod"; return; }
echo "arm path=$F offset=$((IDX * 4096)) length=4096" >$PW/control || lab_say "RESULT pcwatch-disarm FAIL arm"
st=$(grep '^page .*state=armed' $PW/status)
lab_say "armed: $st"
pfn=$(echo "$st" | sed -n 's/.* pfn=\(0x[0-9a-f]*\) .*/\1/p')
echo "disarm all" >$PW/control || lab_say "RESULT pcwatch-disarm FAIL disarm"
st=$(grep "^page .*pfn=$pfn " $PW/status)
lab_say "disarmed: $st"
orig=$(echo "$st" | sed -n 's/.* pte_orig=\(0x[0-9a-f]*\) .*/\1/p')
now=$(echo "$st" | sed -n 's/.* pte_now=\(0x[0-9a-f]*\) .*/\1/p')
rest=$(echo "$st" | sed -n 's/.* pte_restored=\(0x[0-9a-f]*\) .*/\1/p')
grep -q '^kdump_loaded=.* panic_on_oops=0 saved_panic_on_oops=-1' $PW/status && poo=ok || poo=bad
rmmod pcwatch || lab_say "RESULT pcwatch-disarm FAIL rmmod"
dmesg | grep 'pcwatch:' | tail -n 5
# write to the page that was armed, through its linear-map address, from a module
lab_modprobe pcwatch_poke pfn=$pfn offset=0x100 || lab_say "RESULT pcwatch-disarm FAIL poke"
poked=$(cat /sys/module/pcwatch_poke/parameters/done 2>/dev/null)
lab_say "pte orig=$orig restored=$rest now=$now panic_on_oops=$poo poke=$poked"
if [ -n "$orig" ] && [ "$orig" = "$rest" ] && [ "$orig" = "$now" ] && [ $poo = ok ] && [ "$poked" = 1 ]; then
	lab_say "RESULT pcwatch-disarm PASS"
else
	lab_say "RESULT pcwatch-disarm FAIL orig=$orig restored=$rest now=$now poo=$poo poke=$poked"
fi
