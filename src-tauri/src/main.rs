//! The `devteam` desktop binary.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let mut args = std::env::args().skip(1);
    if let Some(flag) = args.next() {
        if flag == "--export-bindings" {
            let path = args.next().unwrap_or_else(|| "ui/src/bindings.ts".into());
            if let Err(e) = devteam_app::export_bindings(std::path::Path::new(&path)) {
                eprintln!("cannot write the bindings to {path}: {e}");
                std::process::exit(1);
            }
            return;
        }
    }
    devteam_app::run();
}
