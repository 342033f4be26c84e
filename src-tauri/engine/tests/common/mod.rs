//! Stand-ins for GitHub shared by the integration tests that use them
//! (`mod common;`): a smart-HTTP git server asking for a token the way
//! github.com does, and a fake GitHub REST API that records every request.
//! Each test binary uses only part of this, hence the `dead_code` allowance.

#![allow(dead_code)]

pub mod fake_github;
pub mod git_http_server;
