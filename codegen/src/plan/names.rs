//! Crate-level names: each is claimed once, and a second claim is an error.

use std::collections::BTreeMap;

use crate::diag::{Loc, Sink};

/// Names the generated code itself defines at the crate root, besides the spec's types.
const GENERATED: &[&str] = &[
    "Dmapi",
    "Client",
    "ClientBuilder",
    "Call",
    "Requests",
    "AnyRequest",
    "StatusCode",
    "Service",
];

/// The names claimed so far, with where and by what.
pub(crate) struct Claims {
    names: BTreeMap<String, (Loc, String)>,
}

impl Claims {
    pub fn new() -> Self {
        Claims {
            names: BTreeMap::new(),
        }
    }

    /// Claims `name` (nothing, when a spec name has no identifier) for `what`; an error when
    /// the runtime, the generated code or an earlier claim has it.
    pub fn claim(
        &mut self,
        sink: &mut Sink<'_>,
        name: Option<String>,
        loc: &Loc,
        what: impl FnOnce() -> String,
    ) {
        let Some(name) = name else { return };
        let taken = if dmapi_runtime::ROOT_NAMES.contains(&name.as_str()) {
            Some("runtime type")
        } else if GENERATED.contains(&name.as_str()) {
            Some("generated for every spec")
        } else {
            None
        };
        if let Some(by) = taken {
            let message = format!(
                "{} would be named `{name}`, which the crate already uses ({by})",
                what()
            );
            sink.error(loc, message);
            return;
        }
        if let Some((first, fwhat)) = self.names.get(&name) {
            let message = format!(
                "{} would be named `{name}`, like {fwhat} at {}",
                what(),
                sink.describe(first)
            );
            sink.error(loc, message);
        } else {
            self.names.insert(name, (loc.clone(), what()));
        }
    }
}

/// Methods the generated code gives every request, besides the runtime's traits'.
const GENERATED_METHODS: &[&str] = &["new"];

/// The names of one request's fields and setters.
pub(crate) struct Members<'r> {
    request: &'r str,
    /// The inherent methods of the request's type besides its setters.
    methods: &'r [&'r str],
    names: BTreeMap<String, Loc>,
}

impl<'r> Members<'r> {
    pub fn new(request: &'r str, methods: &'r [&'r str]) -> Self {
        Members {
            request,
            methods,
            names: BTreeMap::new(),
        }
    }

    /// Claims field and setter `id` for `what` (e.g. "parameter `x`").
    pub fn claim(&mut self, sink: &mut Sink<'_>, id: &str, loc: &Loc, what: &str) {
        let id = id.trim_start_matches("r#");
        if dmapi_runtime::REQUEST_METHODS.contains(&id) || GENERATED_METHODS.contains(&id) {
            sink.error(
                loc,
                format!("{what} would generate a setter `{id}` that clashes with a method of every request"),
            );
        } else if self.methods.contains(&id) {
            sink.error(
                loc,
                format!(
                    "{what} would generate a setter `{id}` that clashes with a method of `{}`",
                    self.request
                ),
            );
        }
        if let Some(first) = self.names.insert(id.to_owned(), loc.clone()) {
            let message = format!(
                "{what} and the parameter at {} both become the Rust name `{id}` in `{}`",
                sink.describe(&first),
                self.request
            );
            sink.error(loc, message);
        }
    }
}
