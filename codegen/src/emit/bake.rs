//! [`Bake`]: writes a value of the spec model as the Rust expression that builds it in a
//! `static` (after ICU4X's `databake`), so the generated tables are the loaded model, printed.
//! Struct fields equal to the type's `EMPTY` are left to `..EMPTY`. The expressions name the
//! model's types as `dmapi_runtime::meta` exports them: the generated code that bakes puts
//! them in scope ([`in_scope`]).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::rt;
use crate::model::*;

/// `use` of the model's names, for code that holds baked values.
pub(crate) fn in_scope() -> TokenStream {
    let rt = rt();
    quote!(use #rt::meta::*;)
}

/// A value type as an expression that needs no names in scope.
pub(crate) fn qualified(ty: &ValueType) -> TokenStream {
    let rt = rt();
    if ty.builtin().is_some() {
        let v = ident(&format!("{ty:?}"));
        return quote!(#rt::meta::ValueType::#v);
    }
    let (uses, baked) = (in_scope(), ty.bake());
    quote!({ #uses #baked })
}

/// A model value written as Rust (the model's names in scope).
pub(crate) trait Bake {
    /// The expression.
    fn bake(&self) -> TokenStream;
}

macro_rules! bake_literal {
    ($($t:ty),*) => {$(
        impl Bake for $t {
            fn bake(&self) -> TokenStream {
                self.to_token_stream()
            }
        }
    )*};
}

bake_literal!(bool, u8, u16, i64, usize, char);

impl Bake for Text {
    fn bake(&self) -> TokenStream {
        let s: &str = self;
        quote!(Text::Borrowed(#s))
    }
}

impl<T: Bake> Bake for Option<T> {
    fn bake(&self) -> TokenStream {
        match self {
            Some(v) => {
                let v = v.bake();
                quote!(Some(#v))
            }
            None => quote!(None),
        }
    }
}

impl<T: Bake + Clone> Bake for Seq<T> {
    fn bake(&self) -> TokenStream {
        let items = self.iter().map(Bake::bake);
        quote!(Seq::Borrowed(&[#(#items),*]))
    }
}

impl<A: Bake, B: Bake> Bake for (A, B) {
    fn bake(&self) -> TokenStream {
        let (a, b) = (self.0.bake(), self.1.bake());
        quote!((#a, #b))
    }
}

/// Fieldless enums: the variant's name is its `Debug` text.
macro_rules! bake_unit_enum {
    ($($t:ident),*) => {$(
        impl Bake for $t {
            fn bake(&self) -> TokenStream {
                let v = ident(&format!("{self:?}"));
                quote!($t::#v)
            }
        }
    )*};
}

bake_unit_enum!(
    FlagSpelling,
    GroupKind,
    RequestKind,
    Effect,
    Method,
    BodyKind,
    Separator,
    DnssecField
);

impl Bake for ValueType {
    fn bake(&self) -> TokenStream {
        let t = quote!(ValueType);
        match self {
            ValueType::Int { min, max } => {
                let (min, max) = (min.bake(), max.bake());
                quote!(#t::Int { min: #min, max: #max })
            }
            ValueType::Enum { name, values } => {
                let (name, values) = (name.bake(), values.bake());
                quote!(#t::Enum { name: #name, values: #values })
            }
            ValueType::Flag(s) => {
                let s = s.bake();
                quote!(#t::Flag(#s))
            }
            ValueType::List { item, delimiter } => {
                let item = (**item).bake();
                quote!(#t::List { item: ItemType::Static(&#item), delimiter: #delimiter })
            }
            simple => {
                let v = ident(&format!("{simple:?}"));
                quote!(#t::#v)
            }
        }
    }
}

/// `Type { field: value, .. }` with every listed field; with `EMPTY`, only those that differ
/// from it, then `..Type::EMPTY`.
macro_rules! bake_struct {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Bake for $t {
            fn bake(&self) -> TokenStream {
                let fields = [$((stringify!($f), self.$f.bake())),*];
                let fields = fields.iter().map(|(f, v)| {
                    let f = ident(f);
                    quote!(#f: #v)
                });
                quote!($t { #(#fields),* })
            }
        }
    };
    ($t:ident { $($f:ident),* $(,)? }, $empty:ident) => {
        impl Bake for $t {
            fn bake(&self) -> TokenStream {
                let mut fields = Vec::new();
                // `..EMPTY` only when it fills something in (clippy: needless_update).
                let mut rest = false;
                $(
                    if self.$f != $t::$empty.$f {
                        let (f, v) = (ident(stringify!($f)), self.$f.bake());
                        fields.push(quote!(#f: #v));
                    } else {
                        rest = true;
                    }
                )*
                let rest = rest.then(|| quote!(..$t::$empty));
                quote!($t { #(#fields,)* #rest })
            }
        }
    };
}

fn ident(s: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(s, proc_macro2::Span::call_site())
}

bake_struct!(Condition { tlds, params });
bake_struct!(GroupMeta {
    name,
    kind,
    alternatives,
    doc
});
bake_struct!(ExtraColumns { flag, columns });
bake_struct!(
    ParamMeta {
        name,
        doc,
        ty,
        required,
        secret,
        allow_empty,
        aliases,
        deprecated,
        indexed,
        required_when,
        default,
        example
    },
    EMPTY
);
bake_struct!(
    FieldMeta {
        name,
        field,
        doc,
        ty,
        required,
        none,
        quoted,
        family,
        repeated,
        registry
    },
    EMPTY
);
bake_struct!(RegistryDate { tlds, days });
bake_struct!(ResultMeta { doc, keys }, EMPTY);
bake_struct!(
    ReturnsMeta {
        body,
        doc,
        headers,
        columns,
        extra_columns,
        separator,
        keys,
        field,
        by,
        cases,
        status
    },
    EMPTY
);
bake_struct!(CaseMeta { when, returns });
bake_struct!(
    ExampleMeta {
        source,
        url,
        erratum,
        problems,
        answer,
        answer_from,
        output
    },
    EMPTY
);
bake_struct!(SessionMeta {
    production,
    ote,
    path,
    param,
    login,
    username,
    password,
    api_key,
    logout,
    timeout_header,
    access_header,
    cookie,
    access_full,
    access_read_only,
    access_modify_only,
    result,
    result_id,
    results,
    results_type,
    results_object,
    results_pending,
    status_key,
    cltrid,
    results_cltrid,
    invalid_api_key,
    invalid_username
});
bake_struct!(ProtocolMeta {
    doc,
    headers,
    separator_tab,
    separator_space,
    success,
    relogin_http,
    relogin_status,
    statuses,
    completion,
    result_row,
    framing,
    name_servers,
    former_name_servers,
    dnssec
});
bake_struct!(DnssecForms {
    delimiter,
    ds_data,
    key_data
});
bake_struct!(Framing {
    final_newline,
    tracking_id_hex,
    session_id_hex
});
bake_struct!(HeaderNames {
    status_code,
    status_text,
    tracking_id,
    tracking_id_old,
    proc_id,
    error,
    warning,
    columns,
    separator,
    row_count,
    version,
    session_id
});
bake_struct!(StatusMeta {
    code,
    name,
    text,
    doc
});
bake_struct!(CompletionWords { ack, nack, pending });
bake_struct!(ResultRowMeta {
    columns,
    at,
    none,
    count_key
});
bake_struct!(ResultRowColumns {
    timestamp,
    svtrid,
    proc_id,
    request_type,
    object,
    status,
    cltrid
});

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn fields_equal_to_empty_are_left_to_it() {
        let p = ParamMeta {
            name: Cow::Owned("domain".into()),
            ty: ValueType::Domain,
            required: true,
            ..ParamMeta::EMPTY
        };
        let got = p.bake().to_string();
        let want = quote! {
            ParamMeta {
                name: Text::Borrowed("domain"),
                ty: ValueType::Domain,
                required: true,
                ..ParamMeta::EMPTY
            }
        };
        assert_eq!(got, want.to_string());
    }

    #[test]
    fn nested_values_bake_as_static_expressions() {
        let t = ValueType::List {
            item: ItemType::Owned(Box::new(ValueType::Enum {
                name: None,
                values: Cow::Owned(vec![Cow::Owned("a".into())]),
            })),
            delimiter: ':',
        };
        let got = t.bake().to_string();
        let want = quote! {
            ValueType::List {
                item: ItemType::Static(&ValueType::Enum {
                    name: None,
                    values: Seq::Borrowed(&[Text::Borrowed("a")])
                }),
                delimiter: ':'
            }
        };
        assert_eq!(got, want.to_string());
    }
}
