//! Finding the objects a piece of SQL text names, and ordering objects so that each comes
//! after what it uses.
//!
//! The scan is lexical: identifiers outside string literals, dollar-quoted bodies and
//! comments, with `schema.name` pairs resolved exactly and bare names resolved in the
//! object's own schema. It can over-approximate (a column that shares a table's name),
//! which at worst orders two independent objects needlessly; a cycle that only exists
//! because of such a false edge is broken in favour of the object kinds' natural order.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::catalog::{Catalog, QName, RoutineId};

/// A lexical reference: an optional schema and a name, as written (unquoted, folded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub schema: Option<String>,
    pub name: String,
}

/// A token of the lexical scan.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// An identifier or keyword: unquoted ones folded to lower case.
    Ident(String),
    Dot,
    /// Any other character outside literals and comments.
    Punct(char),
    /// A literal, a comment or a dollar-quoted body's edge: separates references.
    Break,
}

fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            tokens.push(Token::Break);
        } else if c == '\'' {
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            tokens.push(Token::Break);
        } else if c == '"' {
            let mut ident = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        ident.push('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                ident.push(chars[i]);
                i += 1;
            }
            i += 1;
            tokens.push(Token::Ident(ident));
        } else if c == '$'
            && let Some(end) = dollar_tag_end(&chars, i)
        {
            let tag: String = chars[i..=end].iter().collect();
            let body_start = end + 1;
            let rest: String = chars[body_start..].iter().collect();
            // A dollar-quoted body is text that another parser (plpgsql) reads; scan it too,
            // since a function body names the tables it uses.
            match rest.find(&tag) {
                Some(close) => {
                    tokens.push(Token::Break);
                    tokens.extend(self::tokens(&rest[..close]));
                    i = body_start + rest[..close].chars().count() + tag.chars().count();
                }
                None => i = chars.len(),
            }
            tokens.push(Token::Break);
        } else if c.is_alphabetic() || c == '_' {
            let mut ident = String::new();
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                ident.push(chars[i].to_ascii_lowercase());
                i += 1;
            }
            tokens.push(Token::Ident(ident));
        } else if c == '.' {
            tokens.push(Token::Dot);
            i += 1;
        } else {
            if !c.is_whitespace() {
                tokens.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    tokens
}

/// Identifiers named in `text`, skipping literals, quoted bodies and comments.
pub fn references(text: &str) -> Vec<Reference> {
    let tokens = tokens(text);
    let mut out = Vec::new();
    let mut j = 0;
    while j < tokens.len() {
        match (&tokens[j], tokens.get(j + 1), tokens.get(j + 2)) {
            (Token::Ident(schema), Some(Token::Dot), Some(Token::Ident(name)))
                if !schema.is_empty() && !name.is_empty() =>
            {
                out.push(Reference {
                    schema: Some(schema.clone()),
                    name: name.clone(),
                });
                j += 3;
            }
            (Token::Ident(name), _, _) if !name.is_empty() => {
                out.push(Reference {
                    schema: None,
                    name: name.clone(),
                });
                j += 1;
            }
            _ => j += 1,
        }
    }
    out
}

/// Whether a query may read the column `column` of the tables it names: when it names the
/// column (bare, or as `alias.column`), or selects `*` or `alias.*`, which PostgreSQL
/// expands into every column when the view is created. Lexical, so it over-approximates
/// (a name shared with another table's column counts), never the reverse; a multiplication
/// right after `)` counts as a star too.
pub fn may_use_column(query: &str, column: &str) -> bool {
    let tokens = tokens(query);
    tokens.iter().enumerate().any(|(at, token)| match token {
        Token::Ident(name) => name == column,
        Token::Punct('*') => match at.checked_sub(1).map(|before| &tokens[before]) {
            None | Some(Token::Dot | Token::Punct(',' | ')')) => true,
            Some(Token::Ident(word)) => matches!(word.as_str(), "select" | "distinct" | "all"),
            Some(_) => false,
        },
        _ => false,
    })
}

fn dollar_tag_end(chars: &[char], start: usize) -> Option<usize> {
    let mut k = start + 1;
    while k < chars.len() {
        let c = chars[k];
        if c == '$' {
            return Some(k);
        }
        if !(c.is_alphanumeric() || c == '_') || (k == start + 1 && c.is_ascii_digit()) {
            return None;
        }
        k += 1;
    }
    None
}

/// An object that takes part in ordering.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// Domains first: their checks may call functions, but tables and function
    /// signatures use them far more often.
    Domain(QName),
    /// Composite types: their attributes may have domains; tables and signatures use them.
    Type(QName),
    /// Functions next: with `check_function_bodies` off they need only their signature.
    Function(RoutineId),
    Table(QName),
    View(QName),
}

impl Node {
    pub fn name(&self) -> &QName {
        match self {
            Node::Domain(q) | Node::Type(q) | Node::Table(q) | Node::View(q) => q,
            Node::Function(id) => &id.name,
        }
    }
}

/// Resolves references made from an object in `schema` to catalog nodes.
fn resolve(catalog: &Catalog, schema: &str, refs: &[Reference]) -> BTreeSet<Node> {
    let mut out = BTreeSet::new();
    for r in refs {
        let q = QName::new(
            r.schema.clone().unwrap_or_else(|| schema.to_string()),
            r.name.clone(),
        );
        if catalog.tables.contains_key(&q) {
            out.insert(Node::Table(q));
        } else if catalog.views.contains_key(&q) {
            out.insert(Node::View(q));
        } else if catalog.has_routine_named(&q) {
            // The text names a routine, not its overload: every overload of the name.
            out.extend(
                catalog
                    .routines_named(&q)
                    .map(|(id, _)| Node::Function(id.clone())),
            );
        } else if catalog.domains.contains_key(&q) {
            out.insert(Node::Domain(q));
        } else if catalog.composite_types.contains_key(&q) {
            out.insert(Node::Type(q));
        }
    }
    out
}

/// What each node needs created before it.
pub fn dependencies(catalog: &Catalog) -> BTreeMap<Node, BTreeSet<Node>> {
    let mut deps = BTreeMap::new();
    for (q, d) in &catalog.domains {
        let mut found = resolve(catalog, &q.schema, &references(&d.referencing_text()));
        found.remove(&Node::Domain(q.clone()));
        deps.insert(Node::Domain(q.clone()), found);
    }
    for (q, t) in &catalog.composite_types {
        let mut found = resolve(catalog, &q.schema, &references(&t.type_text()));
        found.remove(&Node::Type(q.clone()));
        deps.insert(Node::Type(q.clone()), found);
    }
    for (id, f) in &catalog.functions {
        // Only the signature must resolve at creation; the body is checked at call time.
        let mut d = resolve(catalog, &id.name.schema, &references(&f.signature_text()));
        for dep in f.named_dependencies() {
            d.extend(resolve(catalog, &dep.schema, &[plain(dep)]));
        }
        d.remove(&Node::Function(id.clone()));
        deps.insert(Node::Function(id.clone()), d);
    }
    for (q, t) in &catalog.tables {
        let mut text = String::new();
        for c in &t.columns {
            for e in [&c.default, &c.generated].into_iter().flatten() {
                text.push_str(e);
                text.push(' ');
            }
        }
        for c in &t.checks {
            text.push_str(&c.expression);
            text.push(' ');
        }
        let mut d: BTreeSet<Node> = resolve(catalog, &q.schema, &references(&text))
            .into_iter()
            .filter(|n| matches!(n, Node::Function(_)))
            .collect();
        d.extend(
            resolve(catalog, &q.schema, &references(&t.column_type_text()))
                .into_iter()
                .filter(|n| matches!(n, Node::Domain(_) | Node::Type(_))),
        );
        d.remove(&Node::Table(q.clone()));
        deps.insert(Node::Table(q.clone()), d);
    }
    for (q, v) in &catalog.views {
        let mut d = resolve(catalog, &q.schema, &references(&v.query));
        for dep in &v.declared_deps {
            d.extend(resolve(catalog, &dep.schema, &[plain(dep)]));
        }
        d.remove(&Node::View(q.clone()));
        deps.insert(Node::View(q.clone()), d);
    }
    deps
}

fn plain(q: &QName) -> Reference {
    Reference {
        schema: Some(q.schema.clone()),
        name: q.name.clone(),
    }
}

/// Kahn's algorithm; among ready nodes, the natural order (functions, tables, views, then
/// by name) keeps the output stable. Nodes left in a cycle follow in natural order.
pub fn order(deps: &BTreeMap<Node, BTreeSet<Node>>) -> Vec<Node> {
    let mut remaining: BTreeMap<&Node, BTreeSet<&Node>> = deps
        .iter()
        .map(|(n, d)| (n, d.iter().filter(|x| deps.contains_key(*x)).collect()))
        .collect();
    let mut done: HashSet<&Node> = HashSet::new();
    let mut out = Vec::new();
    while !remaining.is_empty() {
        let ready = remaining
            .iter()
            .find(|(_, d)| d.iter().all(|x| done.contains(x)))
            .map(|(n, _)| *n);
        let next = match ready {
            Some(n) => n,
            None => {
                let stuck = remaining.keys().next().copied();
                let Some(n) = stuck else { break };
                tracing::warn!(
                    "dependency cycle involving {}; using declaration order",
                    n.name()
                );
                n
            }
        };
        remaining.remove(next);
        done.insert(next);
        out.push(next.clone());
    }
    out
}

/// `keys` with each one after its parents, in rounds: a round takes, in the keys' order,
/// every key whose parents among `keys` (itself aside) are all placed. When a cycle leaves
/// none ready, the first key left is taken; deferrable keys are the way out of a real cycle.
pub fn parents_first<K: Ord + Clone>(keys: &[K], parents: impl Fn(&K) -> Vec<K>) -> Vec<K> {
    let all: BTreeSet<&K> = keys.iter().collect();
    let mut done: BTreeSet<K> = BTreeSet::new();
    let mut out = Vec::with_capacity(keys.len());
    while done.len() < all.len() {
        let ready: Vec<&K> = keys
            .iter()
            .filter(|k| !done.contains(*k))
            .filter(|k| {
                parents(k)
                    .iter()
                    .all(|p| p == *k || !all.contains(p) || done.contains(p))
            })
            .collect();
        let batch = if ready.is_empty() {
            keys.iter().filter(|k| !done.contains(*k)).take(1).collect()
        } else {
            ready
        };
        for k in batch {
            done.insert(k.clone());
            out.push(k.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_may_use_the_columns_it_names_or_stars() {
        let query = "SELECT d.developer_id, d.name AS developer_name, count(*) AS n, \
                     d.x * 2 FROM steam.developers d -- website in a comment\n\
                     WHERE d.note <> 'website' GROUP BY 1, 2";
        assert!(may_use_column(query, "developer_id"));
        assert!(may_use_column(query, "note"));
        // Not named outside comments and literals; count(*) and a product are no star.
        assert!(!may_use_column(query, "website"));
        for star in [
            "SELECT * FROM t",
            "SELECT t.* FROM t",
            "SELECT a, * FROM t",
            "SELECT DISTINCT ON (a) * FROM t",
            "SELECT 1 FROM t UNION ALL SELECT DISTINCT * FROM u",
        ] {
            assert!(may_use_column(star, "website"), "{star}");
        }
        assert!(may_use_column("SELECT \"Website\" FROM t", "Website"));
        assert!(!may_use_column("SELECT \"Website\" FROM t", "website"));
    }

    #[test]
    fn parents_first_orders_rounds_and_breaks_cycles() {
        // child → parent; x ↔ y is a cycle; self-references do not hold a key back.
        let edges = |k: &&str| -> Vec<&str> {
            match *k {
                "child" => vec!["parent", "outside"],
                "parent" => vec!["parent"],
                "x" => vec!["y"],
                "y" => vec!["x"],
                _ => vec![],
            }
        };
        let keys = ["child", "x", "parent", "y", "lone"];
        assert_eq!(
            parents_first(&keys, edges),
            ["parent", "lone", "child", "x", "y"]
        );
    }

    #[test]
    fn scans_past_literals_and_comments() {
        let refs = references(
            "SELECT a.x FROM ims.issues i -- steam.nope\n JOIN \"Users\" u ON 'steam.no' = u.n /* x.y */",
        );
        let names: Vec<String> = refs
            .iter()
            .map(|r| match &r.schema {
                Some(s) => format!("{s}.{}", r.name),
                None => r.name.clone(),
            })
            .collect();
        assert!(names.contains(&"ims.issues".to_string()));
        assert!(names.contains(&"Users".to_string()));
        assert!(
            !names
                .iter()
                .any(|n| n.contains("nope") || n == "steam.no" || n == "x.y")
        );
    }

    #[test]
    fn scans_dollar_quoted_bodies() {
        let refs = references("AS $body$ BEGIN UPDATE ims.users SET x = 1; END $body$");
        assert!(
            refs.iter()
                .any(|r| r.schema.as_deref() == Some("ims") && r.name == "users")
        );
    }
}
