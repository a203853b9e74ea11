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

fn main() -> ExitCode {
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
