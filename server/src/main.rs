//! `gs1dpp-server`: the gs1-dpp HTTP service (foundation lands with the server issue).

fn main() {
    eprintln!("gs1dpp-server: the HTTP service is not built yet; see the open server issue");
    std::process::exit(2);
}
