#!/usr/bin/python3
"""Wait for the guest to stop (panic -> pause) and take a QEMU dump-guest-memory ELF.
usage: qmp-dump.py QMP_SOCKET OUT_FILE TIMEOUT_SEC"""
import json, os, socket, sys, time

sock_path, out, timeout = sys.argv[1], os.path.abspath(sys.argv[2]), float(sys.argv[3])
deadline = time.time() + timeout
s = None
while time.time() < deadline:
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        break
    except OSError:
        s = None
        time.sleep(0.2)
if s is None:
    sys.exit("qmp: cannot connect to %s" % sock_path)
f = s.makefile("rw")


def recv():
    s.settimeout(max(1.0, deadline - time.time()))
    line = f.readline()
    if not line:
        raise SystemExit("qmp: connection closed")
    return json.loads(line)


def cmd(name, **args):
    f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
    f.flush()
    while True:
        m = recv()
        if "return" in m or "error" in m:
            return m
        print("event", m.get("event"), flush=True)


recv()  # greeting
cmd("qmp_capabilities")
while True:
    st = cmd("query-status").get("return", {}).get("status")
    if st in ("paused", "guest-panicked", "shutdown", "internal-error"):
        print("guest status", st, flush=True)
        break
    if time.time() > deadline:
        sys.exit("qmp: guest did not stop in time")
    time.sleep(0.5)
r = cmd("dump-guest-memory", paging=False, protocol="file:" + out, format="elf")
print("dump", r, flush=True)
cmd("quit")
sys.exit(0 if "return" in r else 1)
