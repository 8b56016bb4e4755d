# Scenario pcwatch-stress: pcwatch under stress in one boot (issue 10).
#  1. arm/disarm loop on the firmware file (128-, 32- and 1-page ranges; each round: arm,
#     check no hit, disarm all, check every entry restored, reset) while other processes
#     read it (dd, cat, md5sum loops) and a churn loop drops caches, compacts memory and
#     fills ~300 MiB of tmpfs (memory pressure);
#  2. arming many files at once: the data disk's files plus tmpfs files up to pcwatch's
#     16-file limit (a 17th must be refused cleanly), held armed under the same churn;
#  3. every watched page's original linear-map entry goes to /dump/pcw-stress-pages.txt,
#     then rmmod while armed, then a deliberate crash (sysrq c): the host walks the linear
#     map of the vmcore for every recorded address (tests/pcwatch/t-pcwatch-stress).
# Zero false hits: the status hit counter must stay 0 throughout. Guest time ~1-2 min (TCG).
# lab-capture: kdump
# lab-dumps: vmcore.kdump-d31:-l,-d,31
F=/data/firmware.bin
PW=/sys/kernel/debug/pcwatch
SECS=${PCW_STRESS_SECS:-30}
HOLD=${PCW_STRESS_HOLD:-10}
STOP=/tmp/pcw-stop
OUT=/dump/pcw-stress-pages.txt
fail=""

pcw_bad() {
	fail="$fail $1"
	lab_say "stress: FAIL $*"
}

# the status is read once per step (each read hashes every armed page: slow under TCG)
ST=/tmp/pcw-status
pcw_status() {
	cat $PW/status >$ST || pcw_bad "status unreadable"
	grep -q '^armed=' $ST || pcw_bad "status without its armed= line"
}
pcw_hits() { sed -n 's/^armed=.* hits=\([0-9]*\)$/\1/p' $ST; }
pcw_armed() { sed -n 's/^armed=\([0-9]*\) .*/\1/p' $ST; }

pcw_ctl() {
	echo "$1" >$PW/control 2>/dev/null || {
		pcw_bad "command '$1': $(sed -n 's/^last_error=//p' $PW/status)"
		return 1
	}
}

# the file stays intact, however often it is read while armed
pcw_reader_md5() {
	while [ ! -e $STOP ]; do
		md5sum $F | cut -d' ' -f1 >>/tmp/pcw-md5s
	done
}

pcw_reader_dd() {
	while [ ! -e $STOP ]; do
		dd if=$F of=/dev/null bs=64k 2>/dev/null
		cat /data/small.bin /data/config.ini /data/README.txt >/dev/null
		echo x >>/tmp/pcw-dd
	done
}

# page-cache and memory churn: drop_caches, compaction (migration), tmpfs fill
pcw_churn() {
	local n=0
	while [ ! -e $STOP ]; do
		echo 3 >/proc/sys/vm/drop_caches
		echo 1 >/proc/sys/vm/compact_memory 2>/dev/null
		if [ $((n % 4)) = 3 ]; then
			dd if=/dev/zero of=/mnt/fill/f bs=1M count=300 2>/dev/null
			rm -f /mnt/fill/f
		fi
		n=$((n + 1))
		echo $n >/tmp/pcw-churn
		sleep 0.2
	done
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
expect=$(grep " $F\$" /lab/expected.md5 | cut -d' ' -f1)
lab_modprobe pcwatch || { lab_say "RESULT pcwatch-stress FAIL insmod"; lab_crash; }
grep -v '^page' $PW/status

# ---- 1. arm/disarm loop under readers and churn (the fill has its own tmpfs: a full
# root file system would fail the scenario's own files)
mkdir -p /mnt/fill
mount -t tmpfs -o size=310m none /mnt/fill
rm -f $STOP /tmp/pcw-md5s /tmp/pcw-dd /tmp/pcw-churn
pcw_reader_md5 &
pcw_reader_dd &
pcw_churn &
t0=$(date +%s)
end=$((t0 + SECS))
i=0 armed_total=0
while [ $(date +%s) -lt $end ]; do
	# sub-ranges (the whole file is armed in step 2: on x86 under this load arming
	# 1536 pages takes ~25 s, each page a set_memory_ro with its TLB flush)
	case $((i % 3)) in
	0) req="arm path=$F offset=$(((i * 37 % 1400) * 4096)) length=$((128 * 4096)) readin=1" ;;
	1) req="arm path=$F offset=$(((i * 53 % 1500) * 4096)) length=$((32 * 4096)) readin=1" ;;
	2) req="arm path=$F offset=$(((i * 11 % 1536) * 4096)) length=4096 readin=1" ;;
	esac
	pcw_ctl "$req" || break
	pcw_status
	n=$(pcw_armed)
	armed_total=$((armed_total + n))
	[ "$n" -gt 0 ] || pcw_bad "round $i: nothing armed by '$req'"
	# let the readers and the churn run against the armed pages for a moment
	sleep 0.3
	pcw_status
	h=$(pcw_hits)
	[ "$h" = 0 ] || { pcw_bad "round $i: hits '$h' while only reading"; break; }
	pcw_ctl "disarm all" || break
	pcw_status
	[ "$(pcw_armed)" = 0 ] || pcw_bad "round $i: $(pcw_armed) still armed after disarm all"
	nd=$(grep -c '^page .*state=disarmed' $ST)
	ok=$(grep '^page .*state=disarmed' $ST | grep -c 'restore=exact\|restore=rw-split')
	st=$(grep -c '^page .*state=stuck' $ST)
	[ "$nd" = "$n" ] && [ "$ok" = "$n" ] && [ "$st" = 0 ] ||
		pcw_bad "round $i: armed $n, disarmed $nd, restored $ok, stuck $st"
	pcw_ctl reset || break
	i=$((i + 1))
done
t1=$(date +%s)
lab_say "stress: arm/disarm $i rounds, $armed_total pages armed in all, $((t1 - t0))s," \
	"reader rounds md5 $(wc -l </tmp/pcw-md5s) dd $(wc -l </tmp/pcw-dd), churn rounds $(cat /tmp/pcw-churn)"
lab_fact pcw_stress_rounds $i
lab_fact pcw_stress_pages_armed $armed_total

# ---- 2. many files at once (pcwatch keeps at most 16): the data disk's files + tmpfs files
mkdir -p /mnt/pcw
mount -t tmpfs -o size=64m none /mnt/pcw
nf=0
for g in /data/*; do
	[ -f "$g" ] || continue
	pcw_ctl "arm path=$g readin=1" && nf=$((nf + 1))
done
j=0
while [ $nf -lt 16 ]; do
	dd if=/dev/urandom of=/mnt/pcw/f$j bs=4096 count=$((8 + j * 3)) 2>/dev/null
	pcw_ctl "arm path=/mnt/pcw/f$j readin=1" && nf=$((nf + 1))
	j=$((j + 1))
	[ $j -lt 32 ] || break
done
dd if=/dev/urandom of=/mnt/pcw/extra bs=4096 count=4 2>/dev/null
if echo "arm path=/mnt/pcw/extra readin=1" >$PW/control 2>/dev/null; then
	pcw_bad "a 17th file was armed"
else
	lab_say "stress: 17th file refused: $(sed -n 's/^last_error=//p' $PW/status)"
fi
pcw_status
files=$(sed -n 's/^armed=.* files=\([0-9]*\) .*/\1/p' $ST)
n=$(pcw_armed)
lab_say "stress: $nf files armed at once (status files=$files), $n pages; holding ${HOLD}s under churn"
sleep $HOLD
touch $STOP
wait
pcw_status
h=$(pcw_hits)
[ "$h" = 0 ] || pcw_bad "hits '$h' while many files were armed"
[ "$(pcw_armed)" = "$n" ] || pcw_bad "armed pages changed: $n -> $(pcw_armed)"
bad=$(grep '^page .*state=armed' $ST | awk '{ a = ""; m = ""; for (i = 1; i <= NF; i++) { if ($i ~ /^md5_arm=/) a = substr($i, 9); if ($i ~ /^md5_now=/) m = substr($i, 9) } if (a != m) c++ } END { print c + 0 }')
[ "$bad" = 0 ] || pcw_bad "$bad armed pages changed content"
mism=$(grep -vc "^$expect\$" /tmp/pcw-md5s)
[ "$mism" = 0 ] || pcw_bad "$mism of $(wc -l </tmp/pcw-md5s) md5sum reads of $F differ from the disk"
lab_fact pcw_stress_files $nf
lab_fact pcw_stress_final_pages $n

# ---- 3. record the original entries, rmmod while armed, crash for the dump
grep '^page ' $ST | awk '{ s = ""; for (i = 1; i <= NF; i++) if ($i ~ /^(state|pfn|va|pte_orig|pte_armed|level)=/) s = s " " $i; print substr(s, 2) }' >$OUT
lab_say "stress: $(wc -l <$OUT) watched pages recorded in ${OUT#/dump/}; rmmod while armed"
grep -v '^page' $ST
rmmod pcwatch || pcw_bad "rmmod failed"
[ -e /sys/module/pcwatch ] && pcw_bad "pcwatch still loaded"
# (each restored entry is on the console as "pcwatch: pfn .. pte .. restored (orig ..)":
# the host compares them; the kernel log buffer is too small to hold them all)
dmesg | grep 'pcwatch:' | grep -v ' restored (orig ' | tail -n 4
if [ -z "$fail" ] && [ "$h" = 0 ]; then
	lab_say "RESULT pcwatch-stress PASS"
else
	lab_say "RESULT pcwatch-stress FAIL:$fail"
fi
lab_crash
