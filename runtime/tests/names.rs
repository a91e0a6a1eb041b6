//! `ROOT_NAMES`, `REQUEST_METHODS` and `CLIENT_METHODS` are the names `dmapi-codegen` must not generate: they are
//! kept equal to the source here, so that adding a re-export or a client method cannot leave a
//! generated name that silently shadows it.

use std::collections::BTreeSet;

fn parse(file: &str) -> syn::File {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn leaves(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(p) => leaves(&p.tree, out),
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string());
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string());
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
        syn::UseTree::Glob(_) => panic!("a glob re-export at the root hides which names it adds"),
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

#[test]
fn root_names_are_the_items_of_lib_rs() {
    let mut found = BTreeSet::new();
    for item in parse("src/lib.rs").items {
        let name = match item {
            syn::Item::Mod(m) if is_pub(&m.vis) => m.ident,
            syn::Item::Const(c) if is_pub(&c.vis) => c.ident,
            syn::Item::Static(s) if is_pub(&s.vis) => s.ident,
            syn::Item::Trait(t) if is_pub(&t.vis) => t.ident,
            syn::Item::Struct(s) if is_pub(&s.vis) => s.ident,
            syn::Item::Enum(e) if is_pub(&e.vis) => e.ident,
            syn::Item::Type(t) if is_pub(&t.vis) => t.ident,
            syn::Item::Fn(f) if is_pub(&f.vis) => f.sig.ident,
            syn::Item::Use(u) if is_pub(&u.vis) => {
                leaves(&u.tree, &mut found);
                continue;
            }
            _ => continue,
        };
        found.insert(name.to_string());
    }
    let listed: BTreeSet<String> = dmapi_runtime::ROOT_NAMES
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        listed.len(),
        dmapi_runtime::ROOT_NAMES.len(),
        "a name is listed twice"
    );
    assert_eq!(
        found, listed,
        "ROOT_NAMES differs from the items of src/lib.rs"
    );
}

#[test]
fn client_methods_are_the_methods_of_client() {
    let mut found = BTreeSet::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/client");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("src/client/")
        .map(|e| {
            format!(
                "src/client/{}",
                e.expect("an entry").file_name().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    assert!(
        files.contains(&"src/client/mod.rs".to_string()),
        "{files:?}"
    );
    let items = files.iter().flat_map(|f| parse(f).items);
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(ty) = imp.self_ty.as_ref() else {
            continue;
        };
        if ty.path.segments.last().is_none_or(|s| s.ident != "Client") {
            continue;
        }
        let inherent = imp.trait_.is_none();
        for item in imp.items {
            if let syn::ImplItem::Fn(f) = item
                && (!inherent || is_pub(&f.vis))
            {
                found.insert(f.sig.ident.to_string());
            }
        }
    }
    let listed: BTreeSet<String> = dmapi_runtime::CLIENT_METHODS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        found, listed,
        "CLIENT_METHODS differs from the methods of Client"
    );
}

#[test]
fn request_methods_are_the_methods_of_request_and_decode() {
    let mut found = BTreeSet::new();
    let traits = parse("src/lib.rs")
        .items
        .into_iter()
        .chain(parse("src/output/write.rs").items);
    for item in traits {
        if let syn::Item::Trait(t) = item
            && (t.ident == "Request" || t.ident == "Decode" || t.ident == "WriteOutput")
        {
            for item in t.items {
                if let syn::TraitItem::Fn(f) = item {
                    found.insert(f.sig.ident.to_string());
                }
            }
        }
    }
    let listed: BTreeSet<String> = dmapi_runtime::REQUEST_METHODS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(found, listed, "REQUEST_METHODS differs from the traits");
}
