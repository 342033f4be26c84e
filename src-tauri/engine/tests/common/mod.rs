//! Stand-ins for GitHub shared by the integration tests that use them
//! (`mod common;`): a smart-HTTP git server asking for a token the way
//! github.com does, a fake GitHub REST API that records every request, and
//! a test's own entries in the real keychain.
//! Each test binary uses only part of this, hence the `dead_code` allowance.

#![allow(dead_code)]

pub mod fake_github;
pub mod git_http_server;
pub mod test_keychain;
