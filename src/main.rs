use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: building a large site allocates and frees millions
/// of small strings on two threads, and glibc's allocator spent about a quarter of the
/// build's CPU in `_int_malloc`/`_int_free`/`malloc_consolidate` (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's C API (v3, as built by `libmimalloc-sys`, which the `mimalloc` crate links).
unsafe extern "C" {
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}
/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e`.
const MI_OPTION_PURGE_DELAY: i32 = 15;

fn main() -> ExitCode {
    // Freed memory goes back to the OS once it has stayed unused for 25 ms. With mimalloc's
    // default (1 s), or never, a 10,000-persona build peaked at about 540 MB instead of
    // 465 MB: memory one thread frees is not always what another reuses. Memory freed and
    // reused at once is still not faulted in and zeroed again; the price is some system
    // time (about 0.3 s of CPU on that build).
    // Transparent huge pages stay off (the `no_thp` feature): each first touch zeroed
    // 2 MiB, and the kernel spent about a third of a large build in `clear_page`.
    // `MIMALLOC_PURGE_DELAY` in the environment overrides this (for measuring).
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a process-wide option of the allocator; no memory is involved.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 25) };
    }
    match tabiji::cli::run(std::env::args_os()) {
        Ok(code) => code,
        // `tabiji export … | head` closing the pipe early is not an error.
        Err(tabiji::cli::CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let e = anyhow::Error::from(e);
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
