"""Lightcone's Dask side: the cluster keeper, its workers, and the sidecar that holds the only
Dask client. Started by lightcone-dask-bridge (Java); stdlib plus python3-distributed.

  lightcone_dask.py cluster --mode local|slurm --tls-dir DIR [--workers N] [--cpus-per-worker C]
                            [--wait S]
      A scheduler in this process and its workers (local subprocesses, or one `srun` step with
      one worker per node), TLS only, with a CA, certificate and key made for this cluster in
      DIR (mode 0600; DIR is private and on a file system the workers share). Prints one JSON
      line {"event": "ready", ...} (or "error"), then lives until stdin ends or says "close":
      retires the workers, stops srun and the scheduler.
      With --detached (the batch script of `lc cluster up`, a SLURM job of its own) it watches
      neither stdin nor its parent: it lives until SIGTERM (scancel) or the job's time limit, and
      writes the "ready" (or "error") line into --ready-file (mode 0600) for the login node.
  lightcone_dask.py worker ADDRESS [--name N] [--host H] [--watch-stdin] [--tls-dir DIR]
      One Dask worker, advertising this node's cpus, memory and gpus as resources: from
      SLURM_CPUS_ON_NODE, SLURM_MEM_PER_NODE (MiB), SLURM_GPUS_ON_NODE, else the machine's.
  lightcone_dask.py sidecar ADDRESS [--tls-dir DIR]
      The only Dask client of a run: JSON lines on stdin/stdout (one request or event a line).
  lightcone_dask.py hooks ADDRESS --tasks FILE [--tls-dir DIR]
      The same client as Snakemake's --cluster-sidecar: prints the path of a unix socket on which
      lightcone_hooks.py (--cluster, --cluster-cancel) sends its requests; --cluster-status is cat.

Without --tls-dir a client or worker connects as Dask's own configuration says
(DASK_DISTRIBUTED__COMM__TLS__*, a tls:// address): an existing scheduler, not ours.

This file is run from a private directory (0700) with `-I` (or `-s -P`, or `-s` before Python
3.11, for an interpreter the user chose): neither the current directory nor a shared one is on
the import path.

Every long-lived process here ends when whoever started it is gone (stdin ends or the parent
changes), so a killed JVM or Snakemake leaves nothing behind.
"""

import os
import sys

# Before any other import. With -I or -P the script's directory is not on the path; an older
# interpreter run with -s alone puts it first: it is our private run directory, but nothing of
# ours is imported from it, so it goes.
if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import json  # noqa: E402
import socket  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

# Before distributed is imported: its INFO lines would drown the errors we relay.
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")

def emit(obj, lock=threading.Lock()):
    line = json.dumps(obj, separators=(",", ":"))
    with lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def fail(message, code=1):
    emit({"event": "error", "message": message})
    sys.exit(code)


def import_distributed():
    try:
        import distributed  # noqa: F401
    except ImportError as e:
        fail(
            "%s cannot import distributed (%s): install python3-distributed python3-dask, "
            "or point LIGHTCONE_PYTHON at an interpreter that has them" % (sys.executable, e),
            code=4,
        )


def python_flags():
    """This interpreter's isolation flags, for the Python processes we start in turn."""
    if sys.flags.isolated:
        return ["-I"]
    flags = ["-s"] if sys.flags.no_user_site else []
    if getattr(sys.flags, "safe_path", False):
        flags.append("-P")
    return flags


TLS_FILES = ("ca.pem", "cert.pem", "key.pem")


def write_private(path, data):
    """A new file, mode 0600 from the start; refuses one that exists (or a link planted there)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def make_credentials(directory):
    """A CA made for this cluster alone and one certificate it signs, which the scheduler, the
    workers and our clients all present (Dask checks the chain, not host names; the scheduler's
    address may be any name a node resolves). The CA's key is never written: nobody can sign
    another certificate. Elliptic-curve keys: made in milliseconds."""
    import datetime

    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    except ImportError as e:
        fail(
            "%s cannot import cryptography (%s), which Lightcone needs to secure the Dask cluster "
            "it starts with TLS: install python3-cryptography (Debian), or point LIGHTCONE_PYTHON "
            "at an interpreter that has it" % (sys.executable, e),
            code=4,
        )

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = datetime.datetime.utcnow()
    start, end = now - datetime.timedelta(minutes=5), now + datetime.timedelta(days=30)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("lightcone-dask-ca"))
        .issuer_name(name("lightcone-dask-ca"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("lightcone-dask"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("dask-internal")]), critical=False)
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_file, cert_file, key_file = (os.path.join(directory, n) for n in TLS_FILES)
    write_private(ca_file, ca.public_bytes(pem))
    write_private(cert_file, cert.public_bytes(pem))
    write_private(
        key_file,
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def security(tls_dir):
    """The Security of a cluster we started (TLS required, its credentials in tls_dir); None for
    an existing scheduler: Dask then reads its own configuration."""
    if not tls_dir:
        return None
    from distributed.security import Security

    ca, cert, key = (os.path.join(tls_dir, n) for n in TLS_FILES)
    return Security(
        require_encryption=True,
        tls_ca_file=ca,
        tls_client_cert=cert,
        tls_client_key=key,
        tls_scheduler_cert=cert,
        tls_scheduler_key=key,
        tls_worker_cert=cert,
        tls_worker_key=key,
    )


def reachable_host(candidates):
    """The first name that resolves: other nodes must reach what we bind (never 127.0.0.1)."""
    for name in candidates:
        if not name:
            continue
        try:
            socket.getaddrinfo(name, None)
            return name
        except OSError:
            continue
    return socket.gethostname()


def node_resources(env=os.environ):
    """This node's cpus, memory (bytes) and gpus, as SLURM allots them, else the machine's."""
    cpus = env.get("SLURM_CPUS_ON_NODE") or str(len(os.sched_getaffinity(0)) or 1)
    res = {"cpus": float(cpus.split("(")[0].split(",")[0])}
    mem = env.get("SLURM_MEM_PER_NODE")
    if mem:
        res["memory"] = float(int(mem) * 1024 * 1024)
    else:
        res["memory"] = float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    gpus = env.get("SLURM_GPUS_ON_NODE")
    if gpus and gpus.isdigit() and int(gpus) > 0:
        res["gpus"] = float(gpus)
    elif not env.get("SLURM_JOB_ID"):
        local = machine_gpus(env)
        if local > 0:
            res["gpus"] = float(local)
    return res


def machine_gpus(env=os.environ):
    """The gpus of this machine, outside SLURM: CUDA_VISIBLE_DEVICES when set (a list of devices,
    empty or -1 for none), else the NVIDIA device files /dev/nvidia0, /dev/nvidia1, ..."""
    visible = env.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        ids = [d for d in visible.split(",") if d.strip() and d.strip() != "-1"]
        return len(ids)
    try:
        return sum(1 for n in os.listdir("/dev") if n.startswith("nvidia") and n[6:].isdigit())
    except OSError:
        return 0


def smallest_node(spec):
    """The cpus of the allocation's smallest node, from SLURM_JOB_CPUS_PER_NODE ("4(x2),2")."""
    counts = [p.split("(")[0].strip() for p in spec.split(",")]
    counts = [int(c) for c in counts if c.isdigit()]
    return min(counts) if counts else None


def exit_within(seconds):
    """Ends this process `seconds` from now, whatever its teardown is doing then. Nothing of a run
    may outlive whoever started it, and a Dask close has been seen never to return."""
    timer = threading.Timer(seconds, lambda: os._exit(0))
    timer.daemon = True
    timer.start()


def watch_parent(on_gone, stdin=True, grace=20):
    """Calls on_gone once when stdin ends (or says close) or this process is orphaned; the process
    ends `grace` seconds later at the latest."""
    parent = os.getppid()
    fired = threading.Event()

    def fire():
        if not fired.is_set():
            fired.set()
            exit_within(grace)
            on_gone()

    def read():
        try:
            for line in sys.stdin:
                if line.strip() == "close":
                    break
        except (OSError, ValueError):
            pass
        fire()

    def poll():
        while not fired.wait(0.5):
            if os.getppid() != parent:
                fire()

    if stdin:
        threading.Thread(target=read, name="lightcone-stdin", daemon=True).start()
    threading.Thread(target=poll, name="lightcone-parent", daemon=True).start()
    return fired


# --------------------------------------------------------------------------------- worker


def worker_main(args):
    import asyncio

    import_distributed()
    from distributed import Worker

    env = os.environ
    res = node_resources(env)
    name = args.name or env.get("SLURMD_NODENAME") or socket.gethostname()
    host = args.host or reachable_host([env.get("SLURMD_NODENAME"), socket.gethostname()])

    async def run():
        loop = asyncio.get_running_loop()
        # Tasks run in subprocesses: a thread per cpu, and no memory manager pausing us.
        async with Worker(
            args.address,
            name=name,
            host=host,
            nthreads=max(1, int(res["cpus"])),
            resources=res,
            memory_limit=0,
            death_timeout=args.death_timeout,
            dashboard=False,
            security=security(args.tls_dir),
        ) as worker:
            watch_parent(
                lambda: loop.call_soon_threadsafe(
                    lambda: asyncio.ensure_future(worker.close(reason="lightcone: parent gone"))
                ),
                stdin=args.watch_stdin,
            )
            await worker.finished()

    asyncio.run(run())


# -------------------------------------------------------------------------------- cluster


def cluster_main(args):
    import asyncio
    import subprocess
    import tempfile

    import_distributed()
    from distributed import Scheduler

    me = os.path.abspath(__file__)
    if not (args.detached and os.path.exists(os.path.join(args.tls_dir, TLS_FILES[0]))):
        make_credentials(args.tls_dir)  # a detached keeper's were made on the login node
    secure = security(args.tls_dir)
    if args.cpus_per_worker is None and args.mode == "slurm":
        args.cpus_per_worker = smallest_node(os.environ.get("SLURM_JOB_CPUS_PER_NODE", ""))

    def announce(obj):
        if args.ready_file:
            tmp = args.ready_file + ".tmp"
            write_private(tmp, json.dumps(obj).encode("utf-8"))
            os.rename(tmp, args.ready_file)
        emit(obj)

    async def run():
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        if args.detached:
            import signal

            # scancel (SIGTERM), or the time limit's SIGTERM: retire the workers, then end.
            loop.add_signal_handler(signal.SIGTERM, stop.set)
        else:
            # Teardown takes up to 25 s (retire, wait, terminate) before the scheduler closes.
            watch_parent(lambda: loop.call_soon_threadsafe(stop.set), grace=40)
        if args.mode == "local":
            host = "127.0.0.1"
        else:
            host = reachable_host([os.environ.get("SLURMD_NODENAME"), socket.gethostname()])
        try:
            import bokeh  # noqa: F401

            dashboard = True
        except ImportError:
            dashboard = False
        scheduler = Scheduler(
            host=host,
            port=0,
            protocol="tls",
            security=secure,
            dashboard=dashboard,
            dashboard_address="%s:0" % host,
        )
        await scheduler
        address = scheduler.address
        if args.mode != "local":
            # Advertise the name: workers on other nodes resolve it to this node's address.
            port = address.rsplit(":", 1)[1]
            address = "tls://%s:%s" % (host, port)
        logs = tempfile.TemporaryFile()
        procs = []
        python = [sys.executable] + python_flags()
        if args.mode == "local":
            cmd = python + [me, "worker", address, "--name", "local", "--host", host,
                            "--watch-stdin", "--death-timeout", "30", "--tls-dir", args.tls_dir]
            procs.append(subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=logs, stderr=logs))
            expected = 1
        else:
            expected = args.workers
            # One step, one worker per node, running this file from the private run directory on
            # the project's file system, which the nodes share (as they must: tasks run there).
            cmd = ["srun", "--ntasks=%d" % expected, "--ntasks-per-node=1", "--kill-on-bad-exit=0",
                   "--input=none"]
            if args.cpus_per_worker:
                cmd.append("--cpus-per-task=%d" % args.cpus_per_worker)
            cmd += python + [me, "worker", address, "--death-timeout", "30",
                             "--tls-dir", args.tls_dir]
            procs.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logs, stderr=logs))

        def tail():
            logs.seek(0)
            text = logs.read().decode("utf-8", "replace").strip().splitlines()
            return "\n".join(text[-15:])

        deadline = time.monotonic() + args.wait
        error = None
        while len(scheduler.workers) < expected:
            if stop.is_set():
                error = "stopped while waiting for workers"
                break
            if any(p.poll() is not None for p in procs):
                error = "%s ended before its workers joined (exit %s):\n%s" % (
                    "srun" if args.mode != "local" else "the Dask worker",
                    procs[0].poll(), tail())
                break
            if time.monotonic() > deadline:
                error = ("only %d of %d Dask workers joined within %ss; "
                         "raise LIGHTCONE_DASK_WAIT_SECONDS or check the nodes:\n%s"
                         % (len(scheduler.workers), expected, args.wait, tail()))
                break
            await asyncio.sleep(0.05)
        if error is None:
            workers = [
                {"name": str(ws.name), "host": ws.host, "nthreads": ws.nthreads,
                 "resources": dict(ws.resources)}
                for ws in scheduler.workers.values()
            ]
            link = None
            if dashboard and "dashboard" in scheduler.services:
                link = "http://%s:%d/status" % (host, scheduler.services["dashboard"].port)
            announce({"event": "ready", "address": address, "dashboard": link,
                      "workers": workers})
            await stop.wait()
        # Teardown: retire the workers, stop srun and the scheduler; nothing may outlive us.
        try:
            await asyncio.wait_for(
                scheduler.retire_workers(list(scheduler.workers), close_workers=True), 10)
        except Exception:
            pass
        for p in procs:
            if p.stdin:
                try:
                    p.stdin.close()
                except OSError:
                    pass
        end = time.monotonic() + 10
        while any(p.poll() is None for p in procs) and time.monotonic() < end:
            await asyncio.sleep(0.05)
        for p in procs:
            if p.poll() is None:
                p.terminate()  # srun: forwards SIGTERM to the step and ends it
                try:
                    await asyncio.wait_for(loop.run_in_executor(None, p.wait), 5)
                except asyncio.TimeoutError:
                    p.kill()
                    p.wait()
        await scheduler.close()
        if error is not None:
            if args.ready_file:
                announce({"event": "error", "message": error})
            fail(error)

    asyncio.run(run())


# ------------------------------------------------------------------------------- the task

# Run with `python3 -I -S -c GUARD ARGV...` by the task wrapper, in a session of its own. It
# starts ARGV and becomes the subreaper of everything ARGV starts (the plumbing JVM puts the
# recipe in yet another session), so it can always find and kill the whole tree: when stdin
# ends (the wrapper cancels, or the worker died) and when ARGV ends (nothing outlives a task).
GUARD = r"""
import os, select, sys, time
def tree():
    # Every descendant as (pid, pgid, zombie). Through zombies: a process that just died may
    # still be the parent of a live one until it is reaped.
    kids = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % name) as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rindex(')') + 2:].split()
        kids.setdefault(int(rest[1]), []).append((int(name), int(rest[2]), rest[0] == 'Z'))
    found, todo = [], [os.getpid()]
    while todo:
        for pid, pgid, zombie in kids.get(todo.pop(), []):
            found.append((pid, pgid, zombie))
            todo.append(pid)
    return found
def reap(wait=0.0):
    # As subreaper we inherit every orphan of the task: reap them all (up to `wait` seconds for
    # those still dying), or they would stay zombies once we are gone.
    end = time.monotonic() + wait
    try:
        while True:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                if time.monotonic() >= end:
                    return
                time.sleep(0.01)
    except ChildProcessError:
        pass
def kill_tree(grace):
    own = os.getpgid(0)
    # First the plumbing process (our group): killed before its recipe, it cannot record the
    # recipe's death as the task's failure; publication is atomic, so nothing is half-done.
    for pid, pgid, zombie in tree():
        if pgid == own and not zombie:
            try: os.kill(pid, 9)
            except OSError: pass
    for sig, wait in ((15, grace), (9, 5.0)):
        procs = [(pid, pgid) for pid, pgid, zombie in tree() if not zombie]
        if not procs:
            return
        for pgid in {g for _, g in procs if g != own}:
            try: os.killpg(pgid, sig)
            except OSError: pass
        for pid, _ in procs:
            try: os.kill(pid, sig)
            except OSError: pass
        end = time.monotonic() + wait
        while time.monotonic() < end:
            reap()
            if all(zombie for _, _, zombie in tree()):
                return
            time.sleep(0.02)
def main():
    try:
        import ctypes
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass
    grace = float(os.environ.get('LIGHTCONE_GRACE', '1'))
    parent = os.getppid()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(os.open('/dev/null', os.O_RDONLY), 0)
            os.execvp(sys.argv[1], sys.argv[1:])
        except BaseException as e:
            os.write(2, ('cannot start %s: %s\n' % (sys.argv[1], e)).encode())
        os._exit(127)
    try:
        watch = [0, os.pidfd_open(pid)]  # readable when the child ends
        tick = 0.2
    except (AttributeError, OSError):
        watch, tick = [0], 0.02
    while True:
        ready = select.select(watch, [], [], tick)[0]
        if 0 in ready or os.getppid() != parent:
            kill_tree(grace)
            reap(5.0)
            os._exit(143)
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, 0
        if done == pid:
            break
    kill_tree(grace)
    reap(5.0)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
main()
"""


class TaskRunner:
    """A long-lived task runner on this worker (`lc task serve`, started on the worker's first task
    that needs it, ended with the worker: its stdin is a pipe this process holds, and it ends,
    cancelling what it runs, when that pipe closes). Speaks Lightcone's task protocol, one JSON
    request or answer a line, over its stdin and stdout; it listens on nothing else. Tasks run in
    it at once, each answered by the id of its request."""

    def __init__(self, argv, cwd, env):
        import subprocess
        import tempfile

        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, cwd=cwd, env=env, start_new_session=True)
        self.lock = threading.Lock()
        self.waiting = {}  # request id -> {"event", "line"}
        self.dead = False
        threading.Thread(target=self._read, name="lightcone-runner", daemon=True).start()

    def _read(self):
        try:
            for raw in self.proc.stdout:
                try:
                    o = json.loads(raw)
                except ValueError:
                    continue  # not a protocol line
                rid = o.get("id") if isinstance(o, dict) else None
                with self.lock:
                    w = self.waiting.get(rid) if isinstance(rid, str) else None
                if w is not None:
                    w["line"] = raw.decode("utf-8", "replace").strip()
                    w["event"].set()
        except (OSError, ValueError):
            pass
        self.dead = True
        with self.lock:
            left = list(self.waiting.values())
        for w in left:
            w["event"].set()

    def alive(self):
        return not self.dead and self.proc.poll() is None

    def busy(self):
        with self.lock:
            return bool(self.waiting)

    def send(self, obj):
        data = (json.dumps(obj, separators=(",", ":")) + "\n").encode("utf-8")
        with self.lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def request(self, rid, request):
        """Sends a run request; returns what to wait on (its "event", then its "line")."""
        w = {"event": threading.Event(), "line": None}
        with self.lock:
            self.waiting[rid] = w
        try:
            self.send(dict(request, id=rid))
        except (OSError, ValueError):
            self.dead = True
            w["event"].set()
        return w

    def forget(self, rid):
        with self.lock:
            self.waiting.pop(rid, None)

    def tail(self):
        try:
            self.err.seek(0, 2)
            size = self.err.tell()
            self.err.seek(max(0, size - 4096))
            return self.err.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def close(self, grace=15):
        """Ends the runner: stdin closes (it cancels its tasks and exits), then SIGTERM, SIGKILL."""
        import signal
        import subprocess

        try:
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass
        for sig, wait in ((None, grace), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if sig is not None:
                try:
                    os.killpg(self.proc.pid, sig)
                except OSError:
                    pass
            try:
                self.proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def task_runner(worker, job, env):
    """This worker's runner for the job's runner command, started on first use. One per command
    (project, run options, launcher): the same project run again with the same options reuses it;
    runners of other commands that are idle are ended beyond a few."""
    runners = worker.__dict__.setdefault("_lightcone_runners", {})
    lock = worker.__dict__.setdefault("_lightcone_runners_lock", threading.Lock())
    key = json.dumps([job["serve"], job.get("cwd"), sorted((job.get("env") or {}).items())])
    with lock:
        r = runners.get(key)
        if r is not None and not r.alive():
            runners.pop(key, None)
            r = None
        if r is None:
            for k, other in list(runners.items()):
                if len(runners) < 4:
                    break
                if not other.busy():
                    runners.pop(k, None)
                    threading.Thread(target=other.close, daemon=True).start()
            r = TaskRunner(job["serve"], job.get("cwd"), env)
            runners[key] = r
    return r


OK_OUTCOMES = ("succeeded", "restored", "up-to-date")


def lightcone_task(job):
    """Runs on a Dask worker: the task, until it ends or the task is cancelled (Dask cannot
    interrupt a running function: we look every 0.2 s). A task lightcone-core can hand to a
    long-lived runner ("serve" and "request" in the job) runs in this worker's runner, as one
    protocol request; any other command runs on its own under a guard."""
    import os
    import socket
    import subprocess
    import sys
    import tempfile
    import threading
    import time

    from distributed import get_worker
    from distributed.worker import thread_state

    worker = get_worker()
    key = thread_state.key
    # The sidecar asks every worker for this after a cancel: "are processes of mine still up?"
    running = worker.__dict__.setdefault("_lightcone_running", {})
    running[key] = job["run"]

    def cancelled():
        ts = worker.state.tasks.get(key)
        return (ts is None or ts.state not in ("executing", "long-running")
                or worker.status.name not in ("running", "paused", "closing_gracefully"))

    try:
        if cancelled():
            return {"cancelled": True}
        name = str(worker.name)
        host = socket.gethostname()
        # ("worker" would be overwritten by the scheduler with the worker's address)
        worker.log_event(job["topic"], {"started": job["id"], "attempt": job["attempt"],
                                        "name": name, "host": host})
        env = dict(os.environ)
        env.update(job.get("env") or {})
        env["LIGHTCONE_DASK_WORKER"] = name
        if job.get("serve"):
            start = time.time()
            runner = task_runner(worker, job, env)
            w = runner.request(key, json.loads(job["request"]))
            try:
                while not w["event"].wait(0.2):
                    if cancelled():
                        # The runner kills this task's recipe alone, then answers.
                        try:
                            runner.send({"protocol": 1, "op": "cancel", "id": key})
                        except (OSError, ValueError):
                            pass
                        if not w["event"].wait(15):
                            runner.close(grace=0)  # a runner that no longer answers goes
                        return {"cancelled": True}
            finally:
                runner.forget(key)
            seconds = time.time() - start
            line = w["line"]
            if line is None:
                code = runner.proc.poll()
                result = {"exit": 1 if code in (None, 0) else code, "worker": name, "host": host,
                          "seconds": seconds,
                          "output": "the task runner ended (exit %s): %s" % (code, runner.tail())}
            else:
                answer = json.loads(line)
                if "error" in answer:
                    result = {"exit": 1, "output": answer["error"], "worker": name, "host": host,
                              "seconds": seconds}
                else:
                    ok = answer.get("outcome") in OK_OUTCOMES
                    result = {"exit": 0 if ok else 1, "output": answer.get("detail", ""),
                              "result": line, "worker": name, "host": host, "seconds": seconds}
            worker.log_event(job["topic"], {"ended": job["id"], "attempt": job["attempt"],
                                            "result": result})
            return result
        with tempfile.TemporaryFile() as out:
            start = time.time()
            guard = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", job["guard"]] + list(job["argv"]),
                stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                cwd=job.get("cwd"), env=env, start_new_session=True)
            ended = threading.Event()
            threading.Thread(target=lambda: (guard.wait(), ended.set()), daemon=True).start()
            while not ended.wait(0.2):
                if cancelled():
                    guard.stdin.close()  # the guard kills the whole tree, then exits
                    if not ended.wait(15):
                        os.killpg(guard.pid, 9)
                        guard.wait()
                    return {"cancelled": True}
            seconds = time.time() - start
            out.seek(0, 2)
            size = out.tell()
            out.seek(max(0, size - 8192))  # the plumbing prints a result line; logs hold the rest
            text = out.read().decode("utf-8", "replace")
            result = {"exit": guard.returncode, "output": text, "worker": name, "host": host,
                      "seconds": seconds}
            # Ahead of the task's own completion, on the same stream: saves the client a fetch.
            worker.log_event(job["topic"], {"ended": job["id"], "attempt": job["attempt"],
                                            "result": result})
            return result
    finally:
        running.pop(key, None)


def busy_keys(run, dask_worker=None):
    """Keys of run `run` whose process trees are still up on this worker."""
    running = getattr(dask_worker, "_lightcone_running", {})
    return [k for k, r in list(running.items()) if r == run]


# -------------------------------------------------------------------------------- sidecar


class Dispatcher:
    """The only Dask client of a run. Thread-safe; `out(event)` hears everything that happens."""

    def __init__(self, address, out, timeout, tls_dir=None):
        import uuid

        from distributed import Client

        self.out = out
        self.address = address
        self.run = uuid.uuid4().hex[:12]
        self.topic = "lightcone-" + self.run
        self.lock = threading.RLock()
        self.jobs = {}  # id -> dict(future, attempt, started, state)
        self.client = Client(address, timeout=timeout, set_as_default=False,
                             security=security(tls_dir))
        self.client.subscribe_topic(self.topic, self._event)
        self.done = __import__("queue").Queue()
        threading.Thread(target=self._complete, name="lightcone-complete", daemon=True).start()
        self.unplaceable_since = {}
        threading.Thread(target=self._watch, name="lightcone-watch", daemon=True).start()

    def workers(self):
        info = self.client.scheduler_info().get("workers", {})
        return [{"name": str(w.get("name")), "host": w.get("host"), "nthreads": w.get("nthreads"),
                 "resources": w.get("resources") or {}} for w in info.values()]

    @staticmethod
    def fits(resources, workers):
        return any(all(v <= w["resources"].get(k, 0) for k, v in resources.items())
                   for w in workers)

    def too_big(self, resources, workers):
        if self.fits(resources, workers):
            return None
        have = "; ".join("%s %s" % (w["name"], json.dumps(w["resources"], sort_keys=True))
                         for w in workers) or "no workers"
        return ("needs %s, more than any Dask worker has (%s); lower recipe.resources or start "
                "workers with more (dask worker --resources cpus=N,memory=BYTES,gpus=G)"
                % (json.dumps(resources, sort_keys=True), have))

    def submit(self, req):
        jid, attempt = req["id"], int(req.get("attempt", 1))
        resources = {k: float(v) for k, v in (req.get("resources") or {}).items()}
        workers = self.workers()
        # No worker yet (an attached cluster scaling up): the task waits, _watch bounds how long.
        why = self.too_big(resources, workers) if workers else None
        if why:
            self.out({"event": "failed", "id": jid, "attempt": attempt, "message": why})
            return
        job = {"id": jid, "attempt": attempt, "argv": req["argv"], "cwd": req.get("cwd"),
               "env": req.get("env") or {}, "run": self.run, "topic": self.topic, "guard": GUARD,
               "serve": req.get("serve"), "request": req.get("request")}
        key = "lightcone-%s-%s-%d" % (self.run, jid, attempt)
        with self.lock:
            future = self.client.submit(lightcone_task, job, key=key, pure=False,
                                        resources=resources or None, retries=0)
            self.jobs[key] = {"id": jid, "attempt": attempt, "future": future, "started": False,
                              "state": "pending", "resources": resources}
        future.add_done_callback(lambda f: self.done.put(f))

    def _event(self, event):
        msg = event[1]
        if "ended" in msg:
            key = "lightcone-%s-%s-%d" % (self.run, msg["ended"], msg.get("attempt", 1))
            self._finish(key, msg["result"])
            return
        key = "lightcone-%s-%s-%d" % (self.run, msg.get("started"), msg.get("attempt", 1))
        with self.lock:
            job = self.jobs.get(key)
            if job is None or job["started"] or job["state"] != "pending":
                return
            job["started"] = True
        self.out({"event": "started", "id": job["id"], "attempt": job["attempt"],
                  "worker": msg.get("name"), "host": msg.get("host")})

    def _complete(self):
        """Futures that ended without an "ended" event: errors, lost workers."""
        while True:
            f = self.done.get()
            with self.lock:
                job = self.jobs.get(f.key)
                if job is None or job["state"] != "pending":
                    continue
            if f.status == "finished":
                try:
                    r = f.result()
                except Exception as e:
                    r = {"error": "%s: %s" % (type(e).__name__, e)}
            elif f.status == "error":
                e = f.exception()
                r = {"error": "%s: %s" % (type(e).__name__, e)}
            else:
                continue  # cancelled: the canceller reports it
            self._finish(f.key, r)

    def _finish(self, key, r):
        with self.lock:
            job = self.jobs.get(key)
            if job is None or job["state"] != "pending":
                return
            job["state"] = "done"
            started = job["started"]
            self.jobs.pop(key, None)
        base = {"id": job["id"], "attempt": job["attempt"]}
        if not started and "worker" in r:
            self.out(dict(base, event="started", worker=r["worker"], host=r["host"]))
        if "error" in r:
            self.out(dict(base, event="failed", message="Dask could not run the task: " + r["error"]))
        elif r.get("cancelled"):
            self.out(dict(base, event="failed", message="the Dask worker stopped the task"))
        else:
            self.out(dict(base, event="done", exit=r["exit"], output=r["output"],
                          result=r.get("result", ""), worker=r["worker"], host=r["host"],
                          seconds=r["seconds"]))

    def _watch(self):
        """Fails what would otherwise wait forever: a task no remaining worker can hold (its node
        was lost), and every task once the scheduler itself is gone."""
        limit = float(os.environ.get("LIGHTCONE_DASK_LOST_SECONDS", "30"))
        disconnected = None
        while True:
            time.sleep(1)
            now = time.monotonic()
            with self.lock:
                pending = [(k, j) for k, j in self.jobs.items() if j["state"] == "pending"]
            if self.client.status != "running":
                disconnected = disconnected or now
                if now - disconnected >= limit:
                    for key, job in pending:
                        self._give_up(key, job, "lost the Dask scheduler %s for %ds"
                                      % (self.address, limit))
                continue
            disconnected = None
            try:
                workers = self.workers()
            except Exception:
                continue
            for key, job in pending:
                # A started task whose worker died is queued again; it may have nowhere to go.
                if workers and self.fits(job["resources"], workers):
                    self.unplaceable_since.pop(key, None)
                elif now - self.unplaceable_since.setdefault(key, now) >= limit:
                    self._give_up(key, job, "no Dask worker left that can run it for %ds (%s)" % (
                        limit, self.too_big(job["resources"], workers) or "no workers"))

    def _give_up(self, key, job, why):
        with self.lock:
            if job["state"] != "pending":
                return
            job["state"] = "done"
            self.jobs.pop(key, None)
        self.out({"event": "failed", "id": job["id"], "attempt": job["attempt"], "message": why})
        if self.client.status == "running":  # else the call would wait for the lost scheduler
            try:
                job["future"].cancel()
            except Exception:
                pass

    def cancel_all(self):
        """Cancels every job; returns them once no process of this run is left on any worker."""
        return self._withdraw(lambda job: True)

    def withdraw(self):
        """Cancels the jobs that have not started (a failure without keep-going); returns them
        once none of them can still start."""
        return self._withdraw(lambda job: not job["started"])

    def _withdraw(self, which, wait=15.0):
        with self.lock:
            jobs = {k: j for k, j in self.jobs.items() if j["state"] == "pending" and which(j)}
            for key, job in jobs.items():
                job["state"] = "cancelled"  # from now on no event of theirs is reported
                del self.jobs[key]
        futures = [j["future"] for j in jobs.values()]
        if self.client.status != "running":
            # No scheduler: its workers stop their tasks themselves when they lose it.
            futures = []
        if futures:
            try:
                self.client.cancel(futures, force=True)
            except Exception:
                pass
        # A cancelled task may start an instant before the worker hears of it: two quiet looks.
        end = time.monotonic() + wait
        quiet = 0
        while quiet < 2 and time.monotonic() < end and futures:
            try:
                busy = self.client.run(busy_keys, self.run, on_error="ignore")
                left = sum(1 for v in busy.values() if isinstance(v, list) for k in v if k in jobs)
            except Exception:
                left = 0
            quiet = quiet + 1 if left == 0 else 0
            time.sleep(0.15)
        return [{"id": j["id"], "attempt": j["attempt"]} for j in jobs.values()]

    def close(self):
        try:
            self.client.close(timeout=5 if self.client.status == "running" else 0.5)
        except Exception:
            pass


def sidecar_main(args):
    import_distributed()
    stop = threading.Event()
    try:
        d = Dispatcher(args.address, emit, args.timeout, args.tls_dir)
    except Exception as e:
        fail("cannot connect to the Dask scheduler at %s: %s" % (args.address, e))
    emit({"event": "hello", "address": args.address, "run": d.run, "workers": d.workers()})

    def read():
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                req = json.loads(line)
                op = req.get("op")
                if op == "submit":
                    d.submit(req)
                elif op == "cancel":
                    emit({"event": "cancelled", "jobs": d.cancel_all()})
                elif op == "withdraw":
                    emit({"event": "withdrawn", "jobs": d.withdraw()})
                elif op == "close":
                    break
                else:
                    emit({"event": "error", "message": "unknown op %r" % op})
            except Exception as e:
                emit({"event": "error", "message": "%s: %s" % (type(e).__name__, e)})
        stop.set()

    threading.Thread(target=read, name="lightcone-requests", daemon=True).start()
    parent = os.getppid()
    while not stop.wait(0.5):
        if os.getppid() != parent:
            break
    # Whoever started us is done or gone: nothing of this run may go on.
    exit_within(15)
    d.cancel_all()
    d.close()


def hooks_main(args):
    """The sidecar of Snakemake's cluster hooks (--cluster-sidecar). It prints the path of a unix
    socket, on which the submit and cancel hooks (lightcone_hooks.py) send one request a
    connection. A job's id is the path of a file holding its state (running, success, failed), so
    that --cluster-status is plain `cat`: Snakemake asks for every job's state every second, and a
    process per question must be cheap. It ends on SIGTERM (Snakemake is done) or when Snakemake
    is gone, and cancels every task it submitted first."""
    import signal
    import socketserver
    import tempfile

    import_distributed()
    with open(args.tasks, encoding="utf-8") as f:
        tasks = json.load(f)  # output directory -> {"id", "argv", "cwd", "resources"}
    # Beside the task table, in the private directory of whoever started snakemake (it counts the
    # attempts there, and removes it); unix socket paths are limited to 107 bytes.
    where = os.path.dirname(os.path.abspath(args.tasks))
    own = len(os.path.join(where, "socket")) > 107
    if own:
        where = tempfile.mkdtemp(prefix="lightcone-dask-")
    jobs_dir = os.path.join(where, "jobs")
    os.mkdir(jobs_dir)
    lock = threading.Lock()
    attempts = {}

    def log(text):
        sys.stdout.write("lightcone-dask: %s\n" % text)  # Snakemake copies it into its log
        sys.stdout.flush()

    def state(jid, value):
        tmp = os.path.join(where, "state.tmp-%s" % jid)
        with open(tmp, "w") as f:
            f.write(value + "\n")
        os.replace(tmp, os.path.join(jobs_dir, jid))

    def hear(e):
        jid = "%s#%d" % (e.get("id"), e.get("attempt", 1))
        if e["event"] == "done":
            if e["exit"] != 0:
                log("%s failed on %s: %s" % (e["id"], e["worker"], e["output"].strip()[-2000:]))
            state(jid.replace("/", "%"), "success" if e["exit"] == 0 else "failed")
        elif e["event"] == "failed":
            log("%s failed: %s" % (e["id"], e["message"]))
            state(jid.replace("/", "%"), "failed")

    try:
        d = Dispatcher(args.address, hear, args.timeout, args.tls_dir)
    except Exception as e:
        print("lightcone-dask: cannot connect to the Dask scheduler at %s: %s" % (args.address, e))
        sys.exit(1)

    def submit(jobscript):
        with open(jobscript, encoding="utf-8") as f:
            for line in f:
                if line.startswith("# properties = "):
                    props = json.loads(line[len("# properties = "):])
                    break
            else:
                raise ValueError("%s has no '# properties = ' line" % jobscript)
        outputs = props.get("output") or []
        task = next((tasks[o] for o in outputs if o in tasks), None)
        if task is None:
            raise ValueError("no Lightcone task makes %s" % outputs)
        with lock:
            attempt = attempts[task["id"]] = attempts.get(task["id"], 0) + 1
        jid = ("%s#%d" % (task["id"], attempt)).replace("/", "%")
        state(jid, "running")
        d.submit(dict(task, op="submit", attempt=attempt))
        return os.path.join(jobs_dir, jid)

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            try:
                req = json.loads(self.rfile.readline())
                op = req.get("op")
                if op == "submit":
                    reply = {"jobid": submit(req["jobscript"])}
                elif op == "cancel":
                    d.cancel_all()
                    reply = {"ok": True}
                else:
                    reply = {"error": "unknown op %r" % op}
            except Exception as e:
                reply = {"error": "%s: %s" % (type(e).__name__, e)}
            self.wfile.write((json.dumps(reply) + "\n").encode())

    class Server(socketserver.ThreadingUnixStreamServer):
        daemon_threads = True

    path = os.path.join(where, "socket")
    server = Server(path, Handler)
    threading.Thread(target=server.serve_forever, name="lightcone-hooks", daemon=True).start()
    print(path, flush=True)  # Snakemake hands the first line to the hooks
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    parent = os.getppid()
    while not stop.wait(0.5):
        if os.getppid() != parent:
            break
    # Snakemake waits for this process to end before it does: whatever the Dask client does while
    # closing (seen: a close that never returned), this process ends within 15 s.
    exit_within(15)
    server.shutdown()
    d.cancel_all()
    d.close()
    try:
        os.unlink(path)
    except OSError:
        pass
    if own:
        import shutil

        shutil.rmtree(where, ignore_errors=True)


# ----------------------------------------------------------------------------------- main


def main(argv):
    import argparse

    p = argparse.ArgumentParser(prog="lightcone_dask.py")
    sub = p.add_subparsers(dest="mode_", required=True)
    c = sub.add_parser("cluster")
    c.add_argument("--mode", choices=["local", "slurm"], required=True)
    c.add_argument("--workers", type=int, default=1)
    c.add_argument("--wait", type=float, default=120)
    c.add_argument("--cpus-per-worker", type=int)
    c.add_argument("--tls-dir", required=True)
    c.add_argument("--detached", action="store_true")
    c.add_argument("--ready-file")
    w = sub.add_parser("worker")
    w.add_argument("address")
    w.add_argument("--name")
    w.add_argument("--host")
    w.add_argument("--death-timeout", type=float, default=30)
    w.add_argument("--watch-stdin", action="store_true")
    w.add_argument("--tls-dir")
    s = sub.add_parser("sidecar")
    s.add_argument("address")
    s.add_argument("--timeout", type=float, default=30)
    s.add_argument("--tls-dir")
    h = sub.add_parser("hooks")
    h.add_argument("address")
    h.add_argument("--tasks", required=True)
    h.add_argument("--timeout", type=float, default=30)
    h.add_argument("--tls-dir")
    args = p.parse_args(argv)
    {"cluster": cluster_main, "worker": worker_main, "sidecar": sidecar_main,
     "hooks": hooks_main}[args.mode_](args)


if __name__ == "__main__":
    main(sys.argv[1:])
