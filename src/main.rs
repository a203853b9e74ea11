use std::process::ExitCode;

fn main() -> ExitCode {
    match tabiji::cli::run(std::env::args_os()) {
        Ok(code) => code,
        Err(e) => {
            let e = anyhow::Error::from(e);
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
