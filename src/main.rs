use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: building a large site allocates and frees millions
/// of small strings on two threads, and glibc's allocator spent about a quarter of the
/// build's CPU in `_int_malloc`/`_int_free`/`malloc_consolidate` (see docs/performance.md).
#[cfg(not(feature = "alloc-stats"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// With `--features alloc-stats`: the same allocator, its live bytes counted
/// (`tabiji::profile::heap`, printed by `TABIJI_PROFILE=1`).
#[cfg(feature = "alloc-stats")]
#[global_allocator]
static GLOBAL: tabiji::profile::CountingAlloc<mimalloc::MiMalloc> =
    tabiji::profile::CountingAlloc(mimalloc::MiMalloc);

// mimalloc's C API (v3, as built by `libmimalloc-sys`, which the `mimalloc` dependency links).
unsafe extern "C" {
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e`.
const MI_OPTION_PURGE_DELAY: i32 = 15;

fn main() -> ExitCode {
    // Freed memory is kept for reuse rather than handed back to the system and faulted in
    // again moments later: about 5 % of a 2,000-persona build's CPU, for no more peak memory
    // (docs/performance.md). `MIMALLOC_PURGE_DELAY` in the environment still wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a process-wide option of the allocator; no memory is involved.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    tabiji::cli::run(std::env::args_os())
}
