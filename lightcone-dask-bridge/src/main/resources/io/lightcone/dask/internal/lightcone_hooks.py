"""Snakemake's cluster hooks for Lightcone's Dask dispatch: each call sends one request to the
sidecar (lightcone_dask.py hooks) on the unix socket named by SNAKEMAKE_CLUSTER_SIDECAR_VARS.
Stdlib only, and small: Snakemake starts one per submission and per status check.

  lightcone_hooks.py submit JOBSCRIPT     prints the job id: a file that holds the job's state
  lightcone_hooks.py cancel JOBID...      cancels every task of the run

(--cluster-status is `cat`: the job id is the file the sidecar keeps the job's state in.)
"""
import os
import sys

# Run with -I (or -s -P, or -s before Python 3.11): see lightcone_dask.py.
if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import json  # noqa: E402
import socket  # noqa: E402


def ask(request):
    path = os.environ.get("SNAKEMAKE_CLUSTER_SIDECAR_VARS", "").strip()
    if not path:
        sys.exit("lightcone_hooks.py: SNAKEMAKE_CLUSTER_SIDECAR_VARS is not set (no sidecar?)")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(60)
    s.connect(path)
    s.sendall((json.dumps(request) + "\n").encode())
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    reply = json.loads(data or b"{}")
    if "error" in reply:
        sys.exit("lightcone_hooks.py: " + reply["error"])
    return reply


def main(argv):
    op = argv[0]
    if op == "submit":
        print(ask({"op": "submit", "jobscript": os.path.abspath(argv[1])})["jobid"])
    elif op == "cancel":
        ask({"op": "cancel", "jobids": argv[1:]})
    else:
        sys.exit("lightcone_hooks.py: unknown operation %r" % op)


if __name__ == "__main__":
    main(sys.argv[1:])
