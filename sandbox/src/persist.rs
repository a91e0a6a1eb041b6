//! The state file: loaded at start, written when something it keeps has changed.

use std::path::Path;
use std::sync::atomic::Ordering;

use crate::Error;
use crate::serve::App;
use crate::state::State;

/// Reads a state file.
pub(crate) fn load(path: &Path) -> Result<State, Error> {
    let err = |message: String| Error::StateFile {
        path: path.to_owned(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let mut st: State = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
    st.reseed_tokens();
    Ok(st)
}

/// Writes the state file if something changed (to a temporary file, then renamed, so a crash
/// never leaves half a file).
pub(crate) fn save_if_dirty(app: &App) -> Result<(), Error> {
    let Some(path) = &app.state_file else {
        return Ok(());
    };
    if !app.dirty.swap(false, Ordering::Relaxed) {
        return Ok(());
    }
    let text = {
        let st = app.lock();
        serde_json::to_string(&*st)
    };
    let err = |message: String| Error::StateFile {
        path: path.clone(),
        message,
    };
    let text = text.map_err(|e| err(e.to_string()))?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(|e| err(e.to_string()))?;
    std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))
}
