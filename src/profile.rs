//! `TABIJI_PROFILE=1`: timings, sizes and memory of a build on stderr
//! (docs/performance.md).

/// Whether `TABIJI_PROFILE` is set; read once.
pub fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("TABIJI_PROFILE").is_some())
}

/// Live and peak heap bytes, counted by [`CountingAlloc`] when the binary is built with the
/// `alloc-stats` feature (`cargo build --release --features alloc-stats`); `None` otherwise.
/// With `TABIJI_PROFILE=1`, the build prints them at each step it times.
pub fn heap() -> Option<(usize, usize)> {
    use std::sync::atomic::Ordering::Relaxed;
    COUNTING
        .load(Relaxed)
        .then(|| (LIVE.load(Relaxed), PEAK.load(Relaxed)))
}

/// ` (heap: live N MB, peak M MB)` for a profile line, or nothing without `alloc-stats`.
pub fn heap_note() -> String {
    match heap() {
        Some((live, peak)) => format!(
            " (heap: live {} MB, peak {} MB; resident {} MB)",
            live / 1_000_000,
            peak / 1_000_000,
            resident() / 1_000_000
        ),
        None => String::new(),
    }
}

static COUNTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A global allocator that counts the bytes live in another: what the model and each step
/// of a build really hold, which the resident set size (what the allocator keeps) hides.
/// Slower (two atomic operations per call); for measuring only.
pub struct CountingAlloc<A>(pub A);

// SAFETY: every call is passed on to the inner allocator unchanged; only counters change.
unsafe impl<A: std::alloc::GlobalAlloc> std::alloc::GlobalAlloc for CountingAlloc<A> {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count_alloc(layout.size());
        // SAFETY: the caller's contract is the inner allocator's.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        count_alloc(layout.size());
        // SAFETY: as above.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        count_alloc(new);
        // SAFETY: as above.
        unsafe { self.0.realloc(ptr, layout, new) }
    }
}

fn count_alloc(size: usize) {
    use std::sync::atomic::Ordering::Relaxed;
    COUNTING.store(true, Relaxed);
    let live = LIVE.fetch_add(size, Relaxed) + size;
    PEAK.fetch_max(live, Relaxed);
}

/// The process's resident set size in bytes (Linux: `/proc/self/statm`; 0 elsewhere).
fn resident() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// With `alloc-stats` and `TABIJI_PROFILE`: a thread printing the live heap and the
/// resident size every 50 ms until the process ends, to see which step holds the peak.
pub fn sample_heap() {
    if !enabled() || heap().is_none() {
        return;
    }
    let t = std::time::Instant::now();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_millis(50));
            eprintln!("heap at {} ms:{}", t.elapsed().as_millis(), heap_note());
        }
    });
}
