//! What a request's answer parses into: output structs, table rows (owned and borrowed) and
//! the body of `parse_output`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::bake::qualified;
use super::codec::{cell_decoder, field_decoder};
use super::enums::response_enum;
use super::{docs, is_plain_string, rt, spelling};
use crate::model::*;
use crate::plan::{OutputPlan, RequestPlan, Role, RowPlan, Source};

/// The output type, the items it needs, and the body of `parse_output`.
pub(crate) fn output(rp: &RequestPlan<'_>) -> (TokenStream, TokenStream, TokenStream) {
    let rt = rt();
    let r = rp.r;
    let ret = &r.returns;
    if r.kind == RequestKind::Async {
        let ty = match &rp.output.result {
            Some(result) => {
                let t = &result.ty;
                quote!(#rt::Submitted<#t>)
            }
            None => quote!(#rt::Submitted),
        };
        return (
            ty,
            quote!(),
            quote!(#rt::output::submitted(Self::NAME, env)),
        );
    }
    if !rp.output.cases.is_empty() {
        return cases(rp);
    }
    let what = format!("`{}`", r.name);
    let (ty, items, prelude, value) = shape(rp, ret, &rp.output, true, &what);
    (ty, items, quote!(#prelude Ok(#value)))
}

/// An answer chosen by a parameter's value: an enum with a variant per case, and a `match` on
/// the parameter that reads the case's shape.
fn cases(rp: &RequestPlan<'_>) -> (TokenStream, TokenStream, TokenStream) {
    let r = rp.r;
    let out = rp
        .output
        .ty
        .as_ref()
        .expect("the plan names the output enum of cases");
    let by = r.returns.by.as_deref().unwrap_or_default();
    let Some(pp) = rp.param(by) else {
        unreachable!("the loader checks that `by` is a parameter");
    };
    let (field, param_ty) = (&pp.field, &pp.ty);
    let mut items = TokenStream::new();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for c in &rp.output.cases {
        let what = format!("`{}` with `{by}={}`", r.name, c.when);
        let (ty, case_items, prelude, value) = shape(rp, c.ret, &c.output, false, &what);
        items.extend(case_items);
        let v = &c.variant;
        let mut text = format!("The answer to `{by}={}`", c.when);
        if c.ret.doc.is_empty() {
            text.push('.');
        } else {
            text.push_str(&format!(": {}", c.ret.doc));
        }
        let vdoc = docs(&text);
        // An answer without a payload is a unit variant.
        if c.is_unit() {
            variants.push(quote!(#vdoc #v));
            arms.push(quote!(#param_ty::#v => Ok(#out::#v),));
        } else {
            variants.push(quote!(#vdoc #v(#ty)));
            arms.push(quote!(#param_ty::#v => { #prelude Ok(#out::#v(#value)) }));
        }
    }
    let doc = docs(&format!(
        "What a successful `{}` returns: the answer its `{by}` asks for.",
        r.name
    ));
    items.extend(quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #out {
            #(#variants,)*
        }
    });
    (quote!(#out), items, quote!(match self.#field { #(#arms)* }))
}

/// One shape of answer `ret`, planned as `op`: its type, the items it needs, the statements
/// that read it and the expression of the value. `borrowed`: a table also gets borrowed rows.
fn shape(
    rp: &RequestPlan<'_>,
    ret: &ReturnsMeta,
    op: &OutputPlan<'_>,
    borrowed: bool,
    what: &str,
) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
    let rt = rt();
    let mut items = TokenStream::new();
    let mut prelude = TokenStream::new();
    // The plan has a row exactly for a (sync) table.
    let (body_ty, body_expr) = match (ret.body, &op.row) {
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
            let (row_items, rows) = table(rp, ret, row, borrowed, what);
            items.extend(row_items);
            prelude.extend(quote!(let rows = #rows;));
            let row_ty = &row.row;
            (quote!(Vec<#row_ty>), quote!(rows))
        }
    };
    for e in &op.enums {
        items.extend(response_enum(e));
    }
    let Some(out) = &op.ty else {
        return (body_ty, items, prelude, body_expr);
    };
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    // The readers of headers and keys, declared when a field needs them.
    let (mut headers, mut keys) = (false, false);
    let mut ctor = Ctor::default();
    for fp in &op.fields {
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
        let reader = match fp.source {
            Source::Header => {
                headers = true;
                quote!(headers)
            }
            Source::Key | Source::Family | Source::Repeated => {
                keys = true;
                quote!(keys)
            }
        };
        let decoder = field_decoder(f, &fp.inline);
        let read = match (fp.source, f.required, decoder) {
            (Source::Family, _, d) => {
                let (prefix, declared) = (family_prefix(f), declared_keys(ret));
                match d {
                    None => quote!(#reader.family(#prefix, #declared)?),
                    Some(d) => quote!(#reader.family_with(#prefix, #declared, #d)?),
                }
            }
            (Source::Repeated, _, None) => quote!(#reader.repeated(#wire)?),
            (Source::Repeated, _, Some(d)) => quote!(#reader.repeated_with(#wire, #d)?),
            (_, true, None) => quote!(#reader.required(#wire)?),
            (_, false, None) => quote!(#reader.optional(#wire)?),
            (_, true, Some(d)) => quote!(#reader.required_with(#wire, #d)?),
            (_, false, Some(d)) => quote!(#reader.optional_with(#wire, #d)?),
        };
        match (fp.source, f.required) {
            (Source::Family | Source::Repeated, _) => {
                fields.push(quote!(#fdoc pub #id: #t));
                ctor.unset(quote!(#id: Vec::new()));
            }
            (_, true) => {
                fields.push(quote!(#fdoc pub #id: #t));
                ctor.arg(id, t);
            }
            (_, false) => {
                fields.push(quote!(#fdoc pub #id: Option<#t>));
                ctor.unset(quote!(#id: None));
            }
        }
        inits.push(quote!(#id: #read));
    }
    if headers {
        prelude.extend(quote!(let headers = #rt::output::Fields::headers(Self::NAME, env);));
    }
    if keys {
        prelude.extend(quote!(let keys = #rt::output::Fields::keys(Self::NAME, env, &all);));
    }
    if ret.body != BodyKind::None {
        let id = &op.body_field;
        let text = if ret.doc.is_empty() {
            "The payload.".to_string()
        } else {
            ret.doc.to_string()
        };
        let fdoc = docs(&text);
        fields.push(quote!(#fdoc pub #id: #body_ty));
        match ret.body {
            BodyKind::KeyValue => ctor.unset(quote!(#id: #rt::KeyValues::default())),
            _ => ctor.arg(id, &body_ty),
        }
        // `all: all` would be redundant.
        if *id == body_expr.to_string() {
            inits.push(quote!(#id));
        } else {
            inits.push(quote!(#id: #body_expr));
        }
    }
    let sdoc = docs(&format!("What a successful {what} returns."));
    let new = ctor.items(out);
    items.extend(quote! {
        #sdoc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #out {
            #(#fields,)*
        }

        #new
    });
    (quote!(#out), items, prelude, quote!(#out { #(#inits,)* }))
}

/// The row types with their items, and the expression that parses all rows.
fn table(
    rp: &RequestPlan<'_>,
    ret: &ReturnsMeta,
    plan: &RowPlan<'_>,
    borrowed: bool,
    what: &str,
) -> (TokenStream, TokenStream) {
    let rt = rt();
    let r = rp.r;
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
    let mut inits = Vec::new();
    let mut ctor = Ctor::default();
    // The borrowed row: fields and their initialisers.
    let mut ref_fields = Vec::new();
    let mut ref_inits = Vec::new();
    for cp in plan.columns.iter() {
        let c = cp.c;
        let (id, ix, t) = (&cp.field, &cp.index, &cp.ty);
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
        idx.push(quote!(let #ix = table.column(#wire);));
        // Extra columns and columns with a "none" marker may be absent.
        let optional = cp.extra_flag.is_some() || c.none.is_some();
        let (bt, bdecoder) = borrowed_value(&c.ty);
        let read = cell_read(ix, wire, optional, c.none.as_deref(), bdecoder);
        if optional {
            ref_fields.push(quote!(#fdoc pub #id: Option<#bt>));
        } else {
            ref_fields.push(quote!(#fdoc pub #id: #bt));
        }
        ref_inits.push(quote!(#id: #read));
        let read = if !optional && is_plain_string(&c.ty) {
            quote!(row.text_or_default(#ix))
        } else {
            cell_read(
                ix,
                wire,
                optional,
                c.none.as_deref(),
                cell_decoder(&c.ty, &cp.inline),
            )
        };
        if optional {
            fields.push(quote!(#fdoc pub #id: Option<#t>));
            ctor.unset(quote!(#id: None));
        } else {
            fields.push(quote!(#fdoc pub #id: #t));
            ctor.arg(id, t);
        }
        inits.push(quote!(#id: #read));
    }
    ctor.unset(quote!(other_columns: Vec::new()));
    fields.push(quote!(
        /// Cells of columns the spec does not declare (named by the `Columns` header), in order,
        /// as `(column, value)`: nothing the server sends is dropped.
        pub other_columns: Vec<(String, String)>
    ));
    inits.push(quote!(other_columns: row.other_columns()));
    let rdoc = docs(&format!("One row of the {what} response."));
    let new = ctor.items(row);
    let registry = registry_dates(plan);
    items.extend(quote! {
        #rdoc
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #row {
            #(#fields,)*
        }

        #new
        #registry
    });
    let columns_mut = if extend.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let table_mut = if idx.is_empty() {
        quote!()
    } else {
        quote!(mut)
    };
    let setup = |name: TokenStream| {
        quote! {
            let #columns_mut columns: Vec<&str> = vec![#(#base_cols),*];
            #(#extend)*
            let #table_mut table = #rt::output::TableReader::new(#name, env, &columns, #sep);
            #(#idx)*
        }
    };
    let row_ref = &plan.row_ref;
    let ref_doc = docs(&format!(
        "One row of the `{}` response, borrowed from it: every cell is checked like [`{row}`] \
         but text stays a slice of the answer (no allocation per row). From \
         [`{base}::borrow_rows`].",
        r.name
    ));
    let borrow_doc = docs(&format!(
        "The rows of a `{}` answer, borrowed from `env`: the fast way to read a large list \
         (`parse_output` copies every cell). Fails like `parse_output` on a cell that does \
         not match its type.",
        r.name
    ));
    let rows_doc = docs(&format!(
        "The rows of a `{}` answer one at a time, borrowed from `env` and checked like \
         [`borrow_rows`](Self::borrow_rows): memory stays the answer plus one row, however \
         long the list. The iterator ends after the first error.",
        r.name
    ));
    let ref_setup = setup(quote!(<Self as #rt::Request>::NAME));
    if borrowed {
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
            #rows_doc
            pub fn rows<'a>(
                &self,
                env: &'a #rt::Envelope,
            ) -> #rt::output::TypedRows<
                'a,
                impl FnMut(&#rt::output::RowCells<'_, 'a>) -> Result<#row_ref<'a>, #rt::OutputError> + use<'a>,
            > {
                #ref_setup
                table.into_rows(move |row| Ok(#row_ref { #(#ref_inits,)* line: row.line() }))
            }

            #borrow_doc
            pub fn borrow_rows<'a>(&self, env: &'a #rt::Envelope) -> Result<Vec<#row_ref<'a>>, #rt::OutputError> {
                self.rows(env).collect_all()
            }
        }
        });
    }
    let setup = setup(quote!(Self::NAME));
    let parse = quote! {{
        #setup
        table.read(|row| Ok(#row { #(#inits,)* }))?
    }};
    (items, parse)
}

/// The call reading column `wire` (position `ix`) of `row`: required, or optional (`None` also
/// for the `none` marker), through `decoder` if the value is not read by `FromWire`.
fn cell_read(
    ix: &Ident,
    wire: &str,
    optional: bool,
    none: Option<&str>,
    decoder: Option<TokenStream>,
) -> TokenStream {
    match (optional, none, decoder) {
        (false, _, None) => quote!(row.required(#ix, #wire)?),
        (false, _, Some(d)) => quote!(row.required_with(#ix, #wire, #d)?),
        (true, None, None) => quote!(row.optional(#ix, #wire)?),
        (true, None, Some(d)) => quote!(row.optional_with(#ix, #wire, #d)?),
        (true, Some(none), None) => quote!(row.optional_unless(#ix, #wire, #none)?),
        (true, Some(none), Some(d)) => quote!(row.optional_unless_with(#ix, #wire, #none, #d)?),
    }
}

/// The borrowed type of a cell and its decoder (`None`: read by `FromWire`): values that are
/// `Copy` are parsed, text stays `&'a str` after its type's check (no allocation).
fn borrowed_value(ty: &ValueType) -> (TokenStream, Option<TokenStream>) {
    let rt = rt();
    match ty {
        ValueType::Date => (quote!(#rt::Date), None),
        ValueType::Months => (quote!(#rt::Months), None),
        ValueType::Year => (quote!(#rt::Year), None),
        ValueType::Int { .. } => (quote!(i64), None),
        ValueType::Ipv4 => (quote!(::std::net::Ipv4Addr), None),
        ValueType::Ipv6 => (quote!(::std::net::Ipv6Addr), None),
        ValueType::Flag(sp) => (quote!(bool), Some(spelling(*sp))),
        // Enums are read as text: an unknown value is kept, as in the owned row.
        ValueType::String | ValueType::Text | ValueType::Enum { .. } => {
            (quote!(&'a str), Some(quote!(#rt::output::Text)))
        }
        other => {
            let vt = qualified(other);
            (quote!(&'a str), Some(quote!(#rt::output::Checked(&#vt))))
        }
    }
}

/// Expression: whether flag parameter `flag` is set to true on `self`.
pub(super) fn flag_is_set(rp: &RequestPlan<'_>, flag: &str) -> TokenStream {
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

/// The prefix of key family `f`.
pub(crate) fn family_prefix(f: &FieldMeta) -> &str {
    f.family.as_deref().unwrap_or_default()
}

/// `&["key", ...]`: the declared keys of answer `ret`, which its families leave out.
pub(crate) fn declared_keys(ret: &ReturnsMeta) -> TokenStream {
    let names = ret
        .keys
        .iter()
        .filter(|k| k.family.is_none())
        .map(|k| &*k.name);
    quote!(&[#(#names),*])
}

/// The constructor of an answer type: its required fields as arguments, the others unset. The
/// types are `#[non_exhaustive]`, so a server (the sandbox) builds them with `new` and sets
/// the other public fields after.
#[derive(Default)]
struct Ctor {
    args: Vec<TokenStream>,
    inits: Vec<TokenStream>,
}

impl Ctor {
    /// A required field, given as an argument.
    fn arg(&mut self, id: &Ident, ty: &TokenStream) {
        self.args.push(quote!(#id: #ty));
        self.inits.push(quote!(#id));
    }

    /// A field that starts empty (`init` is `field: value`).
    fn unset(&mut self, init: TokenStream) {
        self.inits.push(init);
    }

    /// `impl #ty { pub fn new(...) -> Self }`, and `Default` when nothing is required.
    fn items(&self, ty: &Ident) -> TokenStream {
        let (args, inits) = (&self.args, &self.inits);
        let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let default = args.is_empty().then(|| {
            quote! {
                impl Default for #ty {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            }
        });
        quote! {
            impl #ty {
                /// The value with the required fields; the others are empty (`None`, no
                /// items), to be set through the public fields.
                #many
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits,)* }
                }
            }

            #default
        }
    }
}

/// For each date column with registry dates: a row method giving the registry's date, by the
/// row's (first) domain column.
fn registry_dates(plan: &RowPlan<'_>) -> TokenStream {
    let rt = rt();
    let Some(domain) = plan
        .columns
        .iter()
        .find(|cp| cp.extra_flag.is_none() && cp.c.ty == ValueType::Domain)
    else {
        return TokenStream::new();
    };
    let dom = &domain.field;
    let methods = plan.columns.iter().filter_map(|cp| {
        let reg = cp.c.registry.as_ref()?;
        let id = &cp.field;
        let method = crate::ident::snake_case(&format!("registry-{}", cp.c.field))?;
        let method = Ident::new(&method, proc_macro2::Span::call_site());
        let (tlds, days) = (reg.tlds.iter().map(|t| &**t), reg.days);
        let list = reg
            .tlds
            .iter()
            .map(|t| format!(".{t}"))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = docs(&format!(
            "The registry's `{}`: for {list} domains the server reports it {} day(s) {}, \
             so this is `{}` {} {} day(s) for them and `{}` for the others.",
            cp.c.name,
            days.abs(),
            if days < 0 { "late" } else { "early" },
            cp.c.field,
            if days < 0 { "minus" } else { "plus" },
            days.abs(),
            cp.c.field,
        ));
        let optional = cp.extra_flag.is_some() || cp.c.none.is_some();
        let date = quote!(#rt::Date);
        Some(if optional {
            quote! {
                #doc
                pub fn #method(&self) -> Option<#date> {
                    self.#id.map(|d| d.for_registry(self.#dom.as_str(), &[#(#tlds),*], #days))
                }
            }
        } else {
            quote! {
                #doc
                pub fn #method(&self) -> #date {
                    self.#id.for_registry(self.#dom.as_str(), &[#(#tlds),*], #days)
                }
            }
        })
    });
    let methods: Vec<TokenStream> = methods.collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    let row = &plan.row;
    quote!(impl #row { #(#methods)* })
}
