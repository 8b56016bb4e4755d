#!/usr/bin/python3
"""Build truth.json from the guest's facts.txt and the host's copy of the data disk.
usage: mktruth.py FACTS DATADIR TARGET SCENARIO TRUTH_ARCH OUTDIR"""
import hashlib, json, os, sys

facts, datadir, target, scenario, arch, outdir = sys.argv[1:7]
t = {"target": target, "scenario": scenario, "release": None, "arch": arch,
     "page_size": None, "capture": None, "dumps": {}, "files": [], "corruption": [], "writer": None,
     "stale_pointer": None, "redirected_slot": None, "data_image": None, "data_dir": None,
     "data_tar": None, "facts": []}
files = {}
order = []
corr = []
stale = None
redirect = None
delta = None
for line in open(facts):
    w = line.split()
    if not w:
        continue
    k = w[0]
    if k == "release":
        t["release"] = w[1]
    elif k == "pagesize":
        t["page_size"] = int(w[1])
    elif k == "linear_delta":
        delta = int(w[1], 0)
    elif k == "file":
        path = w[1]
        files[path] = {"path": path, "size": int(w[2]), "inode": int(w[3]), "pages": {}}
        if path not in order:
            order.append(path)
    elif k == "page":
        files[w[1]]["pages"][int(w[2])] = int(w[3])
    elif k == "corruption":
        corr.append(w[1:])
    elif k == "capture":
        t["capture"] = w[1]
    elif k == "writer":
        t["writer"] = {"module": w[1], "function": w[2]}
    elif k == "stale_pointer":
        stale = w[1:]
    elif k == "redirected_slot":
        redirect = w[1:]
    else:
        t["facts"].append(line.rstrip("\n"))

ps = t["page_size"]


def host_path(p):
    if not p.startswith("/data/"):
        return None
    return os.path.join(datadir, p[len("/data/"):])


def addr(pfn):
    paddr = pfn * ps
    va = None if delta is None else "0x%x" % ((paddr + delta) & 0xFFFFFFFFFFFFFFFF)
    return {"pfn": pfn, "paddr": "0x%x" % paddr, "vaddr": va}


for path in order:
    f = files[path]
    hp = host_path(path)
    data = open(hp, "rb").read() if hp and os.path.exists(hp) else None
    out = {"path": path, "size": f["size"], "inode": f["inode"],
           "md5": hashlib.md5(data).hexdigest() if data is not None else None, "pages": []}
    for idx in sorted(f["pages"]):
        pg = {"index": idx,
              "md5": hashlib.md5(data[idx * ps:(idx + 1) * ps]).hexdigest() if data is not None else None}
        pg.update(addr(f["pages"][idx]))
        out["pages"].append(pg)
    t["files"].append(out)

for path, idx, off, length, after in corr:
    idx, off, length = int(idx), int(off, 0), int(length, 0)
    hp = host_path(path)
    before = None
    if hp and os.path.exists(hp):
        with open(hp, "rb") as fh:
            fh.seek(idx * ps + off)
            before = fh.read(length).hex()
    c = {"path": path, "index": idx, "offset": off, "length": length, "before": before, "after": after}
    pfn = files.get(path, {}).get("pages", {}).get(idx)
    c.update(addr(pfn) if pfn is not None else {"pfn": None, "paddr": None, "vaddr": None})
    t["corruption"].append(c)


def hexaddr(x):
    return "0x%x" % int(x, 0)  # the guest reports addresses as 0x... (or decimal)


if stale:
    # stale_pointer OBJECT OFFSET CACHE HOLDER_MODULE HOLDER_SYMBOL HOLDER_ADDR VALUE
    obj, off, cache, hmod, hsym, haddr, value = stale[:7]
    t["stale_pointer"] = {"object": hexaddr(obj), "offset": int(off, 0),
                          "cache": None if cache in ("-", "") else cache,
                          "holder_module": hmod, "holder_symbol": hsym, "holder_addr": hexaddr(haddr),
                          "value": hexaddr(value)}

if redirect:
    # redirected_slot PATH INDEX HOLDS PFN_IN_SLOT ORPHAN_PFN [SLOT_ADDR PAGE_IN_SLOT ORPHAN_PAGE MAPPING]
    path, j, k, pin, porph = redirect[0], int(redirect[1]), int(redirect[2]), int(redirect[3]), int(redirect[4])
    extra = (redirect[5:9] + [None] * 4)[:4]
    hp = host_path(path)
    data = open(hp, "rb").read() if hp and os.path.exists(hp) else None
    md5 = (lambda i: hashlib.md5(data[i * ps:(i + 1) * ps]).hexdigest() if data is not None else None)
    a_in, a_orph = addr(pin), addr(porph)
    t["redirected_slot"] = {
        "path": path, "index": j, "now_holds_index": k,
        "pfn_in_slot": pin, "orphan_pfn": porph,
        "vaddr_in_slot": a_in["vaddr"], "orphan_vaddr": a_orph["vaddr"],
        "md5_in_slot": md5(k), "orphan_md5": md5(j),          # on-disk md5 of pages K and J
        "slot_addr": hexaddr(extra[0]) if extra[0] else None,  # &xa_node->slots[J & 63]
        "page_in_slot": hexaddr(extra[1]) if extra[1] else None,  # struct page * stored there
        "orphan_page": hexaddr(extra[2]) if extra[2] else None,
        "mapping": hexaddr(extra[3]) if extra[3] else None}

# the data disk as the guest saw it (copied into the run directory by tests/lab/run)
for key, name in (("data_image", "data.img"), ("data_dir", "data"), ("data_tar", "data.tar")):
    t[key] = name if os.path.exists(os.path.join(outdir, name)) else None

for name in sorted(os.listdir(outdir)):
    if name.startswith("vmcore."):
        t["dumps"][name[len("vmcore."):]] = name
json.dump(t, open(os.path.join(outdir, "truth.json"), "w"), indent=1)
