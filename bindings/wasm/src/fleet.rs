//! The fleet exports (the `fleet` feature, on by default): secret resolution
//! and the store names it reads, the published Service, the HTTP helpers
//! (bearer, WebSocket and cookie tokens, Challenge) and checkConsistency.
//! The tokens-only module (`--no-default-features`, js/wasm/tokens.mjs) is
//! built without them: a browser front end signs, verifies and decodes only,
//! and the module it downloads stays within issue 21's size budget
//! (docs/decisions.md, "The WASM tokens module").

use jwt_accord::{host, Key};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::{error, scrubbed, type_error, JsResult, KeyList, Signer, Verifier};

/// Name/value pairs from `[name, value, name, value, ...]` (the wrapper
/// checked they are strings; a later name wins, as in the core's `Lookup`).
/// Each value is moved, not copied, into a buffer wiped when dropped, so no
/// secret stays readable in linear memory after the call.
fn pairs(flat: Vec<String>) -> jwt_accord::Variables {
    let mut items = flat.into_iter();
    let mut out = Vec::with_capacity(items.len() / 2);
    while let (Some(name), Some(value)) = (items.next(), items.next()) {
        out.push((name, Zeroizing::new(value)));
    }
    out
}

/// A successful resolution. The secret leaves only through `exposeSecret`.
#[wasm_bindgen]
pub struct Resolution(jwt_accord::Resolution);

#[wasm_bindgen]
impl Resolution {
    /// The JSON form (`jwt-accord/resolution/v1`), exactly as the core writes it.
    #[wasm_bindgen(js_name = toJsonText)]
    pub fn to_json_text(&self) -> String {
        self.0.to_json()
    }

    /// The one-line summary for start-up logs.
    pub fn summary(&self) -> String {
        self.0.summary()
    }

    /// The secret as text (a resolved secret is always text), made into a
    /// JavaScript string straight from the core's wiped buffer: a returned
    /// `String` would be a copy that the glue frees unwiped.
    #[wasm_bindgen(js_name = exposeSecret)]
    pub fn expose_secret(&self) -> JsValue {
        JsValue::from_str(self.0.expose_secret_text())
    }
}

/// Reads no files: without the caller's `readFile` this build has no file
/// system to read, and says so (`secret_file_unreadable`, docs/spec.md §15).
struct NoReadFile;

impl jwt_accord::Files for NoReadFile {
    fn read(&self, _path: &str) -> jwt_accord::FileRead {
        jwt_accord::FileRead::Failed("this build reads no files: pass readFile".to_owned())
    }
}

/// Resolves the secret (docs/spec.md §3, §14, §15) from flat `[name, value,
/// ...]` variables, the store (`store`: flat pairs; `directory`: a directory
/// store; neither: none, so `CREDENTIALS_DIRECTORY` applies), an optional
/// explicit environment and `files`, as read up front by the caller's
/// `readFile` (`host::file_reads`; undefined: no file can be read).
#[wasm_bindgen]
pub fn resolve(
    variables: Vec<String>,
    store: Option<Vec<String>>,
    directory: Option<String>,
    environment: Option<String>,
    files: Option<Vec<String>>,
) -> JsResult<Resolution> {
    scrubbed(|| {
        host::resolve_flat(
            variables,
            store,
            directory.as_deref(),
            environment.as_deref(),
            files,
            &NoReadFile,
        )
        .map(Resolution)
        .map_err(|wire| JsError::new(&wire))
    })
}

/// The paths `resolve` will read for the same arguments (`paths_read`), which
/// the wrapper reads with the caller's `readFile` before calling `resolve`.
#[wasm_bindgen(js_name = filePaths)]
pub fn file_paths(
    variables: Vec<String>,
    store: Option<Vec<String>>,
    directory: Option<String>,
    environment: Option<String>,
) -> Vec<String> {
    host::paths_read_flat(
        variables,
        store,
        directory.as_deref(),
        environment.as_deref(),
    )
}

/// The variable names to read from `env`, and only those (`variables_read`):
/// call with `environment_variable` undefined; if the list holds
/// `ENVIRONMENT`, read it and call again with its value.
#[wasm_bindgen(js_name = variableNames)]
pub fn variable_names(
    environment: Option<String>,
    environment_variable: Option<String>,
) -> Vec<String> {
    jwt_accord::variables_read(environment.as_deref(), environment_variable.as_deref())
}

/// The store-entry names to fetch for the environment that `variables` and
/// `environment` select, in resolution order: each source's entry, then its
/// `-next` and `-previous` (`store_entries_read`).
#[wasm_bindgen(js_name = storeEntryNames)]
pub fn store_entry_names(
    variables: Vec<String>,
    environment: Option<String>,
) -> JsResult<Vec<String>> {
    jwt_accord::select_environment(environment.as_deref(), &pairs(variables))
        .map(|(environment, _)| jwt_accord::store_entries_read(&environment))
        .map_err(error)
}

#[wasm_bindgen]
impl KeyList {
    /// Adds a resolution's keys: current, next, previous (its environment's
    /// policy already applied).
    #[wasm_bindgen(js_name = addResolution)]
    pub fn add_resolution(&mut self, resolution: &Resolution) {
        self.0
            .extend(Key::from_resolution(&resolution.0).into_keys());
    }
}

/// A running service as it publishes itself (docs/spec.md §16): its report
/// and its Prometheus metrics, counting the verifiers and signers it watches.
#[wasm_bindgen]
pub struct Service(jwt_accord::Service);

#[wasm_bindgen]
impl Service {
    /// A service named `name`, with its `role` (`issuer`, `verifier`, or
    /// undefined: both) and its resolution (`host::service`); a refused name
    /// or role is an argument error with the core's message.
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, role: Option<String>, resolution: &Resolution) -> JsResult<Service> {
        host::service(name, role.as_deref(), &resolution.0)
            .map(Service)
            .map_err(|m| type_error(&m))
    }

    /// Counts `verifier`'s verifications (it and the service share the counts).
    #[wasm_bindgen(js_name = watchVerifier)]
    pub fn watch_verifier(&mut self, verifier: &Verifier) {
        self.0.watch_verifier(&verifier.0);
    }

    /// Counts `signer`'s signatures (it and the service share the count).
    #[wasm_bindgen(js_name = watchSigner)]
    pub fn watch_signer(&mut self, signer: &Signer) {
        self.0.watch_signer(&signer.0);
    }

    /// The published report as compact JSON text (`Service::report_json`).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self) -> String {
        self.0.report_json()
    }

    /// The Prometheus text exposition (`Service::metrics_text`).
    #[wasm_bindgen(js_name = metricsText)]
    pub fn metrics_text(&self) -> String {
        self.0.metrics_text()
    }

    /// The metric families as one JSON text, for prom-client (`host::metric_families_json`).
    #[wasm_bindgen(js_name = metricFamiliesJson)]
    pub fn metric_families_json(&self) -> String {
        host::metric_families_json(&self.0)
    }
}

/// Header values as the core takes them (one per header line).
fn strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// The bearer token of a request's `Authorization` header values
/// (`http::bearer_token`): `missing_token` or `invalid_request` otherwise.
#[wasm_bindgen(js_name = bearerToken)]
pub fn bearer_token(values: Vec<String>) -> JsResult<String> {
    jwt_accord::http::bearer_token(&strs(&values))
        .map(str::to_owned)
        .map_err(error)
}

/// The token of a WebSocket handshake's `Sec-WebSocket-Protocol` values
/// (`http::websocket_token`).
#[wasm_bindgen(js_name = websocketToken)]
pub fn websocket_token(values: Vec<String>) -> JsResult<String> {
    jwt_accord::http::websocket_token(&strs(&values))
        .map(str::to_owned)
        .map_err(error)
}

/// The cookie `name` of a request's `Cookie` header values
/// (`http::cookie_token`): the token, or null (as napi returns `None`) when
/// the cookie is absent.
#[wasm_bindgen(js_name = cookieToken)]
pub fn cookie_token(values: Vec<String>, name: &str) -> JsResult<JsValue> {
    jwt_accord::http::cookie_token(&strs(&values), name)
        .map(|found| found.map_or(JsValue::NULL, JsValue::from_str))
        .map_err(error)
}

/// How a service answers refused requests (docs/spec.md §17): its realm and
/// whether messages go into bodies.
#[wasm_bindgen]
pub struct Challenge(jwt_accord::http::Challenge);

#[wasm_bindgen]
impl Challenge {
    /// A challenge for `realm`; `expose_messages` null: by `environment`
    /// (`host::challenge`). A refused realm or environment is an argument
    /// error with the core's message.
    #[wasm_bindgen(constructor)]
    pub fn new(
        realm: &str,
        expose_messages: Option<bool>,
        environment: &str,
    ) -> JsResult<Challenge> {
        host::challenge(realm, expose_messages, environment)
            .map(Challenge)
            .map_err(|m| type_error(&m))
    }

    /// The refusal of an error given by its code and message, as one JSON
    /// text (`host::refusal_json`).
    #[wasm_bindgen(js_name = refusalJson)]
    pub fn refusal_json(&self, code: &str, message: &str) -> String {
        host::refusal_json(&self.0, code, message)
    }
}

/// `check_consistency` over reports given as a JSON array; the result as JSON text.
#[wasm_bindgen(js_name = checkConsistency)]
pub fn check_consistency(reports_json: &str) -> JsResult<String> {
    jwt_accord::check_consistency_json(reports_json)
        .map(|result| result.to_json())
        .map_err(|reason| type_error(&reason))
}
