"""Output folders for benchmark runs, shared by bench/compare.sh and bench/measure.py.

Every run writes a new folder and none is deleted before the last measurement: on ext4
without a journal (this machine's disk), creating a file scans past every inode deleted in
the last five and a half minutes in the same block group (`recently_deleted` in
fs/ext4/ialloc.c), so deleting 20,000 output files before a run made the next run's file
creation quadratic. For the same reason a new set of runs waits six minutes after a large
deletion in the same folder (`wait_after_deletion`).

Keeping every output has its own cost: a 10,000-persona comparison leaves about 10 GB of
written pages in the page cache, and once free memory runs out the kernel reclaims them
during the later runs (kswapd takes CPU from the tools on a 2-core machine, and allocations
stall). So before each run the previous run's output is synced and dropped from the page
cache (posix_fadvise DONTNEED on each file): the files stay, their pages go, and every run
starts with the same free memory. `reclaimed()` counts the pages the kernel had to reclaim,
so a report can show that none were.

Freed memory has a cost of its own on this VM: the guest reports free 2 MB blocks to the
host (virtio-balloon free page reporting, `/sys/module/page_reporting`), in the
background, for seconds after a large process exits. A 10,000-persona tabiji build started
right after Hugo's (10 GB) ran 0.3–0.5 s slower than one started after a pause, while the
guest was still reporting about 1.8 GB. So before each run the harness also waits until
the reporting has stopped (`wait_for_quiet_memory()`, at most 30 s).
"""

import os
import shutil
import sys
import tempfile
import time

REPORTED = "/sys/module/page_reporting/parameters/reported_kib"

# ext4 without a journal skips an inode deleted less than 30 s ago, or 330 s ago while its
# inode table block is dirty (which creating new files makes it): 6 minutes is safe.
AFTER_DELETION = 360.0
STAMP = ".last-deletion"


class RunFolders:
    """A new output folder per run under one parent folder, all deleted by `close()`."""

    def __init__(self, parent, prefix):
        self.parent = parent
        wait_after_deletion(parent)
        self.root = tempfile.mkdtemp(prefix=prefix, dir=parent)
        self.previous = None

    def fresh(self, name, settle=True):
        """The path of a new output folder (not created). Before returning it, writes the
        previous run's output to disk and drops its pages from the cache, so that neither
        its write-back nor its reclaim happens during the next run, and (with `settle`)
        waits for the guest to stop handing freed memory back to the host."""
        os.sync()
        if self.previous is not None:
            drop_cached(self.previous)
        if settle:
            wait_for_quiet_memory()
        path = os.path.join(self.root, name)
        self.previous = path
        return path

    def close(self):
        """Deletes every run's output (again harmless), and notes when (see
        `wait_after_deletion`)."""
        delete_tree(self.root, self.parent)


def delete_tree(path, parent):
    """Deletes a folder and, when it held many files, notes the time in `parent`, so that
    the next measurement there waits until file creation is fast again."""
    files = sum(len(f) for _, _, f in os.walk(path))
    shutil.rmtree(path, ignore_errors=True)
    os.sync()
    if files >= 10_000:
        note_deletion(parent)


def note_deletion(parent):
    with open(os.path.join(parent, STAMP), "w") as f:
        f.write(f"{time.time():.0f}\n")


def wait_after_deletion(parent):
    """Sleeps until AFTER_DELETION seconds have passed since many files were deleted in
    `parent` (by `delete_tree`, or by a script that wrote the stamp): creating files in the
    minutes after a large deletion costs a scan past every deleted inode on this machine's
    ext4, which made a 2,000-persona build take 1.2 s instead of 0.63 s."""
    try:
        with open(os.path.join(parent, STAMP)) as f:
            since = time.time() - float(f.read().strip() or 0)
    except (OSError, ValueError):
        return
    if 0 <= since < AFTER_DELETION:
        left = AFTER_DELETION - since
        print(f"  waiting {left:.0f} s: many files were deleted here {since:.0f} s ago", file=sys.stderr, flush=True)
        time.sleep(left)


def drop_cached(path):
    """Drops the (clean) cached pages of every file under path. Returns the files seen
    (none where the system has no posix_fadvise, as on macOS)."""
    if not hasattr(os, "posix_fadvise"):
        return 0
    count = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                fd = os.open(os.path.join(root, name), os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


def wait_for_quiet_memory(quiet=3.0, limit=30.0):
    """Waits until the guest has stopped reporting free memory to the host: no change in
    `reported_kib` for `quiet` seconds, or `limit` seconds in all. Returns the seconds
    waited (0 where the kernel has no free page reporting)."""
    start = time.monotonic()
    try:
        with open(REPORTED) as f:
            last = f.read()
    except OSError:
        return 0.0
    since = start
    while True:
        time.sleep(0.25)
        now = time.monotonic()
        with open(REPORTED) as f:
            value = f.read()
        if value != last:
            last, since = value, now
        elif now - since >= quiet or now - start >= limit:
            return now - start


def reclaimed():
    """Pages the kernel has reclaimed so far (kswapd and direct reclaim, from /proc/vmstat),
    or None where there is no /proc/vmstat. Compare two readings around a run."""
    try:
        with open("/proc/vmstat") as f:
            stats = dict(line.split() for line in f)
    except OSError:
        return None
    return sum(int(v) for k, v in stats.items() if k.startswith(("pgsteal_kswapd", "pgsteal_direct")))
