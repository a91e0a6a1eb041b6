//! A protocol table for the runtime's own tests: the generated crate bakes the real one from
//! `spec/protocol.toml` (the runtime cannot depend on it); this copy holds the same words and
//! a few of the status codes. dmapi-tests checks it against the generated table.

use dmapi_runtime::meta::*;

/// The protocol the runtime tests read and write answers with.
pub static PROTOCOL: ProtocolMeta = ProtocolMeta {
    doc: Text::Borrowed(
        "The DMAPI text protocol: envelope headers, status codes, completion statuses, result rows.",
    ),
    headers: HeaderNames {
        status_code: Text::Borrowed("Status-Code"),
        status_text: Text::Borrowed("Status-Text"),
        tracking_id: Text::Borrowed("Tracking-Id"),
        tracking_id_old: Text::Borrowed("SvTrId"),
        proc_id: Text::Borrowed("Proc-ID"),
        error: Text::Borrowed("Error"),
        warning: Text::Borrowed("Warning"),
        columns: Text::Borrowed("Columns"),
        separator: Text::Borrowed("Separator"),
        row_count: Text::Borrowed("Row-Count"),
        version: Text::Borrowed("Version"),
        session_id: Text::Borrowed("Auth-Sid"),
    },
    separator_tab: Text::Borrowed("TAB"),
    separator_space: Text::Borrowed("SPACE"),
    success: Seq::Borrowed(&[(0u16, 0u16), (1000u16, 1999u16)]),
    relogin_http: Seq::Borrowed(&[401u16]),
    relogin_status: Seq::Borrowed(&[2200u16]),
    statuses: Seq::Borrowed(&[
        StatusMeta {
            code: 0u16,
            name: Text::Borrowed("ok"),
            text: Text::Borrowed("Command completed successfully"),
            doc: Text::Borrowed("Success (older DMAPI versions)."),
        },
        StatusMeta {
            code: 1000u16,
            name: Text::Borrowed("completed"),
            text: Text::Borrowed("Command completed successfully"),
            doc: Text::Borrowed("Success."),
        },
        StatusMeta {
            code: 2200u16,
            name: Text::Borrowed("authentication-error"),
            text: Text::Borrowed("Authentication error"),
            doc: Text::Borrowed("Bad credentials, or an expired or unknown session."),
        },
        StatusMeta {
            code: 2303u16,
            name: Text::Borrowed("object-does-not-exist"),
            text: Text::Borrowed("Object does not exist"),
            doc: Text::Borrowed("The object does not exist."),
        },
        StatusMeta {
            code: 2400u16,
            name: Text::Borrowed("command-failed"),
            text: Text::Borrowed("Command failed"),
            doc: Text::Borrowed("The request failed."),
        },
    ]),
    completion: CompletionWords {
        ack: Text::Borrowed("ack"),
        nack: Text::Borrowed("nack"),
        pending: Seq::Borrowed(&[Text::Borrowed("?"), Text::Borrowed("pending")]),
    },
    result_row: ResultRowMeta {
        columns: Seq::Borrowed(&[
            Text::Borrowed("timestamp"),
            Text::Borrowed("svtrid"),
            Text::Borrowed("proc-id"),
            Text::Borrowed("request-type"),
            Text::Borrowed("object"),
            Text::Borrowed("status"),
            Text::Borrowed("cltrid"),
        ]),
        at: ResultRowColumns {
            timestamp: 0usize,
            svtrid: 1usize,
            proc_id: 2usize,
            request_type: 3usize,
            object: 4usize,
            status: 5usize,
            cltrid: 6usize,
        },
        none: Text::Borrowed("-"),
        count_key: Text::Borrowed("Records"),
    },
    framing: Framing {
        final_newline: false,
        tracking_id_hex: 32,
        session_id_hex: 40,
    },
    name_servers: Seq::Borrowed(&[
        Text::Borrowed("x.ns.joker.com"),
        Text::Borrowed("y.ns.joker.com"),
        Text::Borrowed("z.ns.joker.com"),
    ]),
    former_name_servers: Seq::Borrowed(&[
        Text::Borrowed("a.ns.joker.com"),
        Text::Borrowed("b.ns.joker.com"),
        Text::Borrowed("c.ns.joker.com"),
    ]),
    dnssec: DnssecForms {
        delimiter: ':',
        ds_data: Seq::Borrowed(&[
            DnssecField::KeyTag,
            DnssecField::Algorithm,
            DnssecField::DigestType,
            DnssecField::Digest,
        ]),
        key_data: Seq::Borrowed(&[
            DnssecField::Protocol,
            DnssecField::Algorithm,
            DnssecField::Flags,
            DnssecField::PublicKey,
        ]),
    },
};
