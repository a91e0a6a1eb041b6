//! A bad spec gives every error, each with its file:line:column and an actionable message.

use dmapi_codegen::{SourceFile, load};

fn errors(files: &[(&str, &str)]) -> Vec<String> {
    let sources = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
    match load(sources) {
        Ok(_) => panic!("spec unexpectedly valid"),
        Err(d) => d.0.iter().map(|d| d.to_string()).collect(),
    }
}

fn one(text: &str) -> Vec<String> {
    errors(&[("spec/x.toml", text)])
}

#[test]
fn unknown_keys_are_all_reported_with_suggestions() {
    let got = one(r#"section = "X"

[request.a-b]
summary = "A."
sumary = "typo"
requires = [ { name = "domain", type = "domain", dco = "typo" } ]
colour = 1
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:5:1: error: unknown key `sumary` in request `a-b` (expected one of: accepts, alias_of, auth, changes, costs, deprecated, docs, effect, examples, extension, groups, include, kind, method, path, requires, result, returns, summary, tld_from); did you mean `summary`?",
            "spec/x.toml:6:50: error: unknown key `dco` in a parameter (expected one of: aliases, allow_empty, default, delimiter, deprecated, doc, example, indexed, item, max, min, name, required_when, secret, spelling, type, values); did you mean `doc`?",
            "spec/x.toml:7:1: error: unknown key `colour` in request `a-b` (expected one of: accepts, alias_of, auth, changes, costs, deprecated, docs, effect, examples, extension, groups, include, kind, method, path, requires, result, returns, summary, tld_from)",
        ]
    );
}

#[test]
fn paths_methods_aliases_and_field_sets_that_apply_everywhere_are_checked() {
    let got = one(r#"section = "X"
[fieldset.everywhere]
applies_to = "every-requets"
requires = [ { name = "t", type = "string" } ]
[request."v2/thing"]
summary = "A."
method = "put"
[request.b]
summary = "B."
path = "/Request//b?x"
accepts = [
  { name = "nickname", type = "string", aliases = ["nick-name", "Nick"] },
  { name = "nick-name", type = "string" },
  { name = "ds", type = "string", indexed = 2, aliases = ["dns"] },
]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:3:14: error: unknown `applies_to` `every-requets` (expected one of: every-request, every-change); did you mean `every-request`?",
            "spec/x.toml:3:14: error: field set `everywhere` applies to requests that do not name it, so it can only have `accepts` (no `requires` or `groups`)",
            "spec/x.toml:5:10: error: request `v2/thing` has a `/` in its name: give its URL with `path = \"/v2/thing\"`",
            "spec/x.toml:7:10: error: unknown method `put` (expected one of: post, get); did you mean `get`?",
            "spec/x.toml:10:8: error: path `/Request//b?x` must start with `/` and hold only lowercase letters, digits, `-`, `_`, `.` and single `/`s",
            "spec/x.toml:12:65: error: parameter alias `Nick` must be lowercase letters, digits, `-` or `_`",
            "spec/x.toml:13:12: error: `nick-name` is another spelling of `nickname` in `b`",
            "spec/x.toml:14:59: error: indexed parameter `ds` cannot have aliases",
        ]
    );
}

#[test]
fn registry_dates_need_a_date_column_both_keys_and_a_domain_column() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
returns = { body = "table", columns = [
  { name = "d", type = "date", registry_tlds = ["eu"], registry_days = -1 },
  { name = "s", type = "string", registry_tlds = ["eu"], registry_days = -1 },
  { name = "t", type = "date", registry_tlds = [".EU"], registry_days = 0 },
  { name = "u", type = "date", registry_days = 2 },
] }
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:5:12: error: column `d` has registry dates by TLD, so the table needs a `domain` column",
            "spec/x.toml:6:51: error: registry dates need a `date` column, and `s` is not one",
            "spec/x.toml:7:49: error: `.EU` is not a TLD (lowercase, no leading dot)",
            "spec/x.toml:7:73: error: `registry_days` is a day count from -366 to 366, not 0",
            "spec/x.toml:8:48: error: `registry_tlds` and `registry_days` are given together",
        ]
    );
}

#[test]
fn a_request_that_costs_cannot_be_a_query() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
costs = true
changes = false
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:5:1: error: request `a` costs money, so it changes state: drop `changes = false`"
        ]
    );
}

#[test]
fn zones_are_neither_list_items_nor_indexed() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
accepts = [
  { name = "zones", type = "list", item = "zone", delimiter = ":" },
  { name = "z", type = "zone", indexed = 3 },
]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:5:43: error: a list item cannot be a list or a zone",
            "spec/x.toml:6:12: error: a zone parameter cannot be indexed",
        ]
    );
}

#[test]
fn unknown_type_and_wrong_value_types() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
costs = "yes"
requires = [ { name = "domain", type = "domian" }, { name = "n", type = "int", min = "1" } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:4:9: error: `costs` in request `a` must be true or false, found a string",
            "spec/x.toml:5:40: error: unknown type `domian` (built-in types: string, text, secret, domain, handle, email, pattern, country, language, date, months, year, price, ipv4, ipv6, zone, int, enum, flag, list); did you mean `domain`?",
            "spec/x.toml:5:86: error: `min` in a parameter must be an integer, found a string",
        ]
    );
}

#[test]
fn duplicate_requests_across_files_point_at_both() {
    let got = errors(&[
        (
            "spec/a.toml",
            "section = \"A\"\n[request.login]\nsummary = \"x\"\n",
        ),
        (
            "spec/b.toml",
            "section = \"B\"\n\n[request.login]\nsummary = \"y\"\n",
        ),
    ]);
    assert_eq!(
        got,
        ["spec/b.toml:3:10: error: request `login` is defined twice (first at spec/a.toml:2:10)"]
    );
}

#[test]
fn groups_must_name_known_optional_parameters() {
    let got = one(r#"section = "X"
[request.r]
summary = "R."
requires = [ { name = "period", type = "months" } ]
accepts = [ { name = "expyear", type = "year" } ]
groups = [ { name = "term", kind = "exactly-one", alternatives = ["period", "expyaer"] },
           { name = "other", kind = "one-of", alternatives = ["expyear", "x"] } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:6:67: error: `period` is in group `term` and must be declared in `accepts`, not `requires` (the group says whether it is needed)",
            "spec/x.toml:6:77: error: group `term` names `expyaer`, which is not a parameter of `r`; did you mean `expyear`?",
            "spec/x.toml:7:37: error: unknown group kind `one-of` (expected `exactly-one` or `at-most-one`)",
        ]
    );
}

#[test]
fn alias_of_missing_request_and_alias_with_parameters() {
    let got = one(r#"section = "X"
[request.ns-create]
summary = "Create."
[request.host-create]
summary = "Alias."
alias_of = "ns-crate"
[request.host-delete]
summary = "Alias."
alias_of = "ns-create"
requires = [ { name = "host", type = "domain" } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:6:12: error: `host-create` is an alias of `ns-crate`, which is not a request; did you mean `ns-create`?",
            "spec/x.toml:10:1: error: `requires` is not allowed on an alias: `host-delete` takes it from `ns-create`",
        ]
    );
}

#[test]
fn rust_name_collisions_are_reported() {
    let got = one(r#"section = "X"
[request.r]
summary = "R."
accepts = [ { name = "ds-1", type = "string" }, { name = "ds_1", type = "string" }, { name = "new", type = "string" } ]
[request.results]
summary = "Clashes with a runtime type."
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:4:58: error: parameter `ds_1` and the parameter at spec/x.toml:4:22 both become the Rust name `ds_1` in `r`",
            "spec/x.toml:4:94: error: parameter `new` would generate a setter `new` that clashes with a method of every request",
            "spec/x.toml:5:10: error: request `results` would be named `Results`, which the crate already uses (runtime type)",
        ]
    );
}

#[test]
fn generated_names_are_claimed_once_row_refs_and_runtime_names_included() {
    // `foo-row-ref` is the name of `foo`'s borrowed row type; `retry-policy`, `decode` and
    // `any-request` are names the runtime or the generated code already has.
    let got = one(r#"section = "X"
[request.foo]
summary = "A table."
[request.foo.returns]
body = "table"
columns = [ { name = "a", type = "string" } ]
[request.foo-row-ref]
summary = "Clashes with the borrowed row of foo."
[request.retry-policy]
summary = "Clashes with a runtime type."
[request.decode]
summary = "Clashes with a runtime trait."
[request.any-request]
summary = "Clashes with the server side's enum."
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:7:10: error: request `foo-row-ref` would be named `FooRowRef`, like the borrowed row type of `foo` at spec/x.toml:2:10",
            "spec/x.toml:9:10: error: request `retry-policy` would be named `RetryPolicy`, which the crate already uses (runtime type)",
            "spec/x.toml:11:10: error: request `decode` would be named `Decode`, which the crate already uses (runtime type)",
            "spec/x.toml:13:10: error: request `any-request` would be named `AnyRequest`, which the crate already uses (generated for every spec)",
        ]
    );
}

#[test]
fn fields_and_setters_are_claimed_once_per_request() {
    // A table request has `borrow_rows`; a group's field is a name of the struct like a
    // parameter's; `decode` is a method of every request (server side).
    let got = one(r#"section = "X"
[request.t]
summary = "T."
accepts = [ { name = "borrow-rows", type = "flag", spelling = "0/1" }, { name = "term", type = "string" }, { name = "a", type = "string" }, { name = "b", type = "string" }, { name = "decode", type = "string" } ]
groups = [ { name = "term", kind = "at-most-one", alternatives = ["a", "b"] } ]
[request.t.returns]
body = "table"
columns = [ { name = "c", type = "string" } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:4:22: error: parameter `borrow-rows` would generate a setter `borrow_rows` that clashes with a method of `t`",
            "spec/x.toml:4:183: error: parameter `decode` would generate a setter `decode` that clashes with a method of every request",
            "spec/x.toml:5:21: error: group `term` and the parameter at spec/x.toml:4:81 both become the Rust name `term` in `t`",
        ]
    );
}

#[test]
fn toml_syntax_errors_have_locations() {
    let got = one("section = \"X\"\n[request.r\nsummary = \"R.\"\n");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("spec/x.toml:2:"), "{got:?}");
    assert!(got[0].contains("TOML syntax"), "{got:?}");
}

#[test]
fn conditions_and_returns_are_checked() {
    let got = one(r#"section = "X"
[request.r]
summary = "R."
kind = "async"
accepts = [ { name = "lang", type = "language", required_when = { tld = ["eu"] } },
            { name = "show", type = "string" } ]
returns = { body = "table", columns = [ { name = "a", type = "string" } ], extra_columns = [ { flag = "show", columns = [] } ] }
[request.s]
summary = "S."
returns = { body = "lines", keys = [ { name = "k", type = "string" } ] }
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:2:10: error: queued request `r` needs `effect = \"on-acceptance\"` or `\"on-completion\"`: when its effect becomes visible",
            "spec/x.toml:5:74: error: a TLD condition needs `tld_from` on request `r` (which parameter carries the TLD)",
            "spec/x.toml:7:11: error: an async request answers only `Proc-ID`; its `body` must be `none` (the outcome comes from result-retrieve)",
            "spec/x.toml:7:103: error: extra columns depend on `show`, which is not a flag",
            "spec/x.toml:10:47: error: `keys` only applies to `body = \"key-value\"`",
        ]
    );
}

#[test]
fn enum_values_must_be_distinct_rust_names() {
    let got = one(r#"section = "X"
[request.r]
summary = "R."
requires = [ { name = "v", type = "enum", values = ["a-b", "a_b", "?"] }, { name = "f", type = "flag", spelling = "on/off" } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:4:60: error: enum value `a_b` and `a-b` (at spec/x.toml:4:53) both become the Rust name `AB`",
            "spec/x.toml:4:67: error: enum value `?` has no letters or digits to name it in Rust",
            "spec/x.toml:4:115: error: unknown flag spelling `on/off` (expected one of: 0/1, yes/no, Y/N, 1/Y)",
        ]
    );
}

#[test]
fn a_valid_spec_loads() {
    let spec = load(vec![SourceFile::new(
        "spec/ok.toml",
        "section = \"X\"\n[request.ns-create]\nsummary = \"Create.\"\n[request.host-create]\nsummary = \"Alias.\"\nalias_of = \"ns-create\"\n",
    )])
    .expect("valid");
    assert_eq!(spec.requests.len(), 2);
    assert_eq!(spec.requests[1].alias_of.as_deref(), Some("ns-create"));
}

#[test]
fn repeated_alternatives_and_misplaced_none_markers() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
accepts = [ { name = "ip", type = "ipv4" }, { name = "ipv6", type = "ipv6" } ]
groups = [ { name = "g", kind = "exactly-one", alternatives = ["ip", ["ip", "ipv6"], ["ipv6", "ip"]] } ]
[request.a.returns]
body = "table"
columns = [ { name = "c", type = "string", none = " " } ]
headers = [ { name = "H", type = "string", none = "-" } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:5:21: error: group `g` lists the alternative `ip` with `ipv6` twice",
            "spec/x.toml:8:51: error: `none` must be a non-empty marker without whitespace, e.g. \"-\"",
            "spec/x.toml:9:51: error: `none` only applies to table columns, not to a header",
        ]
    );
}

#[test]
fn the_session_table_must_name_real_requests_and_parameters() {
    let got = one(r#"section = "X"
[session]
production = "http://x.example"
ote = "https://ote.example"
path = "/request/"
param = "sid"
login = "log-in"
username = "user"
password = "pass"
api_key = "key"
logout = "bye"
timeout_header = "T"
access_header = "A"
cookie = "c"
access_full = "f"
access_read_only = "r"
access_modify_only = "m"
result = "outcome"
result_id = "id"
results = "outcome"
results_type = "id"
results_object = "id"
results_pending = "id"
status_key = "S"
cltrid = "t"
results_cltrid = "id"
invalid_api_key = "bad key"
invalid_username = "bad username"
[request.log-in]
summary = "A."
auth = false
accepts = [ { name = "user", type = "string" } ]
[request.outcome]
summary = "B."
requires = [ { name = "sid", type = "string" } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:2:1: error: a spec with `[session]` needs a `[protocol]` table: the client reads answers with it",
            "spec/x.toml:3:14: error: session `production` must be an https:// URL",
            "spec/x.toml:9:12: error: session `password` names `pass`, which is not a parameter of `log-in`",
            "spec/x.toml:10:11: error: session `api_key` names `key`, which is not a parameter of `log-in`",
            "spec/x.toml:11:10: error: session `logout` names `bye`, which is not a request",
            "spec/x.toml:19:13: error: session `result_id` names `id`, which is not a parameter of `outcome`",
            "spec/x.toml:21:16: error: session `results_type` names `id`, which is not a parameter of `outcome`",
            "spec/x.toml:22:18: error: session `results_object` names `id`, which is not a parameter of `outcome`",
            "spec/x.toml:23:19: error: session `results_pending` names `id`, which is not a parameter of `outcome`",
            "spec/x.toml:26:18: error: session `results_cltrid` names `id`, which is not a parameter of `outcome`",
            "spec/x.toml:35:23: error: `sid` is the session parameter (see `[session]`); requests must not declare it",
        ]
    );
}

#[test]
fn values_of_the_wrong_kind_are_all_reported_without_hiding_the_rest() {
    let got = one(r#"section = "X"
[request.a]
summary = 1979-05-27
include = ["f", { fieldset = "f", bogus = 1 }, 3, { optional = true }]
accepts = [
  { name = "p", type = "int", max = 99999999999999999999, required_when = [1, { tld = "x" }, { params = { q = [1] } }] },
  "q",
]
[fieldset.f]
groups = [ { name = "g", kind = "at-most-one", alternatives = [1.5, ["p", true]] } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:2:10: error: request `a` needs a non-empty `summary`",
            "spec/x.toml:3:11: error: `summary` in request `a` must be a string, found a date-time",
            "spec/x.toml:4:35: error: unknown key `bogus` in an include (expected one of: fieldset, optional)",
            "spec/x.toml:4:48: error: an include is a field set name or { fieldset = \"...\", optional = true }, found an integer",
            "spec/x.toml:4:51: error: an include is missing the required key `fieldset`",
            "spec/x.toml:6:37: error: `max` is out of range",
            "spec/x.toml:6:76: error: `required_when` must be a table like { tld = [\"fi\"], params = { x-ficora-type = [\"company\"] } } or an array of them, found an integer",
            "spec/x.toml:6:79: error: a `required_when` condition needs `tld` and/or `params`",
            "spec/x.toml:6:87: error: `tld` in a `required_when` condition must be an array, found a string",
            "spec/x.toml:6:107: error: condition names `q`, which is not a parameter of `a`",
            "spec/x.toml:6:112: error: items of `q` in a condition must be strings, found an integer",
            "spec/x.toml:7:3: error: items of `accepts` in request `a` must be tables (a parameter), found a string",
            "spec/x.toml:10:21: error: group `g` needs at least two alternatives",
            "spec/x.toml:10:64: error: an alternative is a parameter name or an array of names, found a float",
            "spec/x.toml:10:75: error: items of `alternatives` in a group must be strings, found a boolean",
        ]
    );
}

#[test]
fn the_session_table_reports_every_missing_unknown_and_mistyped_key() {
    let got = errors(&[
        (
            "spec/a.toml",
            "[session]\nproduction = 1\nprodction = \"x\"\n",
        ),
        ("spec/b.toml", "session = [1]\n"),
    ]);
    assert_eq!(got.len(), 29, "{got:?}");
    assert_eq!(
        got[0],
        "spec/a.toml:1:1: error: the session table is missing the required key `ote`"
    );
    assert!(got.contains(&"spec/a.toml:2:14: error: `production` in the session table must be a string, found an integer".to_string()), "{got:?}");
    assert!(got.iter().any(|e| e.starts_with("spec/a.toml:3:1: error: unknown key `prodction` in the session table (expected one of: access_full,") && e.ends_with("; did you mean `production`?")), "{got:?}");
    assert_eq!(
        got[28],
        "spec/b.toml:1:11: error: `session` in the file must be a table, found an array"
    );
}

#[test]
fn numbers_too_large_for_any_type_are_reported_in_place() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
requires = [ { name = "n", type = "int", min = 9999999999999999999999999999999999999999999 }, { name = "m", type = "int", max = 1.5e999 } ]
[type.t]
base = "int"
min = 99999999999999999999999999999999999999999999999
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:4:48: error: `min` is out of range",
            "spec/x.toml:4:129: error: `max` in a parameter must be an integer, found a float",
            "spec/x.toml:7:7: error: `min` is out of range",
        ]
    );
}

#[test]
fn the_protocol_table_reports_missing_roles_bad_codes_and_unknown_result_columns() {
    let got = one(r#"
[protocol]
doc = "P."
success = [[1999, 1000], [0]]
relogin = { http = [401], status = ["x"] }
status = [ { code = 70000, name = "n", text = "t" }, { name = "m", text = "u" } ]
[protocol.headers]
status_code = "Status-Code"
statuscode = "typo"
[protocol.separators]
tab = "TAB"
space = "SPACE"
[protocol.completion]
ack = "ack"
nack = "nack"
pending = ["?"]
[protocol.result_row]
columns = ["timestamp", "svtrid", "proc-id", "request-type", "object", "status", "status", "client"]
none = "-"
count_key = "Records"
"#);
    let want = [
        "spec/x.toml:4:12: error: a `success` range is `[low, high]` with low <= high",
        "spec/x.toml:4:26: error: a `success` range is `[low, high]` with low <= high",
        "spec/x.toml:5:37: error: `status` in `protocol.relogin` must be an integer, found a string",
        "spec/x.toml:6:21: error: `code` must be a status code (0 to 9999), found 70000",
        "spec/x.toml:6:54: error: a status code is missing the required key `code`",
        "spec/x.toml:9:1: error: unknown key `statuscode` in `protocol.headers` (expected one of: columns, error, proc_id, row_count, separator, session_id, status_code, status_text, tracking_id, tracking_id_old, version, warning); did you mean `status_code`?",
        "spec/x.toml:18:82: error: result column `status` is listed twice",
        "spec/x.toml:18:92: error: unknown result column `client` (the columns are timestamp, svtrid, proc-id, request-type, object, status, cltrid)",
    ];
    for w in want {
        assert!(got.contains(&w.to_string()), "missing {w}\nin {got:#?}");
    }
    // Every header role is required: one error per missing role.
    let missing = got
        .iter()
        .filter(|e| e.contains("`protocol.headers` is missing the required key"))
        .count();
    assert_eq!(missing, 11, "{got:#?}");
    assert!(
        got.iter()
            .any(|e| e.contains("`columns` lacks the result column `cltrid`")),
        "{got:#?}"
    );
}

#[test]
fn the_dnssec_forms_must_be_the_fields_of_their_record_each_once() {
    let got = one(r#"
[protocol]
success = [[0, 0]]
relogin = { http = [401], status = [2200] }
[protocol.dnssec]
delimiter = "::"
dsdata = ["key-tag", "algorithm", "algorithm", "digest", "flags"]
keydata = ["protocol", "algorithm", "flags"]
"#);
    let want = [
        "spec/x.toml:6:13: error: `delimiter` must be one character, not a letter, digit or space; found `::`",
        "spec/x.toml:7:35: error: `dsdata` lists `algorithm` twice",
        "spec/x.toml:7:58: error: `dsdata`: `flags` is not a field of a DS record (`key-tag`, `algorithm`, `digest-type`, `digest`)",
        "spec/x.toml:5:1: error: `dsdata` lacks the field `digest-type` of a DS record",
        "spec/x.toml:5:1: error: `keydata` lacks the field `public-key` of a DNSKEY record",
    ];
    for w in want {
        assert!(got.contains(&w.to_string()), "missing {w}\nin {got:#?}");
    }
}

#[test]
fn wire_examples_report_every_problem_with_its_place() {
    let got = one(r#"section = "X"
[request.a-b]
summary = "A."
[[request.a-b.examples]]
source = "docs.txt"
url = "https://dmapi.joker.com/request/b-a?x=1"
answr = "typo"
[[request.a-b.examples]]
url = "https://dmapi.joker.com/request/a-b"
erratum = "wrong"
answer = "Status-Code: 0\n\n"
[[request.a-b.examples]]
url = "https://dmapi.joker.com/request/a-b"
problems = ["x"]
answer = "no header"
answer_from = "wires"
[[request.a-b.examples]]
url = "dmapi.joker.com/a-b"
output = "()"
[[request.a-b.examples]]
source = "docs.txt:7"
url = 3
[[request.a-b.examples]]
source = "docs.txt:9"
url = "https://dmapi.joker.com/request/a-b"
[[request.a-b.examples]]
source = "docs.txt:9"
url = "https://dmapi.joker.com/request/A-B?x=1"
[[request.a-b.examples]]
answer_from = "spec"
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:5:10: error: an example `source` is `<file>:<line>` (like `dmapi-reference.txt:99`), found `docs.txt`",
            "spec/x.toml:6:7: error: the example URL is a `b-a` request, not `a-b`; put it under `b-a`",
            "spec/x.toml:7:1: error: unknown key `answr` in an example (expected one of: answer, answer_from, erratum, output, problems, source, url); did you mean `answer`?",
            "spec/x.toml:8:1: error: an example with an `answer` needs the `output` it parses to",
            "spec/x.toml:8:1: error: an example with an `answer` needs `answer_from` (one of: docs, spec, wire)",
            "spec/x.toml:10:11: error: an erratum needs `problems`: what a check of its URL reports, in order",
            "spec/x.toml:10:11: error: an erratum is a docs example: add `source = \"<file>:<line>\"`",
            "spec/x.toml:11:10: error: an erratum's URL is wrong, so it carries no answer; give the answer with a correct URL",
            "spec/x.toml:12:1: error: `problems` belong to an erratum: add `erratum = \"why\"`",
            "spec/x.toml:12:1: error: an example with an `answer` needs the `output` it parses to",
            "spec/x.toml:15:10: error: an example `answer` starts with its headers (`Status-Code: 0`, ...), found `no header`",
            "spec/x.toml:16:15: error: `answer_from` is one of: docs, spec, wire (found `wires`); did you mean `wire`?",
            "spec/x.toml:18:7: error: an example `url` is `https://<host>/request/<name>`, optionally with `?<parameters>`",
            "spec/x.toml:19:10: error: `output` needs the `answer` it is parsed from",
            "spec/x.toml:22:7: error: `url` in an example must be a string, found an integer",
            "spec/x.toml:27:10: error: example source `docs.txt:9` is listed twice (first at spec/x.toml:24:10)",
            "spec/x.toml:29:1: error: an example is missing the required key `url`",
            "spec/x.toml:30:15: error: `answer_from` needs an `answer`",
        ]
    );
}

#[test]
fn answer_writer_names_are_claimed() {
    // `write_output` is a method of every request (server side); `WriteOutput` and
    // `WriteError` are runtime names.
    let got = one(r#"section = "X"
[request.t]
summary = "T."
accepts = [ { name = "write-output", type = "string" } ]
[request.write-output]
summary = "Clashes with the writer's trait."
[request.write-error]
summary = "Clashes with the writer's error."
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:4:22: error: parameter `write-output` would generate a setter `write_output` that clashes with a method of every request",
            "spec/x.toml:5:10: error: request `write-output` would be named `WriteOutput`, which the crate already uses (runtime type)",
            "spec/x.toml:7:10: error: request `write-error` would be named `WriteError`, which the crate already uses (runtime type)",
        ]
    );
}

#[test]
fn key_families_are_keys_named_prefix_then_placeholder() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
[request.a.returns]
body = "key-value"
headers = [ { name = "x-<n>", type = "string" } ]
keys = [
  { name = "price-<type>", field = "prices", type = "string", required = true },
  { name = "price-<kind>-x", type = "string" },
  { name = "<all>", type = "string" },
  { name = "price-create-<years>", type = "string" },
  { name = "tag-<t>", type = "string", quoted = true },
]
[request.b]
summary = "B."
kind = "async"
[request.b.result]
keys = [ { name = "y-<n>", type = "string" } ]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:6:22: error: `x-<n>`: only a key of a key-value answer can be a family, not a header",
            "spec/x.toml:8:12: error: key family `price-<type>` cannot be `required`: an answer may have none of its keys",
            "spec/x.toml:9:12: error: `price-<kind>-x`: a key family is named `<prefix><placeholder>`, like `domain-price-<type>`: a non-empty prefix, then one placeholder at the end",
            "spec/x.toml:10:12: error: `<all>`: a key family is named `<prefix><placeholder>`, like `domain-price-<type>`: a non-empty prefix, then one placeholder at the end",
            "spec/x.toml:11:12: error: key family `price-create-<years>` overlaps `price-<type>` (at spec/x.toml:8:12): a key would belong to both",
            "spec/x.toml:12:12: error: `quoted` does not apply to the key family `tag-<t>`",
            "spec/x.toml:14:10: error: queued request `b` needs `effect = \"on-acceptance\"` or `\"on-completion\"`: when its effect becomes visible",
            "spec/x.toml:18:19: error: `y-<n>`: only a key of a key-value answer can be a family, not a result key",
        ]
    );
}

#[test]
fn an_answer_chosen_by_a_parameter_has_a_case_per_value() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
requires = [ { name = "mode", type = "enum", values = ["list", "show", "drop"] } ]
accepts = [ { name = "n", type = "int" } ]
[request.a.returns]
by = "mode"
body = "lines"
[[request.a.returns.cases]]
when = "list"
body = "table"
columns = [ { name = "x", type = "string" } ]
[[request.a.returns.cases]]
when = "shw"
[[request.a.returns.cases]]
when = "list"
[[request.a.returns.cases]]
body = "none"
[request.b]
summary = "B."
requires = [ { name = "n", type = "enum", values = ["1"] } ]
[request.b.returns]
by = "n"
[[request.b.returns.cases]]
when = "1"
by = "n"
[request.c]
summary = "C."
accepts = [ { name = "n", type = "int" } ]
[request.c.returns]
by = "n"
when = "x"
[[request.c.returns.cases]]
when = "y"
[request.d]
summary = "D."
[request.d.returns]
[[request.d.returns.cases]]
when = "y"
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:7:6: error: `cases` lacks the answer to `mode` = show, drop: every value needs its case",
            "spec/x.toml:8:8: error: an answer chosen by `by` declares its shapes in `cases`, not `body`",
            "spec/x.toml:14:8: error: `shw` is not a value of `mode` (one of: list, show, drop); did you mean `show`?",
            "spec/x.toml:16:8: error: the case `list` is declared twice (first at spec/x.toml:10:8)",
            "spec/x.toml:17:1: error: an answer case is missing the required key `when`",
            "spec/x.toml:26:6: error: a case cannot be chosen again: `by` belongs to the answer",
            "spec/x.toml:31:6: error: `by` names `n`, which is not a required enum parameter (without a default) of `c`",
            "spec/x.toml:32:8: error: `when` belongs to an item of `cases`",
            "spec/x.toml:37:1: error: `cases` needs `by`: the parameter whose value chooses one",
        ]
    );
}

#[test]
fn repeated_keys_are_optional_plain_keys() {
    let got = one(r#"section = "X"
[request.a]
summary = "A."
[request.a.returns]
body = "table"
columns = [ { name = "c", type = "string", repeated = true } ]
[request.b]
summary = "B."
[request.b.returns]
body = "key-value"
headers = [ { name = "H", type = "string", repeated = true } ]
keys = [
  { name = "k", type = "string", required = true, repeated = true },
  { name = "f-<n>", type = "string", repeated = true },
  { name = "ok", type = "int", repeated = true },
]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:6:55: error: `repeated` applies to keys of a key-value answer, not to the column `c`",
            "spec/x.toml:11:55: error: `repeated` applies to keys of a key-value answer, not to the header `H`",
            "spec/x.toml:13:62: error: the repeated key `k` cannot be `required`: an answer may have none of it",
            "spec/x.toml:14:49: error: the key family `f-<n>` holds every line of its keys already: no `repeated`",
        ]
    );
}

#[test]
fn open_enums_are_answer_words_and_answers_take_no_closed_enum() {
    let got = one(r#"section = "X"
[type.word]
base = "enum"
open = true
values = ["a", "b"]
[type.mode]
base = "enum"
values = ["x"]
[type.n]
base = "int"
open = true
[request.a]
summary = "A."
accepts = [
  { name = "w", type = "word" },
  { name = "ws", type = "list", item = "word", delimiter = "," },
  { name = "m", type = "mode" },
]
[request.a.returns]
body = "key-value"
keys = [
  { name = "ok", type = "word" },
  { name = "oks", type = "list", item = "word", delimiter = "," },
  { name = "m", type = "mode" },
  { name = "ms", type = "list", item = "mode", delimiter = "," },
]
"#);
    assert_eq!(
        got,
        [
            "spec/x.toml:11:8: error: `open` applies to an enum",
            "spec/x.toml:15:24: error: `word` is an open enum of answer words: a parameter takes a closed one (no `open`)",
            "spec/x.toml:16:25: error: `word` is an open enum of answer words: a parameter takes a closed one (no `open`)",
            "spec/x.toml:24:24: error: key `m` uses the closed enum `mode`; answer values need an open one (`open = true` on the type) or an inline one (`type = \"enum\", values = [...]`), which keep unknown values",
            "spec/x.toml:25:25: error: key `ms` uses the closed enum `mode`; answer values need an open one (`open = true` on the type) or an inline one (`type = \"enum\", values = [...]`), which keep unknown values",
        ]
    );
}

#[test]
fn a_declared_success_status_is_a_success_code_of_the_answer_itself() {
    let got = errors(&[
        (
            "spec/protocol.toml",
            include_str!("../../spec/protocol.toml"),
        ),
        (
            "spec/x.toml",
            r#"section = "X"
[request.a]
summary = "A."
returns = { body = "text", status = 2400 }
[request.b]
summary = "B."
returns = { body = "text", status = 100000 }
[request.c]
summary = "C."
requires = [ { name = "k", type = "enum", values = ["x"] } ]
[request.c.returns]
by = "k"
status = 1000
[[request.c.returns.cases]]
when = "x"
status = 1001
"#,
        ),
    ]);
    assert_eq!(
        got,
        [
            "spec/x.toml:2:10: error: `a` answers with `status` 2400, which the protocol's `success` ranges do not count as a success",
            "spec/x.toml:7:37: error: `status` must be a status code (0 to 9999), found 100000",
            "spec/x.toml:16:10: error: `status` belongs to the answer, not to a case",
        ]
    );
}
