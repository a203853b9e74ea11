//! `TABIJI_PROFILE=1`: timings, sizes and memory of a build on stderr
//! (docs/performance.md).

/// Whether `TABIJI_PROFILE` is set; read once.
pub fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("TABIJI_PROFILE").is_some())
}
