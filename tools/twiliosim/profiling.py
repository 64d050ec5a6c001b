"""Optional CPU profile of the simulator: with TWILIOSIM_PROFILE=FILE it runs
under cProfile (every thread it starts too), timed by each thread's CPU time
rather than the wall clock (time waiting on a socket is not cost), and writes
the merged pstats to FILE when it is stopped (SIGTERM or SIGINT)."""
import cProfile
import os
import pstats
import signal
import sys
import threading
import time

_profiles = []


def _profile_this_thread(*_):
    # threading.setprofile calls this on a new thread's first event; it then
    # hands the thread to a profiler of its own.
    profile = cProfile.Profile(time.thread_time)
    _profiles.append(profile)
    profile.enable()


def _dump_and_exit(path):
    def handler(signum, frame):
        for profile in _profiles:
            profile.disable()
        stats = pstats.Stats(*_profiles)
        stats.dump_stats(path)
        sys.stdout.flush()
        os._exit(0)
    return handler


def start_if_asked():
    path = os.environ.get("TWILIOSIM_PROFILE")
    if not path:
        return
    threading.setprofile(_profile_this_thread)
    _profile_this_thread()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _dump_and_exit(path))
