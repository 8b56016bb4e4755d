# Scenario pcwatch-folio: in a large folio (tmpfs huge=always: order-9 folios) pcwatch
# protects exactly the requested base page.  A write to the neighbouring base page of the
# same folio succeeds; the armed page stays armed and intact.  Ends with a clean poweroff.
# lab-capture: kdump
PW=/sys/kernel/debug/pcwatch

pcw_poweroff() {
	if type lab_poweroff >/dev/null 2>&1; then lab_poweroff; fi
	sync
	umount /dump 2>/dev/null
	poweroff -f
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
mkdir -p /mnt/huge
mount -t tmpfs -o huge=always,size=64M none /mnt/huge || lab_say "huge tmpfs mount failed"
dd if=/data/firmware.bin of=/mnt/huge/f bs=1M count=4 2>/dev/null
lab_modprobe pcwatch || { lab_say "RESULT pcwatch-folio FAIL insmod"; pcw_poweroff; }
echo "arm path=/mnt/huge/f offset=$((5 * 4096)) length=4096" >$PW/control || lab_say "arm failed"
st=$(grep '^page .*state=armed' $PW/status)
lab_say "armed: $st"
n=$(grep -c '^page .*state=armed' $PW/status)
order=$(echo "$st" | sed -n 's/.* order=\([0-9]*\) .*/\1/p')
pfn=$(echo "$st" | sed -n 's/.* pfn=\(0x[0-9a-f]*\) .*/\1/p')
idx=$(echo "$st" | sed -n 's/.* index=\([0-9]*\) .*/\1/p')
# the base page before it belongs to the same folio: it must stay writable
lab_modprobe pcwatch_poke pfn=$((pfn - 1)) offset=0x100 || lab_say "poke failed"
poked=$(cat /sys/module/pcwatch_poke/parameters/done 2>/dev/null)
st2=$(grep "^page .*pfn=$pfn " $PW/status)
same=$(echo "$st2" | awk '{ for (i = 1; i <= NF; i++) { if ($i ~ /^md5_arm=/) a = substr($i, 9); if ($i ~ /^md5_now=/) b = substr($i, 9) } print (a == b && a != "") ? 1 : 0 }')
hits=$(sed -n 's/^armed=.* hits=\([0-9]*\)$/\1/p' $PW/status)
lab_say "folio order $order, armed $n page(s) (index $idx pfn $pfn), neighbour write ok=$poked, intact=$same, hits=$hits"
echo "disarm all" >$PW/control
rmmod pcwatch
if [ "$n" = 1 ] && [ "${order:-0}" -gt 0 ] && [ "$idx" = 5 ] && [ "$poked" = 1 ] && [ "$same" = 1 ] && [ "$hits" = 0 ]; then
	lab_say "RESULT pcwatch-folio PASS"
else
	lab_say "RESULT pcwatch-folio FAIL"
fi
pcw_poweroff
