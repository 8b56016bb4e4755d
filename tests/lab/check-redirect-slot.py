#!/usr/bin/python3
"""Independent check of a redirect-slot lab run (python3-libkdumpfile; drgn when importable).
usage: check-redirect-slot.py RUN_DIR    prints PASS:/FAIL:/SKIP: lines (tests/run protocol)

The truth says: slot J of the file's i_pages holds the page of index K (pfn_in_slot); the
page of index J (orphan_pfn) is in no slot.  In the full dumps: both pages hold their own
on-disk data, the slot (slot_addr) holds the struct page address of K's page, both struct
pages still name the file's mapping with their own index; drgn's XArray walk finds K's page
at index J and at index K; -d 31 excludes both pages (both still look like page cache)."""
import hashlib, json, os, re, sys

import kdumpfile
from kdumpfile import KDUMP_KVADDR, KDUMP_MACHPHYSADDR
from kdumpfile.exceptions import NoDataException

d = sys.argv[1]
t = json.load(open(os.path.join(d, "truth.json")))
tag = "lab/%s/%s" % (t["target"], t["scenario"])
fails = 0


def result(name, ok, why=""):
    global fails
    if ok:
        print("PASS: %s/%s" % (tag, name))
    else:
        fails += 1
        print("FAIL: %s/%s: %s" % (tag, name, why))


ps = t["page_size"]
rs = t.get("redirected_slot") or {}
fw = [f for f in t["files"] if f["path"] == rs.get("path")]
result("truth", bool(rs) and bool(fw) and rs["index"] != rs["now_holds_index"] and rs.get("slot_addr")
       and rs.get("mapping") and rs["pfn_in_slot"] != rs["orphan_pfn"],
       "truth.json lacks redirected_slot or the file's pages: %r" % rs)
if fails:
    sys.exit(1)
fw = fw[0]
pages = {p["index"]: p for p in fw["pages"]}
J, K = rs["index"], rs["now_holds_index"]
result("truth-pfns", pages[J]["pfn"] == rs["orphan_pfn"] and pages[K]["pfn"] == rs["pfn_in_slot"]
       and pages[J]["md5"] == rs["orphan_md5"] and pages[K]["md5"] == rs["md5_in_slot"],
       "files[] says J pfn %d K pfn %d" % (pages[J]["pfn"], pages[K]["pfn"]))


def open_dump(name):
    k = kdumpfile.kdumpfile(os.path.join(d, name))
    k.attr["addrxlat.ostype"] = "linux"
    return k


def u64(k, addr):
    return int.from_bytes(k.read(KDUMP_KVADDR, addr, 8), "little")


def vmcoreinfo_number(k, key):
    try:
        return int(k.attr["linux.vmcoreinfo.lines"][key], 0)
    except Exception:
        return None


slot, pin, porph, mapping = (int(rs[x], 16) for x in ("slot_addr", "page_in_slot", "orphan_page", "mapping"))
# makedumpfile's -d 1 pair, or the ELF copy of /proc/vmcore where makedumpfile refuses the
# kernel (LAB_KDUMP_COPY)
elf = "elf-copy" if "elf-copy" in t["dumps"] else "elf-d1"
for dump in (["elf-copy"] if elf == "elf-copy" else ["kdump-d1", "elf-d1"]):
    name = t["dumps"].get(dump)
    if not name:
        result("dump-" + dump, False, "no %s dump in truth.json" % dump)
        continue
    k = open_dump(name)
    try:
        a = hashlib.md5(k.read(KDUMP_MACHPHYSADDR, rs["pfn_in_slot"] * ps, ps)).hexdigest()
        b = hashlib.md5(k.read(KDUMP_MACHPHYSADDR, rs["orphan_pfn"] * ps, ps)).hexdigest()
        result("dump-%s-page-contents" % dump, a == rs["md5_in_slot"] and b == rs["orphan_md5"],
               "page in slot %s (disk page %d %s), orphan %s (disk page %d %s)"
               % (a, K, rs["md5_in_slot"], b, J, rs["orphan_md5"]))
    except Exception as e:
        result("dump-%s-page-contents" % dump, False, str(e))
    try:
        got = u64(k, slot)
        result("dump-%s-slot" % dump, got == pin and pin != porph,
               "slot %#x holds %#x, truth page_in_slot %#x" % (slot, got, pin))
    except Exception as e:
        result("dump-%s-slot" % dump, False, str(e))
    # struct page: ->mapping and ->index are untouched (OFFSET(page.mapping) from VMCOREINFO;
    # ->index follows ->mapping in every 64-bit struct page layout)
    om = vmcoreinfo_number(k, "OFFSET(page.mapping)")
    if om is None:
        result("dump-%s-struct-pages" % dump, False, "no OFFSET(page.mapping) in VMCOREINFO")
        continue
    try:
        got = [(u64(k, p + om), u64(k, p + om + 8)) for p in (pin, porph)]
        result("dump-%s-struct-pages" % dump, got == [(mapping, K), (mapping, J)],
               "page in slot (mapping, index) = (%#x, %d), orphan = (%#x, %d); mapping %#x"
               % (got[0][0], got[0][1], got[1][0], got[1][1], mapping))
    except Exception as e:
        result("dump-%s-struct-pages" % dump, False, str(e))
    bad = []
    for p in fw["pages"]:
        if p["index"] == J:
            continue
        try:
            if hashlib.md5(k.read(KDUMP_MACHPHYSADDR, p["pfn"] * ps, ps)).hexdigest() != p["md5"]:
                bad.append(p["index"])
        except Exception as e:
            bad.append("%d(%s)" % (p["index"], e))
    result("dump-%s-other-pages-match-disk" % dump, not bad, "%d pages differ: %s" % (len(bad), bad[:8]))

# drgn: walk the file's XArray from the mapping (independent of the module's slot address)
try:
    import drgn
    from drgn.helpers.linux.xarray import xa_load
    from drgn.helpers.linux.mm import page_to_pfn
except Exception as e:
    drgn = None
    print("SKIP: %s/drgn-xarray: drgn not importable (%s)" % (tag, e))
if drgn is not None:
    try:
        prog = drgn.Program()
        prog.set_core_dump(os.path.join(d, t["dumps"][elf]))
        prog.load_debug_info([os.path.join(d, "vmlinux")])
        m = drgn.Object(prog, "struct address_space", address=mapping)
        ent = {i: xa_load(m.i_pages.address_of_(), i).value_() for i in (J - 1, J, K)}
        pj1 = page_to_pfn(drgn.Object(prog, "struct page *", ent[J - 1])).value_()
        ino = m.host.i_ino.value_()
        # 5.10's read() at EOF leaves a zero-filled page past EOF in the cache
        past_eof = 1 if xa_load(m.i_pages.address_of_(), len(fw["pages"])).value_() else 0
        result("drgn-xarray", ent[J] == pin and ent[K] == pin and pj1 == pages[J - 1]["pfn"]
               and ino == fw["inode"] and m.nrpages.value_() == len(fw["pages"]) + past_eof,
               "xa_load: J-1 %#x (pfn %d), J %#x, K %#x; page_in_slot %#x; ino %d; nrpages %d"
               % (ent[J - 1], pj1, ent[J], ent[K], pin, ino, m.nrpages.value_()))
    except Exception as e:
        result("drgn-xarray", False, "drgn: %s" % e)

# -d 31: both pages look like page cache (mapping set, not anonymous), so both are excluded
name = t["dumps"].get("kdump-d31")
if name:
    k = open_dump(name)
    present = []
    for pfn in (rs["pfn_in_slot"], rs["orphan_pfn"]):
        try:
            k.read(KDUMP_MACHPHYSADDR, pfn * ps, ps)
            present.append(pfn)
        except NoDataException:
            pass
    result("dump-kdump-d31-excludes-both", not present, "pfns still present: %s" % present)

lab = [l[5:].strip() for l in open(os.path.join(d, "console.log"), errors="replace") if l.startswith("LAB: ")]
result("console", any(l.startswith("redirect matches the recorded pages") for l in lab)
       and any(re.match(r"crashing", l) for l in lab), "LAB lines: %s" % lab[-6:])
sys.exit(1 if fails else 0)
