//! The one error a caller of the engine sees: a typed code to branch on, a
//! message a person can act on, and the form fields it is about.

use serde::Serialize;

/// What kind of failure this is; the UI and the CLI branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input is wrong; `fields` says which field and why.
    Validation,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// Another record already has this identity.
    Conflict,
    /// The database cannot be opened, read or written.
    Database,
    /// The Docker engine is missing or failed.
    Docker,
    /// A git operation failed (clone, fetch, commit, push).
    Git,
    /// The OS keychain is missing or refused.
    Keychain,
    /// A file or folder could not be read or written.
    Io,
    /// A bug: something the engine did not expect.
    Internal,
    /// The GitHub API failed (unreachable, rate limited, server error, or it
    /// refused a request); trying again later may help.
    Github,
    /// A token or key was refused by the service it is for (GitHub answered
    /// 401, or git's HTTPS push was rejected): retrying cannot help, a person
    /// must replace it. See [`EngineError::needs_person`].
    CredentialRejected,
}

/// One problem with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    /// The field's name as the form and the API spell it (`repo_url`).
    pub field: String,
    /// Why the value is refused, in words a person can act on.
    pub message: String,
}

/// The error every engine call returns.
#[derive(Debug, Clone, thiserror::Error, Serialize, specta::Type)]
#[error("{message}")]
pub struct EngineError {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field problems of a rejected form (empty for other errors).
    pub fields: Vec<FieldError>,
}

impl EngineError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: Vec::new() }
    }

    pub fn validation(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields need attention", many.len()),
        };
        Self { code: ErrorCode::Validation, message, fields }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, format!("{} was not found", what.into()))
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    /// Whether only a person can get past this error (a rejected token, a
    /// missing or locked keychain): the run engine escalates such errors at
    /// once instead of spending attempts or retrying.
    pub fn needs_person(&self) -> bool {
        matches!(self.code, ErrorCode::CredentialRejected | ErrorCode::Keychain)
    }
}

pub type EngineResult<T> = Result<T, EngineError>;
