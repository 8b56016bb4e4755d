#!/usr/bin/python3
"""Independent check of a stray-write lab run with python3-libkdumpfile.
usage: check-stray-write.py RUN_DIR    prints PASS:/FAIL: lines (tests/run protocol)"""
import hashlib, json, os, re, sys

import kdumpfile
from kdumpfile import KDUMP_KVADDR, KDUMP_MACHPHYSADDR
from kdumpfile.exceptions import NoDataException

d = sys.argv[1]
t = json.load(open(os.path.join(d, "truth.json")))
tag = "lab/%s/%s%s" % (t["target"], t["scenario"], "+qemu" if t.get("capture") == "qemu" else "")
fails = 0


def result(name, ok, why=""):
    global fails
    if ok:
        print("PASS: %s/%s" % (tag, name))
    else:
        fails += 1
        print("FAIL: %s/%s: %s" % (tag, name, why))


ps = t["page_size"]
fw = [f for f in t["files"] if f["path"] == "/data/firmware.bin"]
corr = t["corruption"]
result("truth", bool(fw) and len(corr) == 1 and t["writer"] == {"module": "stray_writer", "function": "stray_ip_newid"}
       and ps in (4096, 16384, 65536) and t["arch"] in ("arm64", "x86_64"),
       "truth.json lacks firmware.bin pages, the corruption or the writer")
if fails:
    sys.exit(1)
fw = fw[0]
c = corr[0]
after, before = bytes.fromhex(c["after"]), bytes.fromhex(c["before"])
result("truth-corruption-differs", after != before and len(after) == c["length"],
       "after %s == before %s" % (c["after"], c["before"]))


def open_dump(name):
    k = kdumpfile.kdumpfile(os.path.join(d, name))
    k.attr["addrxlat.ostype"] = "linux"
    return k


def vmcoreinfo_release(k):
    try:
        return k.attr["linux.vmcoreinfo.lines.OSRELEASE"]
    except Exception:
        return None


# the full dumps: QEMU's, or makedumpfile's -d 1 pair, or (a target whose makedumpfile refuses
# its kernel, LAB_KDUMP_COPY) the capture kernel's ELF copy of /proc/vmcore
full = (["qemu-elf"] if t.get("capture") == "qemu" else
        ["elf-copy"] if "elf-copy" in t["dumps"] else ["kdump-d1", "elf-d1"])
for dump in full:
    name = t["dumps"].get(dump)
    if not name:
        result("dump-" + dump, False, "no %s dump in truth.json" % dump)
        continue
    try:
        k = open_dump(name)
    except Exception as e:
        result("dump-" + dump, False, "libkdumpfile cannot open %s: %s" % (name, e))
        continue
    rel = vmcoreinfo_release(k)
    result("dump-%s-osrelease" % dump, rel == t["release"], "OSRELEASE %r != %r" % (rel, t["release"]))
    pa = c["pfn"] * ps
    try:
        page = k.read(KDUMP_MACHPHYSADDR, pa, ps)
        got = page[c["offset"]:c["offset"] + c["length"]]
        fixed = page[:c["offset"]] + before + page[c["offset"] + c["length"]:]
        disk_md5 = fw["pages"][c["index"]]["md5"]
        result("dump-%s-corrupted-bytes" % dump, got == after,
               "pfn %d +%#x holds %s, truth says %s" % (c["pfn"], c["offset"], got.hex(), c["after"]))
        result("dump-%s-rest-of-corrupted-page" % dump, hashlib.md5(fixed).hexdigest() == disk_md5,
               "corrupted page differs from disk beyond the recorded bytes")
        vb = k.read(KDUMP_KVADDR, int(c["vaddr"], 16) + c["offset"], c["length"])
        result("dump-%s-linear-map-vaddr" % dump, vb == after, "vaddr %s reads %s" % (c["vaddr"], vb.hex()))
    except Exception as e:
        result("dump-%s-corrupted-bytes" % dump, False, "read of pfn %d failed: %s" % (c["pfn"], e))
    bad = []
    for p in fw["pages"]:
        if p["index"] == c["index"]:
            continue
        try:
            data = k.read(KDUMP_MACHPHYSADDR, p["pfn"] * ps, ps)
            if hashlib.md5(data).hexdigest() != p["md5"]:
                bad.append(p["index"])
        except Exception as e:
            bad.append("%d(%s)" % (p["index"], e))
    result("dump-%s-other-pages-match-disk" % dump, not bad and len(fw["pages"]) * ps >= fw["size"],
           "%d pages differ: %s" % (len(bad), bad[:8]))

# where the stale pointer lives (truth "stale_pointer"): the slab object's field holds exactly
# the page's linear-map address, and the module global points at the object
sp = t.get("stale_pointer")
result("truth-stale-pointer", bool(sp) and int(sp["value"], 16) == int(c["vaddr"], 16)
       and sp["holder_module"] == "stray_writer" and sp["holder_symbol"] == "sess_table"
       and 0 <= sp["offset"] < 512 and sp["cache"] in (None, "kmalloc-512"),
       "stale_pointer %r, corrupted page vaddr %s" % (sp, c["vaddr"]))
if sp:
    obj, off, holder, value = int(sp["object"], 16), sp["offset"], int(sp["holder_addr"], 16), int(sp["value"], 16)
    for dump in full:
        name = t["dumps"].get(dump)
        if not name:
            continue
        try:
            k = open_dump(name)
            got_val = int.from_bytes(k.read(KDUMP_KVADDR, obj + off, 8), "little")
            got_obj = int.from_bytes(k.read(KDUMP_KVADDR, holder, 8), "little")
            magic = k.read(KDUMP_KVADDR, obj, 4)
            result("dump-%s-stale-pointer" % dump, got_val == value and got_obj == obj and magic == b"WANS",
                   "object %#x +%d holds %#x (want %#x), holder %#x holds %#x (want %#x), magic %r"
                   % (obj, off, got_val, value, holder, got_obj, obj, magic))
        except Exception as e:
            result("dump-%s-stale-pointer" % dump, False, "read failed: %s" % e)

# the data disk copies in the run directory: tree, tar and ext4 image agree with the truth
try:
    import subprocess, tarfile
    ok, why = True, []
    for key in ("data_image", "data_dir", "data_tar"):
        if not t.get(key) or not os.path.exists(os.path.join(d, t[key])):
            ok = False
            why.append("%s missing" % key)
    if ok:
        want = fw["md5"]
        dmd5 = hashlib.md5(open(os.path.join(d, t["data_dir"], "firmware.bin"), "rb").read()).hexdigest()
        with tarfile.open(os.path.join(d, t["data_tar"])) as tf:
            tmd5 = hashlib.md5(tf.extractfile("firmware.bin").read()).hexdigest()
        img = subprocess.run(["debugfs", "-R", "cat /firmware.bin", os.path.join(d, t["data_image"])],
                             capture_output=True).stdout
        imd5 = hashlib.md5(img).hexdigest()
        ok = dmd5 == tmd5 == imd5 == want
        why.append("md5 dir %s tar %s image %s truth %s" % (dmd5, tmd5, imd5, want))
    result("data-copies", ok, "; ".join(why))
except Exception as e:
    result("data-copies", False, str(e))

# -d 31 excludes page cache: the evidence must be gone
name = t["dumps"].get("kdump-d31")
if t["dumps"].get("kdump-d1"):
    if not name:
        result("dump-kdump-d31-excludes-page-cache", False, "no kdump-d31 dump")
    else:
        k = open_dump(name)
        present = []
        for p in fw["pages"]:
            try:
                k.read(KDUMP_MACHPHYSADDR, p["pfn"] * ps, ps)
                present.append(p["index"])
            except NoDataException:
                pass
        result("dump-kdump-d31-excludes-page-cache", not present,
               "%d firmware.bin pages still present (e.g. %s)" % (len(present), present[:5]))

# console: md5 OK -> writer -> md5 changes (and keeps changing) -> drop_caches -> OK -> changes again
lab = [l[5:].strip() for l in open(os.path.join(d, "console.log"), errors="replace") if l.startswith("LAB: ")]
seq = []
for l in lab:
    m = re.match(r"md5 /data/firmware.bin (\w+) (OK|CHANGED)", l)
    if m:
        seq.append((m.group(2), m.group(1)))
    elif l.startswith("insmod stray_writer"):
        seq.append(("WRITER", ""))
    elif l.startswith("drop_caches"):
        seq.append(("DROP", ""))
kinds = [s[0] for s in seq]
ok = False
why = "sequence %s" % kinds
try:
    w = kinds.index("WRITER")
    dr = kinds.index("DROP")
    pre = seq[:w]
    mid = seq[w + 1:dr]
    post = seq[dr + 1:]
    mid_md5s = [s[1] for s in mid if s[0] == "CHANGED"]
    i_ok = [i for i, s in enumerate(post) if s[0] == "OK"]
    later = [s[1] for s in post[i_ok[0] + 1:] if s[0] == "CHANGED"] if i_ok else []
    ok = (pre and all(s[0] == "OK" for s in pre) and len(mid_md5s) >= 2 and len(set(mid_md5s)) >= 2
          and post and post[0][0] == "OK" and len(later) >= 2 and len(set(later)) >= 2)
except ValueError:
    pass
result("console-symptom", ok, why)
sys.exit(1 if fails else 0)
