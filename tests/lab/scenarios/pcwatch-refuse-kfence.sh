# Scenario pcwatch-refuse-kfence: pcwatch-refuse for kernels built with KFENCE and
# CONFIG_KFENCE_SAMPLE_INTERVAL=0 (Debian 6.12 arm64). There KFENCE may be enabled late, so
# arm64's can_set_direct_map() is true and the whole linear map is page-granular even with
# rodata=off: pcwatch rightly arms. A non-zero kfence.sample_interval= on the command line
# makes KFENCE's pool an early allocation (kfence_early_init), only that pool is page-mapped,
# and with rodata=off the rest of the linear map uses block mappings again: arming (with the
# no-kdump override) must fail with the clear message and change nothing.
# The body is pcwatch-refuse's; only the RESULT name differs.
# lab-capture: qemu
# lab-cmdline: rodata=off kfence.sample_interval=100
F=/data/firmware.bin
PW=/sys/kernel/debug/pcwatch

pcw_poweroff() {
	if type lab_poweroff >/dev/null 2>&1; then lab_poweroff; fi
	sync
	umount /dump 2>/dev/null
	poweroff -f
}

mount -t debugfs none /sys/kernel/debug 2>/dev/null
lab_say "cmdline: $(cat /proc/cmdline)"
poo0=$(cat /proc/sys/kernel/panic_on_oops)
lab_md5 $F
lab_modprobe pcwatch allow_no_kdump=1 || { lab_say "RESULT pcwatch-refuse-kfence FAIL insmod"; pcw_poweroff; }
if echo "arm path=$F" >$PW/control 2>/tmp/err; then rc=0; else rc=1; fi
lab_say "arm exit status $rc: $(cat /tmp/err)"
msg=$(sed -n 's/^last_error=//p' $PW/status)
lab_say "last_error: $msg"
armed=$(sed -n 's/^armed=\([0-9]*\) .*/\1/p' $PW/status)
entries=$(sed -n 's/^armed=[0-9]* entries=\([0-9]*\) .*/\1/p' $PW/status)
poo1=$(cat /proc/sys/kernel/panic_on_oops)
grep -v '^page' $PW/status
rmmod pcwatch
lab_md5 $F
# a block, or a contiguous-pte run (PTE_CONT: which one depends on where the file's first
# cached page lies in the linear map); both are refused with the same hint
case "$msg" in
*"block in the linear map"*rodata=full*debug_pagealloc=on*) okmsg=1 ;;
*"contiguous pte (PTE_CONT"*rodata=full*debug_pagealloc=on*) okmsg=1 ;;
*) okmsg=0 ;;
esac
if [ $rc = 1 ] && [ $okmsg = 1 ] && [ "$armed" = 0 ] && [ "$entries" = 0 ] && [ "$poo0" = "$poo1" ]; then
	lab_say "RESULT pcwatch-refuse-kfence PASS"
else
	lab_say "RESULT pcwatch-refuse-kfence FAIL rc=$rc msg_ok=$okmsg armed=$armed entries=$entries panic_on_oops $poo0 -> $poo1"
fi
pcw_poweroff
