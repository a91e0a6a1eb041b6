//! What a request's answer parses into: output structs, table rows (owned and borrowed) and
//! the body of `parse_output`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::bake::{Bake, in_scope};
use super::codec::decode_value;
use super::enums::response_enum;
use super::{docs, is_plain_string, rt, spelling};
use crate::model::*;
use crate::plan::{RequestPlan, Role, RowPlan, Source};

/// The output type, the items it needs, and the body of `parse_output`.
pub(crate) fn output(rp: &RequestPlan<'_>) -> (TokenStream, TokenStream, TokenStream) {
    let rt = rt();
    let r = rp.r;
    let ret = &r.returns;
    if r.kind == RequestKind::Async {
        return (
            quote!(#rt::Submitted),
            quote!(),
            quote!(#rt::output::submitted(Self::NAME, env)),
        );
    }
    let mut items = TokenStream::new();
    let mut prelude = TokenStream::new();
    // The plan has a row exactly for a (sync) table.
    let (body_ty, body_expr) = match (ret.body, &rp.output.row) {
        (BodyKind::None | BodyKind::Table, None) => (quote!(()), quote!(())),
        (BodyKind::Lines, _) => (quote!(Vec<String>), quote!(#rt::output::lines(env))),
        (BodyKind::Text, _) => (quote!(String), quote!(#rt::output::text(env))),
        (BodyKind::Zone, _) => (quote!(#rt::Zone), quote!(#rt::Zone::parse(env.payload()))),
        (BodyKind::KeyValue, _) => {
            prelude.extend(quote!(let all = #rt::KeyValues::parse(env.payload());));
            (quote!(#rt::KeyValues), quote!(all))
        }
        (BodyKind::Results, _) => {
            prelude.extend(quote!(let results = #rt::output::result_list(Self::NAME, env)?;));
            (quote!(#rt::Results), quote!(results))
        }
        (_, Some(row)) => {
            let (row_items, rows) = table(rp, row);
            items.extend(row_items);
            prelude.extend(quote!(let rows = #rows;));
            let row_ty = &row.row;
            (quote!(Vec<#row_ty>), quote!(rows))
        }
    };
    for e in &rp.output.enums {
        items.extend(response_enum(e));
    }
    let Some(out) = &rp.output.ty else {
        return (body_ty, items, quote!(#prelude Ok(#body_expr)));
    };
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    for fp in &rp.output.fields {
        let (f, source) = (fp.f, fp.source.word());
        let (id, t) = (&fp.field, &fp.ty);
        let mut text = if f.doc.is_empty() {
            format!("The `{}` {source}.", f.name)
        } else {
            f.doc.to_string()
        };
        text.push_str(&format!("\n\nFrom the `{}` {source}.", f.name));
        let fdoc = docs(&text);
        let wire = &f.name;
        let lookup = match fp.source {
            Source::Header => quote!(env.header(#wire)),
            Source::Key => quote!(all.get(#wire)),
        };
        let decode = decode_value(&f.ty, &fp.inline, &quote!(s), wire, false);
        if f.required {
            fields.push(quote!(#fdoc pub #id: #t));
            inits.push(quote!(#id: match #lookup {
                Some(s) => #decode?,
                None => return Err(#rt::OutputError::new(Self::NAME, #wire, concat!("the ", #source, " is missing"), env)),
            }));
        } else {
            fields.push(quote!(#fdoc pub #id: Option<#t>));
            inits.push(quote!(#id: match #lookup { Some(s) => Some(#decode?), None => None }));
        }
    }
    if ret.body != BodyKind::None {
        let id = &rp.output.body_field;
        let text = if ret.doc.is_empty() {
            "The payload.".to_string()
        } else {
            ret.doc.to_string()
        };
        let fdoc = docs(&text);
        fields.push(quote!(#fdoc pub #id: #body_ty));
        // `all: all` would be redundant.
        if *id == body_expr.to_string() {
            inits.push(quote!(#id));
        } else {
            inits.push(quote!(#id: #body_expr));
        }
    }
    let sdoc = docs(&format!("What a successful `{}` returns.", r.name));
    items.extend(quote! {
        #sdoc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #out {
            #(#fields,)*
        }
    });
    (
        quote!(#out),
        items,
        quote!(#prelude Ok(#out { #(#inits,)* })),
    )
}

/// The row types with their items, and the expression that parses all rows.
fn table(rp: &RequestPlan<'_>, plan: &RowPlan<'_>) -> (TokenStream, TokenStream) {
    let rt = rt();
    let r = rp.r;
    let ret = &r.returns;
    let (base, row) = (&rp.ty, &plan.row);
    let mut items = TokenStream::new();
    for e in &plan.enums {
        items.extend(response_enum(e));
    }
    let base_cols: Vec<&str> = ret.columns.iter().map(|c| &*c.name).collect();
    let mut extend = Vec::new();
    for e in ret.extra_columns.iter() {
        let set = flag_is_set(rp, &e.flag);
        let names: Vec<&str> = e.columns.iter().map(|c| &*c.name).collect();
        extend.push(quote!(if #set { columns.extend_from_slice(&[#(#names),*]); }));
    }
    let sep = match ret.separator {
        Separator::Whitespace => quote!(#rt::meta::Separator::Whitespace),
        Separator::Tab => quote!(#rt::meta::Separator::Tab),
    };
    let mut fields = Vec::new();
    let mut idx = Vec::new();
    let mut idx_names: Vec<Ident> = Vec::new();
    let mut inits = Vec::new();
    // The borrowed row: fields and their initialisers.
    let mut ref_fields = Vec::new();
    let mut ref_inits = Vec::new();
    for cp in plan.columns.iter() {
        let (c, extra) = (cp.c, cp.extra_flag.is_some());
        let (id, ix, inline, t) = (&cp.field, &cp.index, &cp.inline, &cp.ty);
        let mut text = if c.doc.is_empty() {
            format!("The `{}` column.", c.name)
        } else {
            c.doc.to_string()
        };
        if let Some(flag) = cp.extra_flag {
            text.push_str(&format!("\n\nPresent when `{flag}` is set."));
        }
        if let Some(none) = &c.none {
            text.push_str(&format!("\n\n`None` when the cell is `{none}`."));
        }
        let fdoc = docs(&text);
        let wire = &c.name;
        idx.push(quote!(let #ix = table.index_of(#wire);));
        idx_names.push(ix.clone());
        let decode = decode_value(&c.ty, inline, &quote!(s), wire, true);
        let cell = match &c.none {
            Some(none) => {
                quote!(#ix.and_then(|i| cells.get(i).copied()).filter(|s| !s.is_empty() && *s != #none))
            }
            None => quote!(#ix.and_then(|i| cells.get(i).copied()).filter(|s| !s.is_empty())),
        };
        let (bt, bdecode) = borrowed_value(&c.ty, &quote!(s), wire);
        if extra || c.none.is_some() {
            ref_fields.push(quote!(#fdoc pub #id: Option<#bt>));
            ref_inits.push(quote!(#id: match #cell { Some(s) => Some(#bdecode?), None => None }));
        } else {
            ref_fields.push(quote!(#fdoc pub #id: #bt));
            ref_inits.push(quote!(#id: match #cell {
                Some(s) => #bdecode?,
                None => return Err(#rt::OutputError::new(<Self as #rt::Request>::NAME, #wire, format!("line {}: the column is missing", row.number()), env)),
            }));
        }
        if extra || c.none.is_some() {
            fields.push(quote!(#fdoc pub #id: Option<#t>));
            inits.push(quote!(#id: match #cell { Some(s) => Some(#decode?), None => None }));
        } else if is_plain_string(&c.ty) {
            fields.push(quote!(#fdoc pub #id: #t));
            inits.push(quote!(#id: #cell.unwrap_or_default().to_owned()));
        } else {
            fields.push(quote!(#fdoc pub #id: #t));
            inits.push(quote!(#id: match #cell {
                Some(s) => #decode?,
                None => return Err(#rt::OutputError::new(Self::NAME, #wire, format!("line {}: the column is missing", row.number()), env)),
            }));
        }
    }
    let ixs: Vec<Ident> = idx_names.clone();
    fields.push(quote!(
        /// Cells of columns the spec does not declare (named by the `Columns` header), in order,
        /// as `(column, value)`: nothing the server sends is dropped.
        pub other_columns: Vec<(String, String)>
    ));
    inits.push(quote!(other_columns: if other.is_empty() {
        Vec::new()
    } else {
        other.iter().filter_map(|&(i, name)| cells.get(i).map(|c| (name.to_owned(), (*c).to_owned()))).collect()
    }));
    let rdoc = docs(&format!("One row of the `{}` response.", r.name));
    items.extend(quote! {
        #rdoc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #row {
            #(#fields,)*
        }
    });
    let mutability = if extend.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let row_ref = &plan.row_ref;
    let ref_doc = docs(&format!(
        "One row of the `{}` response, borrowed from it: every cell is checked like [`{row}`] \
         but text stays a slice of the answer (no allocation per row). From \
         [`{base}::borrow_rows`].",
        r.name
    ));
    let setup = quote! {
        let #mutability columns: Vec<&str> = vec![#(#base_cols),*];
        #(#extend)*
        let table = #rt::output::Table::parse(env, &columns, #sep);
        #(#idx)*
    };
    let borrow_doc = docs(&format!(
        "The rows of a `{}` answer, borrowed from `env`: the fast way to read a large list \
         (`parse_output` copies every cell). Fails like `parse_output` on a cell that does \
         not match its type.",
        r.name
    ));
    items.extend(quote! {
        #ref_doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #row_ref<'a> {
            #(#ref_fields,)*
            /// The whole payload line (cells of columns the spec does not declare are in it).
            pub line: &'a str,
        }

        impl #base {
            #borrow_doc
            pub fn borrow_rows<'a>(&self, env: &'a #rt::Envelope) -> Result<Vec<#row_ref<'a>>, #rt::OutputError> {
                #setup
                let mut rows = Vec::with_capacity(table.row_capacity());
                let mut cells: Vec<&'a str> = Vec::with_capacity(table.columns().len());
                for row in table.rows() {
                    cells.clear();
                    cells.extend(row.cells());
                    rows.push(#row_ref { #(#ref_inits,)* line: row.line() });
                }
                Ok(rows)
            }
        }
    });
    let parse = quote! {{
        let #mutability columns: Vec<&str> = vec![#(#base_cols),*];
        #(#extend)*
        let table = #rt::output::Table::parse(env, &columns, #sep);
        #(#idx)*
        let known = [#(#ixs),*];
        let other: Vec<(usize, &str)> = table
            .columns()
            .iter()
            .enumerate()
            .filter(|(i, _)| !known.contains(&Some(*i)))
            .map(|(i, name)| (i, name.as_str()))
            .collect();
        let mut rows = Vec::with_capacity(table.row_capacity());
        // Each row is split once; the cells are looked up by position.
        let mut cells: Vec<&str> = Vec::with_capacity(table.columns().len());
        for row in table.rows() {
            cells.clear();
            cells.extend(row.cells());
            rows.push(#row { #(#inits,)* });
        }
        rows
    }};
    (items, parse)
}

/// The borrowed type of a cell and the expression reading `s` into it as
/// `Result<T, OutputError>`: values that are `Copy` are parsed, text stays `&'a str` after its
/// type's check (no allocation).
fn borrowed_value(ty: &ValueType, s: &TokenStream, name: &str) -> (TokenStream, TokenStream) {
    let rt = rt();
    let err = quote!(|e| #rt::OutputError::new(<Self as #rt::Request>::NAME, #name, format!("line {}: {}", row.number(), e), env));
    match ty {
        ValueType::Date => (
            quote!(#rt::Date),
            quote!(<#rt::Date as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        ValueType::Months => (
            quote!(#rt::Months),
            quote!(<#rt::Months as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        ValueType::Year => (
            quote!(#rt::Year),
            quote!(<#rt::Year as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        ValueType::Int { .. } => (
            quote!(i64),
            quote!(<i64 as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        ValueType::Ipv4 => (
            quote!(::std::net::Ipv4Addr),
            quote!(<::std::net::Ipv4Addr as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        ValueType::Ipv6 => (
            quote!(::std::net::Ipv6Addr),
            quote!(<::std::net::Ipv6Addr as #rt::FromWire>::from_wire(#s).map_err(#err)),
        ),
        ValueType::Flag(sp) => {
            let sp = spelling(*sp);
            (
                quote!(bool),
                quote!(#sp.decode(#s).ok_or_else(|| #rt::OutputError::new(<Self as #rt::Request>::NAME, #name, format!("line {}: `{}` is not a flag value", row.number(), #s), env))),
            )
        }
        ValueType::String | ValueType::Text => {
            (quote!(&'a str), quote!(Ok::<&'a str, #rt::OutputError>(#s)))
        }
        // Enums are read as text: an unknown value is kept, as in the owned row.
        ValueType::Enum { .. } => (quote!(&'a str), quote!(Ok::<&'a str, #rt::OutputError>(#s))),
        other => {
            let (uses, vt) = (in_scope(), other.bake());
            let vt = quote!({ #uses #vt });
            (
                quote!(&'a str),
                quote!((#vt).check(#s).map(|()| #s).map_err(#err)),
            )
        }
    }
}

/// Expression: whether flag parameter `flag` is set to true on `self`.
fn flag_is_set(rp: &RequestPlan<'_>, flag: &str) -> TokenStream {
    match rp.param(flag) {
        Some(pp) if pp.role == Role::Argument => {
            let f = &pp.field;
            quote!(self.#f)
        }
        Some(pp) => {
            let f = &pp.field;
            quote!(self.#f == Some(true))
        }
        // The checker makes every extra-columns flag a parameter of the request.
        None => quote!(false),
    }
}
