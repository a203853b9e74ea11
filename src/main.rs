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
    // Never hand freed memory back to the OS while running: memory returned is faulted in
    // and zeroed again moments later. tabiji is a short-lived process (or `serve`, whose
    // memory is reused by the next rebuild). Transparent huge pages are off for the same
    // reason (the `no_thp` feature): each first touch zeroed 2 MiB at once, and the kernel
    // spent about a third of a large build in `clear_page`.
    // SAFETY: sets a process-wide option of the allocator; no memory is involved.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
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
