//! A real terminal for tests: a `tmux` server of a test's own, running one script in a
//! 200x50 pane, whose screen the test reads and types into.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Fails, saying what to install, when tmux is missing: `.ci/run` installs it, and a terminal
/// test that passes without a terminal would prove nothing.
pub fn require() {
    assert!(
        Command::new("tmux").arg("-V").output().is_ok(),
        "tmux is not installed: this test drives a real terminal with it (apt-get install tmux)"
    );
}

/// A `tmux` server of this test's own, killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    /// A server of its own (`name` and the process id make the socket) running `sh script`.
    pub fn start(name: &str, script: &str) -> Tmux {
        require();
        let tmux = Tmux {
            socket: format!("dmapi-test-{}-{name}", std::process::id()),
        };
        let o = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "200",
            "-y",
            "50",
            "sh",
            script,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Types `keys`, then Enter.
    pub fn keys(&self, keys: &str) {
        let o = self.run(&["send-keys", "-t", "t", keys, "Enter"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    /// The pane's text (with escape sequences if `escapes`).
    pub fn screen(&self, escapes: bool) -> String {
        let mut args = vec!["capture-pane", "-p", "-t", "t"];
        if escapes {
            args.push("-e");
        }
        String::from_utf8_lossy(&self.run(&args).stdout).into_owned()
    }

    /// Waits until the pane shows `text`, and gives the pane.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(|screen| screen.contains(text), text)
    }

    /// Waits until `done` holds for the pane, and gives the pane.
    pub fn wait_until(&self, done: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen(false);
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "`{what}` never showed:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}
