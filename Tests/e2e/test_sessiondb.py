"""SessionDB across processes: contention and a writer killed mid-run."""
import json
import os
import signal
import subprocess

from conftest import BIN_DIR, ROOT, wait_until


def voicectl_env(var_dir):
    env_file = os.path.join(var_dir, "test.env")
    open(env_file, "w").close()
    return dict(os.environ, VAR_DIR=var_dir, ENV_FILE=env_file)


def counter(env, key):
    result = subprocess.run([os.path.join(BIN_DIR, "voicectl"), "sessiondb", "counter", "--key", key],
                            env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return int(result.stdout.strip())


def test_eight_processes_increment_one_key(var_dir):
    env = voicectl_env(var_dir)
    writers = [subprocess.Popen([os.path.join(BIN_DIR, "voicectl"), "sessiondb", "stress-increment",
                                 "--key", "shared", "--times", "2000"],
                                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(8)]
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    assert counter(env, "shared") == 16000


def test_killed_writer_loses_no_committed_increment(var_dir):
    env = voicectl_env(var_dir)
    writer = subprocess.Popen([os.path.join(BIN_DIR, "voicectl"), "sessiondb", "stress-increment",
                               "--key", "crash", "--times", "1000000", "--verbose"],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # A second writer contends for the lock, so the kill can land while either holds it.
    rival = subprocess.Popen([os.path.join(BIN_DIR, "voicectl"), "sessiondb", "stress-increment",
                              "--key", "crash", "--times", "1000000"],
                             env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    committed = []
    for line in writer.stdout:
        committed.append(int(line))
        if len(committed) >= 3000:
            break
    writer.send_signal(signal.SIGKILL)
    rival.send_signal(signal.SIGKILL)
    rest = writer.stdout.read().split()
    writer.wait()
    rival.wait()
    last_printed = int(rest[-1]) if rest else committed[-1]

    # The store opens cleanly and holds at least every increment the writer saw committed.
    value = counter(env, "crash")
    assert value >= last_printed
    # And it keeps working: the lock the killed writers may have held is recovered.
    subprocess.run([os.path.join(BIN_DIR, "voicectl"), "sessiondb", "stress-increment",
                    "--key", "crash", "--times", "100"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=60)
    assert counter(env, "crash") == value + 100
    stats = subprocess.run([os.path.join(BIN_DIR, "voicectl"), "sessiondb", "stats"], env=env, cwd=ROOT,
                           capture_output=True, text=True, check=True)
    assert json.loads(stats.stdout)["entries"]["meta"] == 1
