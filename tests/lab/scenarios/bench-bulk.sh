# Scenario bench-bulk (issue 8, `make bench` only, not in `make check`): about
# 1.08 GiB of file data in the page cache for the `pcsleuth verify` benchmark.
# 170 files in a tmpfs, /mnt/bulk/f000.txt .. f169.txt, each the output of
# `seq 1 1000000` (6888896 bytes of text: deterministic, the host regenerates it
# with seq, and compressible like real file data; each page is still its own page
# in the dump), then 4 bytes of page 1234 of f085.txt are overwritten so that
# verify has one finding.
# lab-capture: kdump
# lab-mem: 2560
# lab-dumps: vmcore.kdump-d1:-c,-d,1
D=/mnt/bulk
N=170
mkdir -p $D
mount -t tmpfs -o size=1300M none $D || lab_say "tmpfs mount failed"
seq 1 1000000 >$D/f000.txt
lab_fact bulk_md5 $(md5sum $D/f000.txt | cut -d' ' -f1)
i=1
while [ $i -lt $N ]; do
	cp $D/f000.txt $D/f$(printf %03d $i).txt
	i=$((i + 1))
done
lab_say "bulk files written: $(du -sk $D | cut -f1) KiB"
printf 'BAD!' | dd of=$D/f085.txt bs=1 seek=$((1234 * LAB_PAGESIZE + 0x64)) conv=notrunc 2>/dev/null
lab_corruption $D/f085.txt 1234 0x64 4
lab_fact bulk_files $N
grep -i 'MemTotal\|MemFree\|Shmem:' /proc/meminfo | while read -r l; do lab_say "$l"; done
lab_crash
