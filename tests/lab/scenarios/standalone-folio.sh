# Scenario standalone-folio (issue 4, pcsleuth): a copy of the firmware file in
# tmpfs mounted huge=always, so its page cache is order-9 (2 MiB) folios, plus one
# injected 2-byte change, for `pcsleuth md5` on large folios (one row per base
# page, folio head and order, the change at its exact offset).
# lab-capture: kdump
# lab-dumps: vmcore.kdump-d1:-l,-d,1
F=/mnt/huge/firmware.bin
mkdir -p /mnt/huge
mount -t tmpfs -o huge=always,size=64M none /mnt/huge || lab_say "huge tmpfs mount failed"
cp /data/firmware.bin $F
lab_md5 $F
# a 2-byte change at byte 517 * 4096 + 0x6a6, inside the file whatever the page size: page 517
# with 4K pages (inside the second 2 MiB folio), page 129 with 16K pages (the whole 6 MiB file
# lies in one 32 MiB folio), page 32 with 64K pages
P=$((517 * 4096 / LAB_PAGESIZE))
printf '\125\252' | dd of=$F bs=1 seek=$((P * LAB_PAGESIZE + 0x6a6)) conv=notrunc 2>/dev/null
lab_watch_file $F
lab_corruption $F $P 0x6a6 2
lab_fact folio_file $F
grep -i 'AnonHugePages\|ShmemHugePages\|FileHugePages' /proc/meminfo | while read -r l; do lab_say "$l"; done
lab_crash
