use std::process::ExitCode;

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
