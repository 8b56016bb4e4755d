# Scenario pcwatch-nofp: no false positives (issue 3, test 3).  The firmware file is
# armed while the guest reads other files, drops caches and runs a memory-pressure
# loop for ~30 s; no oops may happen and every page stays armed and intact.
# Ends with a clean poweroff (no dump wanted; see docs/pcwatch.md).
# lab-capture: kdump
F=/data/firmware.bin
PW=/sys/kernel/debug/pcwatch
SECS=${PCW_NOFP_SECS:-30}

pcw_poweroff() {
	if type lab_poweroff >/dev/null 2>&1; then lab_poweroff; fi
	sync
	umount /dump 2>/dev/null
	poweroff -f
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_md5 $F
lab_modprobe pcwatch || { lab_say "RESULT pcwatch-nofp FAIL insmod"; pcw_poweroff; }
echo "arm path=$F readin=1" >$PW/control || { lab_say "RESULT pcwatch-nofp FAIL arm"; pcw_poweroff; }
n0=$(grep -c '^page .*state=armed' $PW/status)
lab_say "armed $n0 pages of $F; stressing for ${SECS}s"
end=$(($(date +%s) + SECS))
i=0
while [ $(date +%s) -lt $end ]; do
	for g in /data/*; do [ "$g" = $F ] || cat "$g" >/dev/null; done
	md5sum $F >/dev/null
	echo 3 >/proc/sys/vm/drop_caches
	# memory pressure: fill tmpfs with ~600 MiB, then free it (the 1 GiB guest reclaims)
	dd if=/dev/zero of=/tmp/fill bs=1M count=600 2>/dev/null
	rm -f /tmp/fill
	echo 1 >/proc/sys/vm/compact_memory 2>/dev/null
	i=$((i + 1))
done
lab_say "stress: $i rounds"
n1=$(grep -c '^page .*state=armed' $PW/status)
bad=$(grep '^page .*state=armed' $PW/status | awk '{ a = ""; n = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^md5_arm=/) a = substr($i, 9); if ($i ~ /^md5_now=/) n = substr($i, 9) } if (a != n) c++ } END { print c + 0 }')
moved=$(grep '^page .*state=armed' $PW/status | grep -vc 'pte_now=0x[0-9a-f]* ' || true)
hits=$(sed -n 's/^armed=.* hits=\([0-9]*\)$/\1/p' $PW/status)
lab_md5 $F
lab_say "after: armed $n1 (before $n0), md5 mismatches $bad, hits $hits"
grep -v '^page' $PW/status
if [ "$n0" -gt 0 ] && [ "$n1" = "$n0" ] && [ "$bad" = 0 ] && [ "$hits" = 0 ] && [ "$LAB_MD5" = "$(grep " $F\$" /lab/expected.md5 | cut -d' ' -f1)" ]; then
	lab_say "RESULT pcwatch-nofp PASS"
else
	lab_say "RESULT pcwatch-nofp FAIL"
fi
echo "disarm all" >$PW/control
rmmod pcwatch
pcw_poweroff
