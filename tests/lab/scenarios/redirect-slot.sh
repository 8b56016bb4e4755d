# Scenario redirect-slot: a deliberately redirected page-cache slot (samples/slot-redirect).
# /data/firmware.bin is read fully into the page cache and its pages recorded; then
# slot_redirect.ko replaces the i_pages slot of index J with the page of index K of the
# same file.  Slot J and slot K then hold the same page; J's own page (the orphan) still
# claims mapping = the file, index = J, but no slot points at it.  The guest crashes at
# once: reading the file through the page cache now is wrong (filemap_get_read_batch
# follows folio->index, a read starting at J can spin; see samples/slot-redirect).
# lab-capture: kdump
# lab-dumps: vmcore.kdump-d1:-l,-d,1 vmcore.kdump-d31:-l,-d,31 vmcore.elf-d1:-E,-d,1
F=/data/firmware.bin
J=7
K=9
SR=/sys/module/slot_redirect/parameters

cat $F >/dev/null
lab_md5 $F
# the pages' pfns must be recorded before the redirect: lab_watch_file maps the file and
# reads /proc/self/pagemap, which would follow the slot (index J would show K's page)
lab_watch_file $F
lab_watch_file /data/small.bin
lab_modprobe slot_redirect path=$F index=$J holds=$K || lab_crash
if [ "$(cat $SR/done 2>/dev/null)" != Y ]; then
	lab_say "slot_redirect did not redirect the slot"
	lab_crash
fi
lab_redirected_slot $F $J $K $(cat $SR/pfn_in_slot) $(cat $SR/orphan_pfn) \
	$(cat $SR/slot_addr) $(cat $SR/page_in_slot) $(cat $SR/orphan_page) $(cat $SR/mapping)
# consistency with the pfns lab_watch_file recorded before the redirect
pj=$(sed -n "s|^page $F $J ||p" $LAB_FACTS)
pk=$(sed -n "s|^page $F $K ||p" $LAB_FACTS)
if [ "$pj" = "$(cat $SR/orphan_pfn)" ] && [ "$pk" = "$(cat $SR/pfn_in_slot)" ]; then
	lab_say "redirect matches the recorded pages (J pfn $pj, K pfn $pk)"
else
	lab_say "redirect does NOT match the recorded pages: J $pj/$(cat $SR/orphan_pfn) K $pk/$(cat $SR/pfn_in_slot)"
fi
lab_crash
