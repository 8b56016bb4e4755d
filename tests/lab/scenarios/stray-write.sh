# Scenario stray-write: the seed case (see docs/lab.md).
# Runs in the guest (busybox sh) with /lab/lib.sh sourced.
# lab-capture: kdump
F=/data/firmware.bin
IDX=3
OFF=0x6a6
SW=/sys/module/stray_writer/parameters

lab_md5 $F
lab_md5 $F
lab_modprobe stray_writer path=$F index=$IDX offset=$OFF period_ms=20 || lab_crash
lab_say "stray_writer target pfn $(cat $SW/target_pfn) vaddr $(printf 0x%x $(cat $SW/target_vaddr) 2>/dev/null || cat $SW/target_vaddr)"
for i in 1 2 3; do
	sleep 1
	lab_md5 $F
done
# the page is about to be freed by drop_caches: stop writing through the stale
# pointer so it does not scribble on whatever reuses the page (see docs/lab.md)
echo 1 >$SW/paused
sleep 1
lab_drop_caches
lab_md5 $F
lab_md5 $F
# the file's data is back in the page cache (in new pages); the driver is handed the
# page again ("rearm") and keeps only a raw pointer, as before
echo 1 >$SW/rearm
echo 0 >$SW/paused
lab_say "stray_writer re-armed: pfn $(cat $SW/target_pfn)"
for i in 1 2 3; do
	sleep 1
	lab_md5 $F
done
# freeze the writer so the dump holds exactly what the truth says
echo 1 >$SW/paused
sleep 1
lab_say "stray_writer paused after $(cat $SW/writes) writes, last id $(cat $SW/last_id)"
lab_watch_file $F
lab_watch_file /data/small.bin
lab_corruption $F $IDX $OFF 2
lab_writer stray_writer stray_ip_newid
lab_fact stray_writer_target_pfn $(cat $SW/target_pfn)
lab_fact stray_writer_target_vaddr $(cat $SW/target_vaddr)
# where the stale pointer lives: the hdr field of a kmalloc'ed struct wan_sess that the
# module global sess_table[0] points at (as in the seed's wan module)
lab_stale_pointer $(cat $SW/sess_obj) $(cat $SW/sess_hdr_offset) "$(cat $SW/sess_cache)" \
	stray_writer sess_table $(cat $SW/sess_holder) $(cat $SW/sess_hdr)
# the kernel's own word on the object (kmem_dump_obj at load / rearm)
kdo=$(dmesg | sed -n 's/.*stray_writer: sess_table\[0\]->hdr: *//p' | tail -n1)
[ -z "$kdo" ] || lab_fact stray_writer_kmem_dump_obj $kdo
lab_say "kmem_dump_obj: ${kdo:-none}"
lab_crash
