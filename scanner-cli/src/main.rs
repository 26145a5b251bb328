//! `gs1scan`: parse scanned or typed GS1 data.

fn main() {
    eprintln!("gs1scan: not built yet");
    std::process::exit(2);
}
