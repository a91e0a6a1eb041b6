//! `dmapi completions SHELL` and `dmapi man`: the command line as shells and `man` read it,
//! generated from the same `clap` command as the help (clap_complete, clap_mangen).

use std::path::Path;

use clap::{ArgMatches, Command};
use clap_complete::Shell;

use crate::{Failure, args, print};

/// Runs `completions` or `man`.
pub(crate) fn run(name: &str, sub: &ArgMatches) -> Result<(), Failure> {
    let mut cmd = args::command();
    if name == args::COMPLETIONS {
        let shell = sub
            .get_one::<Shell>(args::SHELL)
            .copied()
            .ok_or_else(|| Failure::Usage("completions: name a shell".into()))?;
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut cmd, "dmapi", &mut out);
        print(&String::from_utf8_lossy(&out));
        return Ok(());
    }
    match sub.get_one::<std::path::PathBuf>(args::OUT_DIR) {
        Some(dir) => write_pages(cmd, dir),
        None => {
            print(&render_page(cmd)?);
            Ok(())
        }
    }
}

fn render_page(cmd: Command) -> Result<String, Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut out)
        .map_err(|e| Failure::Transport(format!("cannot render the man page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `dmapi.1`, and `dmapi-<subcommand>.1` for each subcommand (`/` in a request's name, as in
/// `v2/contact/create`, becomes `-`).
fn write_pages(cmd: Command, dir: &Path) -> Result<(), Failure> {
    let cmd = cmd.disable_help_subcommand(true);
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Usage(format!("cannot create {}: {e}", dir.display())))?;
    let mut pages = vec![("dmapi".to_owned(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let file = format!("dmapi-{}", sub.get_name().replace('/', "-"));
        pages.push((file.clone(), sub.clone().name(file)));
    }
    for (file, page) in pages {
        let path = dir.join(format!("{file}.1"));
        std::fs::write(&path, render_page(page)?)
            .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}
