# Lightcone's log handler for snakemake (--log-handler-script). It forwards the job events that
# Lightcone turns into progress to the file named by LIGHTCONE_SNAKEMAKE_EVENTS, one JSON object a
# line, written whole and flushed. Outcomes are not taken from here: they come from the task
# runner's own records (manifests and failure records).
import json
import os
import threading

_path = os.environ.get("LIGHTCONE_SNAKEMAKE_EVENTS")
_events = open(_path, "a", encoding="utf-8", buffering=1) if _path else None
# Snakemake logs from its scheduler and from executor callbacks: one line at a time.
_lock = threading.Lock()


def log_handler(msg):
    if _events is None:
        return
    level = msg.get("level")
    if level == "job_info":
        wildcards = msg.get("wildcards") or {}
        event = {
            "event": "start",
            "jobid": msg.get("jobid"),
            "rule": msg.get("name"),
            "universe": wildcards.get("universe"),
        }
    elif level == "job_finished":
        event = {"event": "end", "jobid": msg.get("jobid")}
    elif level == "job_error":
        event = {"event": "error", "jobid": msg.get("jobid")}
    else:
        return
    line = json.dumps(event) + "\n"
    with _lock:
        _events.write(line)
