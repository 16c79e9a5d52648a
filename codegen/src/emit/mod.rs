//! [`TypeSpace`] → Rust source files, one per top-level module, formatted
//! with prettyplease. Output depends only on the type space, so the same
//! input always gives the same bytes.
//!
//! Every non-generic function emitted is `#[inline]`. A generated crate
//! has thousands of them (checks, builders, accessors) and a user calls a
//! few; an `#[inline]` function is compiled to machine code only in a crate
//! that calls it, as a generic one is, instead of all of them up front
//! (measured in BENCHMARKS.md).

mod client;
mod enums;
mod error;
pub(crate) mod features;
mod mock;
mod operations;
mod schema;
mod shape;
pub(crate) mod standalone;
mod structs;
mod value;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::config::{Config, GeneratedFile};
use crate::model::{TypeDef, TypeKind, TypeSpace};
use crate::pattern::Engine;
pub use error::EmitError;

/// What every emitter needs to know about the whole type space (its
/// methods, per shape, are in `shape.rs`).
pub(crate) struct Ctx<'a> {
    pub space: &'a TypeSpace,
    /// Whether `schemars::JsonSchema` impls are emitted.
    pub schemars: bool,
    /// The types crate as the client and mock files name it: a checked
    /// identifier (`stytch_types`), or `crate` in a standalone crate.
    pub types: String,
    /// The feature of each operation and type, when they are gated
    /// ([`Config::features`]).
    pub features: Option<features::Features>,
}

impl Ctx<'_> {
    /// [`Ctx::types`] as a path.
    pub fn types(&self) -> TokenStream {
        if self.types == "crate" {
            return quote!(crate);
        }
        let ident = format_ident!("{}", self.types);
        quote!(#ident)
    }
}

/// [`Config::types_crate`], checked to be an identifier.
fn types_crate(config: &Config) -> Result<String, EmitError> {
    match syn::parse_str::<syn::Ident>(&config.types_crate) {
        Ok(_) => Ok(config.types_crate.clone()),
        Err(_) => Err(EmitError::Crate(format!(
            "the types crate {:?} is not a Rust identifier",
            config.types_crate
        ))),
    }
}

/// The validation runtime every generated crate carries.
const RUNTIME: &str = include_str!("../runtime/validation.rs");
/// The pattern runtime on `regex` (linear time), and on `regress`.
const RUNTIME_PATTERN: &str = include_str!("../runtime/pattern.rs");
/// The operations' runtime (the `Operation` trait, `Request`, encoding),
/// carried at the top of the `operations` module when there are operations.
const RUNTIME_OPERATIONS: &str = include_str!("../runtime/operation.rs");
/// The part of the pattern runtime on `regress`, for patterns that need backtracking.
const RUNTIME_PATTERN_BACKTRACK: &str = include_str!("../runtime/pattern_backtrack.rs");
/// The part of the runtime behind the `schemars` impls.
const RUNTIME_SCHEMARS: &str = include_str!("../runtime/schemars.rs");

/// The runtime's `is_credential_name` words (`runtime/validation.rs`): a
/// field whose JSON name holds one, in any case, is a credential, which the
/// emitted `Debug` shows as `"<redacted>"`. A test holds the two lists equal.
const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "jwt",
    "secret",
    "password",
    "passwd",
    "cookie",
    "authorization",
    "credential",
    "api-key",
    "api_key",
    "apikey",
    "private_key",
    "private-key",
];

/// Whether a field of this JSON name is a credential, by the rule the
/// generated runtime applies to the values it prints.
pub(crate) fn is_credential_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    // "session" only as the last word (`X-Stytch-Member-Session` carries a
    // session token; `session_duration_minutes` and `session_id` do not).
    let session = name
        .strip_suffix("session")
        .is_some_and(|rest| rest.is_empty() || rest.ends_with(['-', '_', '.']));
    session || CREDENTIAL_WORDS.iter().any(|word| name.contains(word))
}

/// Which parts of the runtime the output of a type space uses, decided in
/// one place for the files emitted and the crate's dependencies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuntimeNeeds {
    /// `json.rs`: some type is validated as a JSON value.
    pub json: bool,
    /// `formats.rs`: some schema asserts a format.
    pub formats: bool,
    /// The pattern engine on `regex` (linear time).
    pub linear: bool,
    /// Which Unicode tables of `regex` its patterns' `\p{…}` need
    /// (`pattern::REGEX_TABLES`).
    pub regex_tables: [bool; 3],
    /// The pattern engine on `regress`, for patterns that need backtracking.
    pub backtrack: bool,
}

impl RuntimeNeeds {
    pub(crate) fn of(space: &TypeSpace) -> Self {
        fn shape_patterns<'s>(shape: &'s crate::model::Shape, out: &mut Vec<&'s str>) {
            use crate::model::Shape;
            match shape {
                Shape::String(r) => out.extend(r.pattern.as_deref()),
                Shape::Array(inner, _) | Shape::Map(inner) => shape_patterns(inner, out),
                _ => {}
            }
        }
        let mut patterns = Vec::new();
        let (mut json, mut formats) = (false, false);
        for def in space.types.values() {
            match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .for_each(|f| shape_patterns(&f.shape, &mut patterns)),
                TypeKind::Value(v) => {
                    json = true;
                    formats |= value::uses_formats(v);
                    value::patterns(v, &mut patterns);
                }
                _ => {}
            }
        }
        let engines: Vec<_> = patterns.iter().map(|p| crate::pattern::engine(p)).collect();
        let mut regex_tables = [false; 3];
        for e in &engines {
            if let Engine::Linear(linear) = e {
                let needs = crate::pattern::regex_tables(linear);
                regex_tables = std::array::from_fn(|i| regex_tables[i] || needs[i]);
            }
        }
        RuntimeNeeds {
            json,
            formats,
            linear: engines.iter().any(|e| matches!(e, Engine::Linear(_))),
            regex_tables,
            backtrack: engines.iter().any(|e| matches!(e, Engine::Backtrack)),
        }
    }
}

/// Helpers of types validated as JSON values; carried only when one exists.
const JSON_RUNTIME: &str = include_str!("../runtime/json.rs");
/// Format checks; carried only when a schema asserts a format.
const FORMATS_RUNTIME: &str = include_str!("../runtime/formats.rs");

/// The emitted code: the crate root's items, and every other file.
pub(crate) struct Emitted {
    /// What `lib.rs` holds, below its header.
    pub lib: TokenStream,
    /// The other files, in output order.
    pub files: Vec<GeneratedFile>,
}

pub(crate) fn emit(space: &TypeSpace, config: &Config) -> Result<Vec<GeneratedFile>, EmitError> {
    let Emitted { lib, mut files } = emit_parts(space, config)?;
    let header = header(&config.regenerate_command);
    files.insert(
        0,
        GeneratedFile {
            target: crate::config::Target::Types,
            path: "lib.rs".to_owned(),
            contents: format!("{header}{}", format("lib.rs", lib)?),
        },
    );
    Ok(files)
}

/// [`emit`], with the crate root left as tokens for a caller to extend.
pub(crate) fn emit_parts(space: &TypeSpace, config: &Config) -> Result<Emitted, EmitError> {
    let gated = config.features && config.crate_name.is_none() && !space.operations.is_empty();
    let cx = Ctx {
        space,
        schemars: config.schemars,
        types: types_crate(config)?,
        features: gated.then(|| features::Features::of(space)),
    };
    let (root, tree) = module_tree(space);
    let needs = RuntimeNeeds::of(space);
    let header = header(&config.regenerate_command);
    let lib = lib(&cx, &root, &tree, needs);
    let mut files = runtime_files(&header, config, needs);
    // A standalone crate holds its client itself (`standalone`).
    let client = config.client && config.crate_name.is_none();
    files.extend(module_files(&cx, &header, &tree, client)?);
    // The request functions need the client's runtime beside them.
    if files
        .iter()
        .any(|f| f.target == crate::config::Target::Client)
    {
        files.extend(client::runtime_files(&header));
    }
    Ok(Emitted { lib, files })
}

/// Whether the operations' runtime has a helper the API never calls: it has
/// one per parameter location, and an API without path or header
/// parameters leaves one unused.
fn operation_helpers_unused(space: &TypeSpace) -> bool {
    use crate::model::ParamLocation;
    let uses = |at: ParamLocation| {
        let mut params = space.operations.iter().flat_map(|op| &op.params);
        params.any(|p| p.location == at)
    };
    !(uses(ParamLocation::Path) && uses(ParamLocation::Header))
}

/// The types with no module (the crate root's) and the top-level modules,
/// each with its types, operations and submodules.
fn module_tree(space: &TypeSpace) -> (Module<'_>, BTreeMap<String, Module<'_>>) {
    // Group by top-level module; types with no module live in lib.rs.
    let mut tree: BTreeMap<String, Module<'_>> = BTreeMap::new();
    let mut root = Module::default();
    for (id, def) in &space.types {
        let mut module = match def.path.modules.first() {
            Some(top) => tree.entry(top.clone()).or_default(),
            None => &mut root,
        };
        for segment in def.path.modules.iter().skip(1) {
            module = module.children.entry(segment.clone()).or_default();
        }
        module.items.push((id, def));
    }
    for op in &space.operations {
        let mut module = tree
            .entry(crate::lower::OPERATIONS_MODULE.to_owned())
            .or_default();
        for group in &op.chain[..op.chain.len().saturating_sub(1)] {
            module = module.children.entry(group.clone()).or_default();
        }
        module.operations.push(op);
    }
    (root, tree)
}

/// `lib.rs`: the runtime modules the output uses, one declaration per
/// top-level module, and the root's types.
fn lib(
    cx: &Ctx<'_>,
    root: &Module<'_>,
    tree: &BTreeMap<String, Module<'_>>,
    needs: RuntimeNeeds,
) -> TokenStream {
    let mod_decls = tree.keys().map(|name| {
        let ident = format_ident!("{}", name);
        let file = format!("{name}.rs");
        if name == crate::lower::OPERATIONS_MODULE {
            let doc = " Every operation of the API: what a transport needs to send it.";
            // With features, any helper may go unused.
            let unused = operation_helpers_unused(cx.space) || cx.features.is_some();
            let allow = unused.then(|| quote!(#[allow(dead_code)]));
            return quote!(#[doc = #doc] #allow pub mod #ident { include!(#file); });
        }
        let doc = module_doc(name);
        quote!(#[doc = #doc] pub mod #ident { include!(#file); })
    });
    let root_items = root.tokens(cx, false);
    // Each schema uses only some of the helpers.
    let json_mod = needs.json.then(|| {
        quote!(
            #[allow(dead_code)]
            mod json {
                include!("json.rs");
            }
        )
    });
    let formats_mod = needs.formats.then(|| {
        quote!(
            #[allow(dead_code)]
            mod formats {
                include!("formats.rs");
            }
        )
    });
    quote! {
        /// Checks behind every generated type: paths, constraints, violations.
        pub mod validation { include!("validation.rs"); }
        pub use validation::{ValidationError, Violation};
        #json_mod
        #formats_mod
        #(#mod_decls)*
        #root_items
    }
}

/// The runtime's files, each with only the parts `needs` asks for.
fn runtime_files(header: &str, config: &Config, needs: RuntimeNeeds) -> Vec<GeneratedFile> {
    let pattern = if needs.linear { RUNTIME_PATTERN } else { "" };
    let backtrack = if needs.backtrack {
        RUNTIME_PATTERN_BACKTRACK
    } else {
        ""
    };
    let schemars = if config.schemars {
        RUNTIME_SCHEMARS
    } else {
        ""
    };
    let file = |path: &str, contents: String| GeneratedFile {
        target: crate::config::Target::Types,
        path: path.to_owned(),
        contents,
    };
    let mut files = vec![file(
        "validation.rs",
        format!("{header}{RUNTIME}{pattern}{backtrack}{schemars}"),
    )];
    if needs.json {
        files.push(file("json.rs", format!("{header}{JSON_RUNTIME}")));
    }
    if needs.formats {
        files.push(file("formats.rs", format!("{header}{FORMATS_RUNTIME}")));
    }
    files
}

/// One file per top-level module, built and formatted on every core.
fn module_files(
    cx: &Ctx<'_>,
    header: &str,
    tree: &BTreeMap<String, Module<'_>>,
    client: bool,
) -> Result<Vec<GeneratedFile>, EmitError> {
    // Modules, and the client's functions, are independent: build and
    // format them on every core.
    let client = client.then_some(Job::Client(cx.space.operations.len()));
    let modules = tree.iter().map(|(n, m)| Job::Module(n, m));
    let jobs: Vec<Job<'_, '_>> = client.into_iter().chain(modules).collect();
    let formatted = parallel_map(&jobs, Job::cost, |job| match job {
        Job::Module(name, module) => {
            let operations = name.as_str() == crate::lower::OPERATIONS_MODULE;
            format(&format!("{name}.rs"), module.tokens(cx, operations)).map(Some)
        }
        Job::Client(_) => match client::emit(cx, &cx.space.operations) {
            Some(tokens) => format("operations.rs", tokens).map(Some),
            None => Ok(None),
        },
    });
    let mut files = Vec::new();
    for (job, contents) in jobs.into_iter().zip(formatted) {
        let (target, path) = match job {
            Job::Module(name, _) => (crate::config::Target::Types, format!("{name}.rs")),
            Job::Client(_) => (crate::config::Target::Client, "operations.rs".to_owned()),
        };
        let contents = contents.unwrap_or_else(|| {
            Err(EmitError::ModuleMissing {
                module: path.clone(),
            })
        })?;
        let Some(contents) = contents else { continue };
        // The operations' runtime leads their module: one module, so that
        // `operations::Operation` sits beside `operations::users::Get`.
        let runtime = match job {
            Job::Module(name, _) if name.as_str() == crate::lower::OPERATIONS_MODULE => {
                RUNTIME_OPERATIONS
            }
            _ => "",
        };
        files.push(GeneratedFile {
            target,
            path,
            contents: format!("{header}{runtime}{contents}"),
        });
    }
    Ok(files)
}

/// One file [`module_files`] writes.
enum Job<'t, 'a> {
    /// A top-level module of the types crate.
    Module(&'t String, &'t Module<'a>),
    /// The client's functions (`client/src/generated/operations.rs`), for
    /// this many operations.
    Client(usize),
}

impl Job<'_, '_> {
    /// About how long the job takes, to start the longest first: the
    /// largest modules (`organization`) would otherwise come up last in
    /// name order and leave one core idle while they finish.
    fn cost(&self) -> usize {
        match self {
            Job::Module(_, module) => module.size(),
            // A client function is about a quarter of the code of a type
            // (Stytch's: 5,376 lines for 184 operations).
            Job::Client(operations) => operations / 4,
        }
    }
}

/// The mock server's files ([`crate::config::Target::Mock`]): its route table and
/// the response schemas of `doc` (the effective document) it answers from;
/// none when there are no operations.
pub(crate) fn mock_files(
    config: &Config,
    space: &TypeSpace,
    doc: &serde_json::Value,
) -> Result<Vec<GeneratedFile>, EmitError> {
    let cx = Ctx {
        space,
        schemars: config.schemars,
        types: types_crate(config)?,
        features: None,
    };
    let Some(routes) = mock::routes(&cx, &space.operations) else {
        return Ok(Vec::new());
    };
    let header = header(&config.regenerate_command);
    Ok(vec![
        GeneratedFile {
            target: crate::config::Target::Mock,
            path: "routes.rs".to_owned(),
            contents: format!("{header}{}", format("routes.rs", routes)?),
        },
        GeneratedFile {
            target: crate::config::Target::Mock,
            path: "schemas.rs".to_owned(),
            contents: format!("{header}{}", mock::schemas(&space.operations, doc)?),
        },
    ])
}

/// The first lines of every file; `fs` recognises its own files by the mark.
fn header(command: &str) -> String {
    format!(
        "// {}. Do not edit by hand.\n// Regenerate with: {command}\n\n",
        crate::fs::GENERATED_MARK
    )
}

/// `f` over `items` on up to one thread per core, results in `items`' order
/// (so output stays deterministic); `None` only where a worker died, whose
/// panic has then already propagated. Runs here when no thread can be made.
fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    cost: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Generated code nests as deeply as the schemas (up to 64 levels), and
    // syn and prettyplease recurse over it: a roomy stack, as `generate` has.
    const STACK: usize = 64 * 1024 * 1024;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    // Costliest first, so that no large item starts last (results stay in
    // the items' order).
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(cost(&items[i])));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    let work = || {
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let r = f(&items[i]);
            if let Ok(mut slots) = results.lock() {
                slots[i] = Some(r);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            // A worker that cannot start leaves its share to the others.
            let _ = std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, work);
        }
        work();
    });
    results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[derive(Default)]
struct Module<'a> {
    items: Vec<(&'a crate::model::TypeId, &'a TypeDef)>,
    operations: Vec<&'a crate::model::Operation>,
    children: BTreeMap<String, Module<'a>>,
}

impl Module<'_> {
    /// Its types and operations, its submodules' included.
    fn size(&self) -> usize {
        let own = self.items.len() + self.operations.len();
        own + self.children.values().map(Module::size).sum::<usize>()
    }

    /// `groups`: the module is below `operations`, so its children are
    /// groups of operations, not packages of types.
    fn tokens(&self, cx: &Ctx<'_>, groups: bool) -> TokenStream {
        let items = self.items.iter().map(|(id, def)| {
            let cfg = cx.features.as_ref().and_then(|f| f.type_cfg(id));
            features::gate(cfg.as_ref(), type_items(cx, def))
        });
        let operations = self.operations.iter().map(|op| {
            let cfg = cx.features.as_ref().and_then(|f| f.operation_cfg(op));
            features::gate(cfg.as_ref(), operations::emit(cx, op))
        });
        let children = self.children.iter().map(|(name, child)| {
            let ident = ident(name);
            let body = child.tokens(cx, groups);
            let doc = if groups {
                format!(" The `{name}` group of operations.")
            } else {
                module_doc(name)
            };
            quote!(#[doc = #doc] pub mod #ident { #body })
        });
        quote!(#(#items)* #(#operations)* #(#children)*)
    }
}

fn module_doc(name: &str) -> String {
    format!(" The types of the `{name}` schemas.")
}

/// A type's items, and its `schemars` impl when those are emitted.
fn type_items(cx: &Ctx<'_>, def: &TypeDef) -> TokenStream {
    let mut items = type_body(cx, def);
    if cx.schemars {
        items.extend(match &def.kind {
            TypeKind::Struct(s) => schema::of_struct(cx, def, s),
            TypeKind::Enum(e) => schema::of_enum(def, e),
            TypeKind::Value(v) => schema::impl_for(def, &v.schema, &[]),
            TypeKind::Alias(_) => TokenStream::new(),
        });
    }
    items
}

fn type_body(cx: &Ctx<'_>, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => structs::emit(cx, def, s),
        TypeKind::Enum(e) => enums::emit(def, e),
        TypeKind::Value(v) => value::emit(def, v),
        TypeKind::Alias(target) => {
            let name = format_ident!("{}", def.path.name);
            let doc = type_doc(def);
            match cx.resolve(target) {
                Some(target) => {
                    let path = cx.type_path(target, "");
                    quote!(#doc pub type #name = #path;)
                }
                None => TokenStream::new(),
            }
        }
    }
}

/// A bound as the schema wrote it: `1`, not `1.0`, when it is integral.
pub(crate) fn bound_value(bound: f64) -> serde_json::Value {
    if bound.fract() == 0.0 && bound.abs() < 9e15 {
        serde_json::Value::from(bound as i64)
    } else {
        serde_json::Value::from(bound)
    }
}

/// The check of bound `keyword` (`minimum`, `exclusiveMinimum`, `maximum`,
/// `exclusiveMaximum`) on `value` (an `f64` expression), reporting `shown`.
/// The violation's text, e.g. `minimum 1`, is written here once rather
/// than formatted on every failure at run time.
pub(crate) fn bound_check(
    keyword: &str,
    bound: f64,
    value: TokenStream,
    shown: TokenStream,
    path: &TokenStream,
) -> TokenStream {
    let func = if matches!(keyword, "minimum" | "exclusiveMinimum") {
        quote!(check_minimum)
    } else {
        quote!(check_maximum)
    };
    let exclusive = keyword.starts_with("exclusive");
    let constraint = format!("{keyword} {}", bound_value(bound));
    let bound = proc_macro2::Literal::f64_suffixed(bound);
    quote!(crate::validation::#func(#value, #bound, #exclusive, #constraint, #shown, #path, errs);)
}

/// The check of the `&str` expression `value` against `source`: emitted Rust
/// when the pattern compiles, else a `static PATTERN` on the linear-time
/// engine when the pattern translates, else on regress (`crate::pattern`).
pub(crate) fn pattern_check(source: &str, value: TokenStream, path: &TokenStream) -> TokenStream {
    let constraint = format!("pattern {source}");
    let (kind, text) = match crate::pattern::engine(source) {
        Engine::Compiled(m) => {
            let func = m.emit_fn("pattern_matches");
            return quote!({
                #func
                let text: &str = #value;
                if !pattern_matches(text) {
                    errs.push(#path, #constraint, text);
                }
            });
        }
        Engine::Linear(linear) => (quote!(Pattern), linear),
        Engine::Backtrack => (quote!(BacktrackPattern), source.to_owned()),
    };
    quote!({
        static PATTERN: crate::validation::#kind =
            crate::validation::#kind::new(#text, #constraint);
        PATTERN.check(#value, #path, errs);
    })
}

/// `tokens` as the formatted source of `file`.
fn format(file: &str, tokens: TokenStream) -> Result<String, EmitError> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|source| EmitError::Unparsable {
        file: file.to_owned(),
        source,
    })?;
    Ok(prettyplease::unparse(&parsed))
}

/// Doc attributes from a schema description. rustdoc runs code blocks as
/// doctests, so every fenced block (``` or ~~~, any info string) opens as
/// ```` ```text ```` and every indented block (four spaces after a blank
/// line) is fenced as `text`; other lines are trimmed (so indentation cannot
/// start a code block) and kept as written, links and HTML included.
pub(crate) fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return TokenStream::new();
    };
    let lines = doc_lines(text).into_iter().map(|line| {
        let line = if line.is_empty() {
            line
        } else {
            format!(" {line}")
        };
        let line = doc_literal(&line);
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// A doc line as a raw string literal (`r"…"`, `r#"…"#`): the same string
/// as `Literal::string`, but neither escaped here nor unescaped character
/// by character when prettyplease reads it back, which for the thousands of
/// doc lines of a document was a tenth of generation. A bare CR, which a
/// raw string cannot hold, is gone by now (`doc_lines`); an escaped
/// literal is the fallback all the same.
fn doc_literal(line: &str) -> proc_macro2::Literal {
    let hashes = (0..8).find(|&n| {
        let close = format!("\"{}", "#".repeat(n));
        !line.contains(&close)
    });
    match hashes {
        Some(n) if !line.contains('\r') => {
            let hashes = "#".repeat(n);
            format!("r{hashes}\"{line}\"{hashes}")
                .parse()
                .unwrap_or_else(|_| proc_macro2::Literal::string(line))
        }
        _ => proc_macro2::Literal::string(line),
    }
}

/// A type's description, or a note that the document gives none (every
/// public item is documented; the note names no file position, so output
/// does not depend on whether schemas come as files or in a document).
pub(crate) fn type_doc(def: &TypeDef) -> TokenStream {
    match def.description.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(text) => docs(Some(text)),
        None => docs(Some(&format!(
            "The `{}` schema (the document gives no description).",
            def.path.name
        ))),
    }
}

/// `[DEPRECATED]` in upstream prose is text, but rustdoc would take it for
/// an intra-doc link to an item of that name (and fail): brackets that open
/// no Markdown link (`[text](url)`, `[text][ref]`) are escaped, outside code
/// spans. The rendered text is the same.
fn escape_reference_brackets(line: &str) -> String {
    if !line.contains('[') {
        return line.to_owned();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
        } else if c == '[' && !in_code && (i == 0 || chars[i - 1] != '\\') {
            let close = chars[i + 1..]
                .iter()
                .position(|&x| x == ']')
                .map(|p| i + 1 + p);
            let links = close.is_some_and(|j| matches!(chars.get(j + 1), Some('(') | Some('[')));
            match (close, links) {
                (Some(j), false) => {
                    out.push_str("\\[");
                    out.extend(&chars[i + 1..j]);
                    out.push_str("\\]");
                    i = j + 1;
                    continue;
                }
                // `[text][ref]`: the reference is part of the link.
                (Some(j), true) if chars.get(j + 1) == Some(&'[') => {
                    let end = chars[j + 1..]
                        .iter()
                        .position(|&x| x == ']')
                        .map_or(chars.len() - 1, |p| j + 1 + p);
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The width of a list item's marker (`- `, `* `, `+ `, `1. `, `2) `), if
/// `line` starts one.
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// The lines of a description as safe Markdown (see [`docs`]).
fn doc_lines(text: &str) -> Vec<String> {
    // A bare CR is not allowed in a doc comment; as in Markdown, it ends a
    // line.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = DocLines::default();
    for raw in text.trim_matches('\n').lines() {
        lines.push(raw);
    }
    lines.finish()
}

/// The state of [`doc_lines`] between lines.
struct DocLines {
    /// The open fence's character and length: it closes on a line of at
    /// least as many of the same character and nothing else (CommonMark).
    fence: Option<(char, usize)>,
    /// Inside an indented code block (fenced as `text` here).
    indented: bool,
    previous_blank: bool,
    /// The text column of the list item the previous line was in.
    list_indent: Option<usize>,
    out: Vec<String>,
}

impl Default for DocLines {
    fn default() -> Self {
        DocLines {
            fence: None,
            indented: false,
            previous_blank: true,
            list_indent: None,
            out: Vec::new(),
        }
    }
}

impl DocLines {
    fn push(&mut self, raw: &str) {
        let trimmed = raw.trim();
        if let Some((c, n)) = self.fence {
            self.in_fence(raw, trimmed, c, n);
            return;
        }
        let code = raw.starts_with("    ") || raw.starts_with('\t');
        if self.indented {
            if code || trimmed.is_empty() {
                self.out.push(raw.to_owned());
                self.previous_blank = trimmed.is_empty();
                return;
            }
            self.close_indented();
        }
        if code && self.previous_blank && !trimmed.is_empty() {
            self.out.push("```text".to_owned());
            self.out.push(raw.to_owned());
            self.indented = true;
            self.previous_blank = false;
            return;
        }
        if self.open_fence(trimmed) {
            self.previous_blank = false;
            return;
        }
        self.previous_blank = trimmed.is_empty();
        self.text(trimmed);
    }

    /// A line inside a fenced block: kept as written, or the closing fence.
    fn in_fence(&mut self, raw: &str, trimmed: &str, c: char, n: usize) {
        let run = trimmed.chars().take_while(|&x| x == c).count();
        if run >= n && run == trimmed.chars().count() {
            self.fence = None;
            self.out.push(c.to_string().repeat(n));
        } else {
            self.out.push(raw.to_owned());
        }
    }

    /// Ends an indented block; blank lines inside belong to the block, the
    /// last ones do not.
    fn close_indented(&mut self) {
        let blanks = self
            .out
            .iter()
            .rev()
            .take_while(|l| l.trim().is_empty())
            .count();
        self.out.insert(self.out.len() - blanks, "```".to_owned());
        self.indented = false;
    }

    /// Whether `trimmed` opens a fence, which then opens as `text`.
    fn open_fence(&mut self, trimmed: &str) -> bool {
        let Some(c) = trimmed.chars().next().filter(|&c| c == '`' || c == '~') else {
            return false;
        };
        let n = trimmed.chars().take_while(|&x| x == c).count();
        let info: String = trimmed.chars().skip(n).collect();
        // A backtick fence's info string cannot hold a backtick.
        if n < 3 || (c == '`' && info.contains('`')) {
            return false;
        }
        self.fence = Some((c, n));
        self.out.push(format!("{}text", c.to_string().repeat(n)));
        true
    }

    /// A line of prose. A line right after a list item continues it: indent
    /// it under the item's text, as Markdown means it (and clippy asks).
    fn text(&mut self, trimmed: &str) {
        match (list_marker(trimmed), self.list_indent) {
            (Some(width), _) => self.list_indent = Some(width),
            (None, Some(width)) if !trimmed.is_empty() => {
                let line = escape_reference_brackets(trimmed);
                self.out.push(format!("{}{line}", " ".repeat(width)));
                return;
            }
            (None, _) => self.list_indent = None,
        }
        self.out.push(escape_reference_brackets(trimmed));
    }

    /// The lines, every open block closed and no trailing blank line.
    fn finish(mut self) -> Vec<String> {
        if self.indented {
            self.close_indented();
        }
        if let Some((c, n)) = self.fence {
            self.out.push(c.to_string().repeat(n));
        }
        while self.out.last().is_some_and(|l| l.trim().is_empty()) {
            self.out.pop();
        }
        self.out
    }
}

/// A field or accessor identifier; Rust keywords become raw identifiers.
pub(crate) fn ident(name: &str) -> Ident {
    const STRICT: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern",
        "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type", "unsafe",
        "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
        "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    match name {
        "self" | "super" | "crate" | "Self" => format_ident!("{}_", name),
        _ if STRICT.contains(&name) => Ident::new_raw(name, Span::call_site()),
        _ => format_ident!("{}", name),
    }
}

#[cfg(test)]
mod tests {
    use super::{CREDENTIAL_WORDS, RUNTIME, doc_lines, doc_literal, is_credential_name};

    /// Names and whether they are credentials, for both implementations.
    const CREDENTIAL_NAMES: &[(&str, bool)] = &[
        ("Session_Token", true),
        ("session_jwt", true),
        ("password", true),
        ("X-Stytch-Member-Session", true),
        ("session", true),
        ("client_secret", true),
        ("user_id", false),
        ("session_id", false),
        ("session_duration_minutes", false),
        ("session_custom_claims", false),
        ("sessions", false),
    ];

    /// The generator decides which types get a redacting `Debug` by the
    /// rule the runtime redacts by: the same words, read from its text.
    #[test]
    fn the_credential_words_are_the_runtimes() {
        let list = RUNTIME
            .split_once("fn is_credential_name")
            .and_then(|(_, rest)| rest.split_once("const WORDS: &[&str] = &["))
            .and_then(|(_, rest)| rest.split_once("];"))
            .map(|(list, _)| list);
        let Some(list) = list else {
            panic!("runtime/validation.rs has no `is_credential_name` word list");
        };
        let runtime: Vec<&str> = list
            .split(',')
            .map(|w| w.trim().trim_matches('"'))
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(runtime, CREDENTIAL_WORDS);
        // The same table as the runtime's test (tests/redaction.rs).
        for (name, credential) in CREDENTIAL_NAMES {
            assert_eq!(is_credential_name(name), *credential, "{name}");
        }
    }

    #[test]
    fn a_doc_literal_holds_its_line_exactly() {
        for line in [
            " plain",
            r#" a "quoted" word"#,
            r##" ends "#here"##,
            r###" "## and "#"###,
            r" back\slash 
 not a newline",
            " unicode – ✓",
            " tab\tand nul\0",
            " carriage\rreturn",
            "",
        ] {
            let literal = doc_literal(line);
            let parsed: syn::LitStr = match syn::parse2(quote::ToTokens::into_token_stream(literal))
            {
                Ok(parsed) => parsed,
                Err(e) => panic!("{line:?}: {e}"),
            };
            assert_eq!(parsed.value(), line);
        }
    }

    fn check(description: &str, expect: &[&str]) {
        assert_eq!(doc_lines(description), expect, "{description:?}");
    }

    #[test]
    fn prose_brackets_are_not_intra_doc_links() {
        check(
            "`OR` – **[DEPRECATED]** see [the docs](https://x.example) and [ref][r]",
            &[r"`OR` – **\[DEPRECATED\]** see [the docs](https://x.example) and [ref][r]"],
        );
        check("code `a[0]` stays", &["code `a[0]` stays"]);
    }

    #[test]
    fn list_items_keep_their_continuation_lines() {
        check(
            "Steps:\n1. first line\ncontinued\n- dash item\nmore\n\nafter",
            &[
                "Steps:",
                "1. first line",
                "   continued",
                "- dash item",
                "  more",
                "",
                "after",
            ],
        );
    }
}
