//! Requests of our own, from `dmapi-spec/*.toml`, typed like the stock ones.

fn main() {
    if let Err(e) = dmapi_codegen::Config::new().compile("dmapi-spec", "my_requests.rs") {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
