//! How the allocator hands memory back, by the size of the work.
//!
//! The binary uses mimalloc (see `main.rs`) and tells it never to return freed memory to the
//! operating system: memory freed and allocated again moments later is then not faulted in
//! and zeroed again, which on a 2,000-persona build is about 6 % of the CPU. On a large
//! site that costs memory instead: what one thread frees is not always what another reuses,
//! and a 10,000-persona build peaked at about 540 MB instead of 465 MB. So a build whose
//! input is large has memory unused for 25 ms returned, from the moment its stage and
//! department pages start: loading and the pass over the personas free and reuse memory
//! of the same sizes within milliseconds (returning it only made the kernel fault it in
//! again: 0.2 s of a 3.2 s build), whereas those pages allocate larger buffers that the
//! freed memory cannot serve, which is where the peak came from.
//!
//! Transparent huge pages stay off either way (the `no_thp` feature of the `mimalloc`
//! dependency): each first touch zeroed 2 MiB, and the kernel spent about a third of a
//! large build in `clear_page`.

/// Input (the site's files, in bytes) from which a build returns unused memory early:
/// about 3,600 personas of the benchmark's sites.
pub const LARGE_INPUT: u64 = 64 * 1024 * 1024;

// mimalloc's C API (v3, as built by `libmimalloc-sys`, which the `mimalloc` dependency
// links). Where mimalloc is not the global allocator (the library's tests), this sets an
// option of an allocator nothing uses.
//
// Named here so that the library itself links mimalloc's C library: a test binary that
// reaches these functions (any that renders a site) has no other reason to.
extern crate mimalloc;
unsafe extern "C" {
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e`.
const MI_OPTION_PURGE_DELAY: i32 = 15;

/// Never return freed memory (the default of the binary).
pub fn keep_freed_memory() {
    set_purge_delay(-1);
}

/// Whether the input being built is large ([`LARGE_INPUT`]); set by the loader.
static LARGE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records the size of the input a build loaded.
pub fn note_input(bytes: u64) {
    LARGE.store(bytes >= LARGE_INPUT, std::sync::atomic::Ordering::Relaxed);
}

/// From now on, return memory that has stayed unused for 25 ms, if the input is large.
pub fn return_unused_memory_if_large() {
    if LARGE.load(std::sync::atomic::Ordering::Relaxed) {
        set_purge_delay(25);
    }
}

fn set_purge_delay(ms: std::ffi::c_long) {
    // `MIMALLOC_PURGE_DELAY` in the environment wins (for measuring).
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a process-wide option of the allocator; no memory is involved.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, ms) };
    }
}
