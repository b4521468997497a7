//! Unit tests of the parent module, kept apart to keep it short.
use super::*;

#[test]
fn long_socket_paths_fall_back_to_tcp_only() {
    let long = "x".repeat(120);
    let server = LocalServer::new(format!("/tmp/{long}"), 5555, 18).unwrap();
    assert_eq!(
        server.postgres_options(),
        "-p 5555 -c 'unix_socket_directories='"
    );
    let short = LocalServer::new("/tmp/pg", 5555, 18).unwrap();
    assert_eq!(
        short.postgres_options(),
        "-p 5555 -c 'unix_socket_directories=/tmp/pg/run'"
    );
}

#[test]
fn only_installable_majors() {
    assert!(LocalServer::new("/tmp/pg", 5555, 15).is_err());
}
