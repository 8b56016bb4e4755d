# pcsleuth lab guest library (busybox sh), sourced by /init and by scenarios.
#
# Scenario API (tests/lab/scenarios/NAME.sh runs with this sourced, cwd /):
#   lab_say MSG...                 print "LAB: MSG" on the console (and the kernel log)
#   lab_modprobe NAME [ARG=VAL...] insmod /lab/modules/NAME.ko (any module built from
#                                  samples/*/ or capture-kmod/) with parameters
#   lab_md5 PATH                   md5 of PATH through the page cache; prints
#                                  "LAB: md5 PATH MD5 OK|CHANGED (disk MD5)"; sets LAB_MD5
#   lab_drop_caches                sync; echo 3 > /proc/sys/vm/drop_caches (logged)
#   lab_watch_file PATH            record PATH (size, inode) and every page's pfn in the truth
#                                  (pages are read into the page cache; linear-map VA from labaddr)
#   lab_corruption PATH INDEX OFFSET LENGTH
#                                  record corruption: bytes now in the page cache are 'after',
#                                  the host fills 'before' from the on-disk file
#   lab_writer MODULE FUNCTION     record who wrote
#   lab_stale_pointer OBJECT OFFSET CACHE HOLDER_MODULE HOLDER_SYMBOL HOLDER_ADDR VALUE
#                                  record where the stale pointer lives: VALUE (the stale VA)
#                                  is stored at OBJECT+OFFSET, a slab object of CACHE ("" or
#                                  - if unknown), and HOLDER_MODULE's global HOLDER_SYMBOL at
#                                  HOLDER_ADDR points at OBJECT (addresses hex, OFFSET decimal)
#   lab_redirected_slot PATH INDEX HOLDS PFN_IN_SLOT ORPHAN_PFN [SLOT_ADDR PAGE_IN_SLOT ORPHAN_PAGE MAPPING]
#                                  record a redirected page-cache slot: the i_pages slot of
#                                  INDEX holds the page of index HOLDS (PFN_IN_SLOT); the page
#                                  of INDEX (ORPHAN_PFN) is in no slot; optional addresses (hex)
#                                  of the slot, the two struct pages and the address_space
#   lab_fact KEY VALUE...          free-form fact, lands in truth.json "facts"
#   lab_crash                      flush the truth and panic (sysrq c): the capture follows
#   lab_poweroff                   flush the truth and power off cleanly (no crash): a kdump run
#                                  then has no vmcores and tests/lab/run still succeeds; a qemu
#                                  capture run dumps the stopped guest
# Files: /data = ext4 data disk (firmware.bin etc.), /dump = dump disk (do not fill it),
#        /lab/expected.md5 = on-disk md5s computed by the host.

LAB_FACTS=/dump/facts.txt

lab_say() {
	echo "LAB: $*"
	echo "<7>LAB: $*" >/dev/kmsg 2>/dev/null
}

lab_fact() {
	echo "$*" >>$LAB_FACTS
}

lab_load_kmods() {
	local m
	for m in $(cat /lab/kmods.order); do
		insmod /lab/kmods/$m.ko 2>/dev/null
	done
}

lab_modprobe() {
	local name=$1
	shift
	if [ ! -e /lab/modules/$name.ko ]; then
		lab_say "module $name not built"
		return 1
	fi
	lab_say "insmod $name $*"
	insmod /lab/modules/$name.ko "$@"
}

# lab_find_disk SERIAL: print /dev/vdX whose virtio serial is SERIAL
lab_find_disk() {
	local b
	for b in /sys/block/vd*; do
		[ "$(cat $b/serial 2>/dev/null)" = "$1" ] && { echo /dev/${b##*/}; return 0; }
	done
	return 1
}

lab_mount_disks() {
	local d i=0
	while [ $i -lt 50 ]; do
		lab_find_disk labdump >/dev/null && break
		sleep 0.1
		i=$((i + 1))
	done
	d=$(lab_find_disk labdump) && mount -t ext4 $d /dump || lab_say "no dump disk"
	if [ "$1" != dump-only ]; then
		d=$(lab_find_disk labdata) && mount -t ext4 -o ro $d /data || lab_say "no data disk"
	fi
}

lab_md5() {
	local m disk st
	m=$(md5sum "$1" | cut -d' ' -f1)
	disk=$(grep " $1\$" /lab/expected.md5 | cut -d' ' -f1)
	st=CHANGED
	[ "$m" = "$disk" ] && st=OK
	LAB_MD5=$m
	lab_say "md5 $1 $m $st (disk $disk)"
}

lab_drop_caches() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	lab_say "drop_caches done"
}

lab_watch_file() {
	/lab/labtool pages "$1" >/tmp/pages.$$ || { lab_say "labtool pages $1 failed"; return 1; }
	sed "s|^file |file $1 |; s|^page |page $1 |" /tmp/pages.$$ >>$LAB_FACTS
	rm -f /tmp/pages.$$
}

lab_corruption() {
	local after
	after=$(/lab/labtool hex "$1" $(($2 * LAB_PAGESIZE + $3)) $4)
	lab_fact corruption "$1" $2 $3 $4 $after
	lab_say "corruption $1 page $2 +$3 len $4 now $after"
}

lab_writer() {
	lab_fact writer "$1" "$2"
}

lab_stale_pointer() {
	lab_fact stale_pointer "$1" "$2" "${3:--}" "$4" "$5" "$6" "$7"
	lab_say "stale pointer $7 at $1+$2 (${3:-unknown cache} object), held by $4:$5 at $6"
}

lab_redirected_slot() {
	lab_fact redirected_slot "$@"
	lab_say "redirected slot: $1 index $2 holds the page of index $3 (pfn $4); orphan pfn $5"
}

lab_crash() {
	lab_say "crashing (capture: $LAB_CAPTURE)"
	sync
	umount /dump
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
	sleep 30
}

lab_poweroff() {
	lab_fact end poweroff
	lab_say "powering off (capture: $LAB_CAPTURE)"
	sync
	umount /dump
	poweroff -f
	sleep 30
}

lab_cmdline_arg() {
	local a
	for a in $(cat /proc/cmdline); do
		case "$a" in "$1"=*) echo "${a#*=}"; return 0 ;; esac
	done
	return 1
}

lab_kexec_p() {
	kexec -p -i /boot/vmlinuz --initrd=/boot/capture.cpio --append="$1" ||
		kexec -p /boot/vmlinuz --initrd=/boot/capture.cpio --append="$1"
}

lab_load_crash_kernel() {
	local cmd st
	cmd="console=$(lab_cmdline_arg console) nr_cpus=1 maxcpus=1 reset_devices panic=5 pcsleuth_capture $(cat /lab/capture-cmdline)"
	if [ -e /lab/kallsyms-fix ]; then
		# Debian arm64 has CONFIG_KALLSYMS_ALL=n: kexec-tools needs _text and __init_begin;
		# add them at their System.map distance from _stext (see docs/lab.md)
		/lab/labtool kallsyms-fix /lab/kallsyms-fix >/tmp/kallsyms
		mount --bind /tmp/kallsyms /proc/kallsyms
		lab_kexec_p "$cmd"
		st=$?
		umount /proc/kallsyms
	else
		lab_kexec_p "$cmd"
		st=$?
	fi
	[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ] && lab_say "crash kernel loaded" || lab_say "crash kernel NOT loaded ($st)"
}

lab_first_main() {
	LAB_CAPTURE=$(lab_cmdline_arg lab.capture || echo kdump)
	lab_mount_disks
	rm -f $LAB_FACTS
	LAB_PAGESIZE=$(/lab/labtool pagesize)
	lab_fact release "$(uname -r)"
	lab_fact machine "$(uname -m)"
	lab_fact pagesize $LAB_PAGESIZE
	lab_fact capture $LAB_CAPTURE
	if insmod /lab/labaddr.ko 2>/dev/null; then
		lab_fact linear_delta $(cat /sys/module/labaddr/parameters/linear_delta)
	fi
	if [ "$LAB_CAPTURE" = kdump ]; then
		lab_load_crash_kernel
	fi
	lab_say "scenario $(cat /lab/scenario.name) start"
	[ -r /lab/scenario.sh ] && . /lab/scenario.sh
	lab_say "scenario returned without crashing; crashing now"
	lab_crash
}

lab_capture_main() {
	local t0 ok=1
	lab_say "capture kernel up; vmcore $(stat -c %s /proc/vmcore 2>/dev/null) bytes"
	lab_mount_disks dump-only
	for spec in $(cat /lab/dumps); do
		# spec: NAME:ARGS (makedumpfile ARGS with commas for spaces), or NAME:copy (the ELF
		# /proc/vmcore itself, zero blocks as holes: for kernels makedumpfile refuses)
		name=${spec%%:*}
		args=$(echo "${spec#*:}" | tr , ' ')
		t0=$(date +%s)
		if [ "$args" = copy ]; then
			if /lab/labtool copy-sparse /proc/vmcore /dump/$name >/dump/$name.log 2>&1; then
				lab_say "copy /proc/vmcore -> $name ok ($(( $(date +%s) - t0 ))s)"
			else
				ok=0
				lab_say "copy /proc/vmcore -> $name FAILED"
				tail -n 5 /dump/$name.log
			fi
		elif makedumpfile $args /proc/vmcore /dump/$name >/dump/$name.log 2>&1; then
			lab_say "makedumpfile $args -> $name ok ($(( $(date +%s) - t0 ))s)"
		else
			ok=0
			lab_say "makedumpfile $args -> $name FAILED"
			tail -n 5 /dump/$name.log
		fi
	done
	if ! vmcore-dmesg /proc/vmcore >/dump/dmesg.txt 2>/dump/dmesg.err; then
		# kexec-tools before 2.0.21 (bullseye) cannot read 5.10's lockless printk ring;
		# that makedumpfile can (Debian's 1.6.8-4 carries the fix)
		rm -f /dump/dmesg.txt
		makedumpfile --dump-dmesg /proc/vmcore /dump/dmesg.txt >>/dump/dmesg.err 2>&1 ||
			lab_say "vmcore-dmesg failed"
	fi
	[ $ok = 1 ] && echo done >/dump/capture.done
	sync
	umount /dump
	lab_say "capture done"
	poweroff -f
}
