//! The server side of answers: `WriteOutput` for each request, the writer of the output that
//! `parse_output` reads, as calls of the runtime's `output::AnswerWriter` and `TableWriter`.

use proc_macro2::TokenStream;
use quote::quote;

use super::codec::{cell_decoder, field_decoder};
use super::output::{declared_keys, family_prefix, flag_is_set};
use super::{is_plain_string, rt};
use crate::model::*;
use crate::plan::{OutputPlan, RequestPlan, RowPlan, Source};

/// `impl WriteOutput`: the declared headers, then the payload in the declared shape.
pub(crate) fn write_impl(rp: &RequestPlan<'_>) -> TokenStream {
    let rt = rt();
    let r = rp.r;
    let name = &rp.ty;
    let output = quote!(output);
    let (body, uses_output) = if r.kind == RequestKind::Async {
        (quote!(w.submitted(output)?;), true)
    } else if rp.output.cases.is_empty() {
        write_shape(rp, &r.returns, &rp.output, &output)
    } else {
        (write_cases(rp), true)
    };
    let output = if uses_output {
        quote!(output)
    } else {
        quote!(_output)
    };
    let w_mut = if body.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    quote! {
        #[allow(deprecated)]
        impl #rt::WriteOutput for #name {
            fn write_output(
                &self,
                #output: &Self::Output,
                reply: #rt::reply::Reply,
            ) -> Result<String, #rt::WriteError> {
                let #w_mut w = #rt::output::AnswerWriter::new(<Self as #rt::Request>::NAME, reply);
                #body
                Ok(w.finish())
            }
        }
    }
}

/// A `match` writing the case of the output, which must be the one the request's parameter
/// asks for (the reader would read another one).
fn write_cases(rp: &RequestPlan<'_>) -> TokenStream {
    let rt = rt();
    let by = rp.r.returns.by.as_deref().unwrap_or_default();
    let Some(pp) = rp.param(by) else {
        unreachable!("the loader checks that `by` is a parameter");
    };
    let (field, param_ty) = (&pp.field, &pp.ty);
    let out = rp
        .output
        .ty
        .as_ref()
        .expect("the plan names the output enum of cases");
    let answer = quote!(answer);
    let arms = rp.output.cases.iter().map(|c| {
        let v = &c.variant;
        let (body, uses) = write_shape(rp, c.ret, &c.output, &answer);
        // Unit variants: no payload, nothing written (see `output::cases`).
        let bind = match (c.is_unit(), uses) {
            (true, _) => quote!(),
            (false, true) => quote!((answer)),
            (false, false) => quote!((_)),
        };
        quote!((#param_ty::#v, #out::#v #bind) => { #body })
    });
    let other = (rp.output.cases.len() > 1).then(|| {
        let why = format!("the output is the answer to another `{by}` than the request's");
        quote!(_ => return Err(#rt::WriteError::new(<Self as #rt::Request>::NAME, #by, #why)),)
    });
    quote! {
        match (&self.#field, output) {
            #(#arms)*
            #other
        }
    }
}

/// The statements writing answer `ret` (planned as `op`) from `output` (a `&` of its type),
/// and whether they read `output`.
fn write_shape(
    rp: &RequestPlan<'_>,
    ret: &ReturnsMeta,
    op: &OutputPlan<'_>,
    output: &TokenStream,
) -> (TokenStream, bool) {
    let mut body = TokenStream::new();
    let mut uses_output = true;
    // The payload: the output itself, or its payload field.
    let payload = match &op.ty {
        Some(_) => {
            let id = &op.body_field;
            quote!(&#output.#id)
        }
        None => quote!(#output),
    };
    for fp in &op.fields {
        let (f, id) = (fp.f, &fp.field);
        let wire = &f.name;
        let value = if f.required {
            quote!(Some(&#output.#id))
        } else {
            quote!(#output.#id.as_ref())
        };
        let decoder = field_decoder(f, &fp.inline);
        let (prefix, declared) = (family_prefix(f), declared_keys(ret));
        let family = quote!(#payload, #prefix, #declared, &#output.#id);
        body.extend(match (fp.source, decoder) {
            (Source::Family, None) => quote!(w.family(#family)?;),
            (Source::Family, Some(d)) => quote!(w.family_with(#family, #d)?;),
            (Source::Repeated, None) => quote!(w.repeated(#payload, #wire, &#output.#id)?;),
            (Source::Repeated, Some(d)) => {
                quote!(w.repeated_with(#payload, #wire, &#output.#id, #d)?;)
            }
            (Source::Header, None) => quote!(w.header(#wire, #value)?;),
            (Source::Header, Some(d)) => quote!(w.header_with(#wire, #value, #d)?;),
            (Source::Key, None) => quote!(w.key(#payload, #wire, #value)?;),
            (Source::Key, Some(d)) => quote!(w.key_with(#payload, #wire, #value, #d)?;),
        });
    }
    body.extend(match (ret.body, &op.row) {
        (BodyKind::None | BodyKind::Table, None) => {
            uses_output = op.ty.is_some();
            quote!()
        }
        (BodyKind::Lines, _) => quote!(w.lines(#payload)?;),
        (BodyKind::Text, _) => quote!(w.text(#payload);),
        (BodyKind::Zone, _) => quote!(w.zone(#payload)?;),
        (BodyKind::KeyValue, _) => quote!(w.key_values(#payload)?;),
        (BodyKind::Results, _) => quote!(w.results(#payload)?;),
        (_, Some(row)) => table(rp, ret, row, &payload),
    });
    (body, uses_output)
}

/// The statements writing the rows `rows` of a table answer: the writing side of the parser's
/// `TableReader` (each cell through the call mirroring the one that reads it).
fn table(
    rp: &RequestPlan<'_>,
    ret: &ReturnsMeta,
    plan: &RowPlan<'_>,
    rows: &TokenStream,
) -> TokenStream {
    let rt = rt();
    let sep = match ret.separator {
        Separator::Whitespace => quote!(#rt::meta::Separator::Whitespace),
        Separator::Tab => quote!(#rt::meta::Separator::Tab),
    };
    let mut columns = Vec::new();
    let mut cells = Vec::new();
    for cp in &plan.columns {
        let c = cp.c;
        let (id, ix, wire) = (&cp.field, &cp.index, &*c.name);
        let wanted = match cp.extra_flag {
            Some(flag) => flag_is_set(rp, flag),
            None => quote!(true),
        };
        columns.push(quote!(let #ix = table.column(#wire, #wanted);));
        let optional = cp.extra_flag.is_some() || c.none.is_some();
        let decoder = cell_decoder(&c.ty, &cp.inline);
        cells.push(match (optional, c.none.as_deref(), decoder) {
            (false, _, None) if is_plain_string(&c.ty) => {
                quote!(cells.text_or_default(#ix, &row.#id);)
            }
            (false, _, None) => quote!(cells.required(#ix, #wire, &row.#id)?;),
            (false, _, Some(d)) => quote!(cells.required_with(#ix, #wire, &row.#id, #d)?;),
            (true, None, None) => quote!(cells.optional(#ix, #wire, row.#id.as_ref())?;),
            (true, None, Some(d)) => {
                quote!(cells.optional_with(#ix, #wire, row.#id.as_ref(), #d)?;)
            }
            (true, Some(n), None) => {
                quote!(cells.optional_unless(#ix, #wire, #n, row.#id.as_ref())?;)
            }
            (true, Some(n), Some(d)) => {
                quote!(cells.optional_unless_with(#ix, #wire, #n, row.#id.as_ref(), #d)?;)
            }
        });
    }
    quote! {
        let mut table = #rt::output::TableWriter::new(<Self as #rt::Request>::NAME, #sep);
        #(#columns)*
        table.write(#rows, |row, cells| {
            #(#cells)*
            cells.other_columns(&row.other_columns);
            Ok(())
        })?;
        w.table(table)?;
    }
}
