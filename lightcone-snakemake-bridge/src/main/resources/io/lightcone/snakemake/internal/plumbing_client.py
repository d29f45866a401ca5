# Lightcone's plumbing client, the shell of every rule of .lightcone/Snakefile:
#
#   python3 -S plumbing_client.py TASK_ID CODE_VERSION -- lc task run --project DIR TASK_ID ...
#
# When the Lightcone process that runs this plan serves tasks (LIGHTCONE_PLUMBING names its unix
# socket), the task runs there, through the same task runner as `lc task run`, without starting a
# JVM per task. Otherwise (snakemake run by hand) it runs the plumbing command after `--` itself.
# Exits 0 when the task succeeded, 1 when it did not. Python's standard library only.
import os
import socket
import sys


def main():
    task, code_version, dashes = sys.argv[1], sys.argv[2], sys.argv[3]
    plumbing = sys.argv[4:]
    if dashes != "--" or not plumbing:
        sys.exit("usage: plumbing_client.py TASK_ID CODE_VERSION -- PLUMBING COMMAND...")
    path = os.environ.get("LIGHTCONE_PLUMBING")
    if path:
        try:
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(path)
        except OSError:
            server = None  # that process is gone: run the plumbing command
        if server is not None:
            # The server cancels the task when this connection closes (this process killed).
            server.sendall(("run %s %s\n" % (task, code_version)).encode("utf-8"))
            reply = server.makefile("r", encoding="utf-8").readline().split()
            if len(reply) >= 2 and reply[0] == "exit":
                sys.stdout.write(" ".join(reply[2:]) + "\n")
                sys.exit(int(reply[1]))
            sys.exit("lightcone: the process running the plan ended before %s did" % task)
    os.execvp(plumbing[0], plumbing)


main()
