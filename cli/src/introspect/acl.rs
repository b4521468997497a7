//! The database, schemas, roles, and every privilege: grants from the objects' ACLs and
//! default privileges.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::Value;

use super::{Session, get};
use crate::catalog::{
    Catalog, DatabaseDef, DefaultPrivilegeDef, GrantDef, QName, RoleDef, RoutineId, SchemaDef,
};
use crate::model::{DefaultPrivilegeObject, Privilege};

const DATABASE: &str = include_str!("database.sql");
const SCHEMAS: &str = include_str!("schemas.sql");
const DEFAULT_ACL: &str = include_str!("default_acl.sql");
const GRANTS: &str = include_str!("grants.sql");
const ROLES: &str = include_str!("roles.sql");

pub(super) async fn database(session: &mut Session) -> anyhow::Result<(DatabaseDef, Vec<String>)> {
    let rows = session.rows(DATABASE, Vec::new()).await?;
    let row = rows
        .first()
        .ok_or_else(|| anyhow::anyhow!("the current database is missing from pg_database"))?;
    let database = DatabaseDef {
        name: get(row, "name")?,
        owner: Some(get(row, "owner")?),
        encoding: Some(get(row, "encoding")?),
        locale: Some(get(row, "locale")?),
    };
    Ok((database, get(row, "extensions")?))
}

pub(super) async fn schemas(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(SCHEMAS, vec![schemas.clone()]).await? {
        catalog.schemas.insert(
            get(&row, "name")?,
            SchemaDef {
                owner: Some(get(&row, "owner")?),
                comment: get(&row, "comment")?,
                ..Default::default()
            },
        );
    }
    Ok(())
}

pub(super) async fn default_privileges(
    session: &mut Session,
    schemas: &Value,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    // (schema, for_role, object kind, grantee) → privileges, with the kind's full count.
    type Key = (String, String, String, String);
    let mut groups: BTreeMap<Key, (BTreeSet<Privilege>, i64)> = BTreeMap::new();
    for row in session.rows(DEFAULT_ACL, vec![schemas.clone()]).await? {
        let key = (
            get(&row, "schema_name")?,
            get(&row, "for_role")?,
            get(&row, "object_type")?,
            get(&row, "grantee")?,
        );
        let entry = groups.entry(key).or_default();
        entry.1 = get(&row, "full_count")?;
        entry
            .0
            .insert(privilege(&get::<String>(&row, "privilege")?)?);
    }
    for ((schema, for_role, kind, grantee), (privileges, full)) in groups {
        let on = match kind.as_str() {
            "r" => DefaultPrivilegeObject::Tables,
            "S" => DefaultPrivilegeObject::Sequences,
            "f" => DefaultPrivilegeObject::Functions,
            "T" => DefaultPrivilegeObject::Types,
            // Default privileges on schemas and (PostgreSQL 18) large objects have no place
            // in the model: the inventory lists them.
            "n" | "L" => continue,
            other => anyhow::bail!(
                "default privileges in schema {schema} for {for_role}: unknown object type \
                 `{other}` (defaclobjtype)"
            ),
        };
        let Some(def) = catalog.schemas.get_mut(&schema) else {
            continue;
        };
        let for_role = (def.owner.as_deref() != Some(for_role.as_str())).then_some(for_role);
        def.default_privileges.push(DefaultPrivilegeDef {
            for_role,
            on,
            grantee,
            privileges: collapse(privileges, full),
        });
    }
    for def in catalog.schemas.values_mut() {
        def.default_privileges.sort();
    }
    Ok(())
}

/// Where a grant row belongs.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Schema(String),
    Relation(QName),
    Sequence(QName),
    Function(i64),
}

/// Grants of one object before grouping: (grantee, grantable, column) → privileges.
type Acl = BTreeMap<(String, bool, Option<String>), BTreeSet<Privilege>>;

pub(super) async fn grants(
    session: &mut Session,
    schemas: &Value,
    functions: &BTreeMap<i64, RoutineId>,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    let mut acls: BTreeMap<Target, (Acl, i64, i64)> = BTreeMap::new();
    for row in session.rows(GRANTS, vec![schemas.clone()]).await? {
        let kind: String = get(&row, "kind")?;
        let schema: String = get(&row, "schema_name")?;
        let name: String = get(&row, "name")?;
        let column: Option<String> = get(&row, "column_name")?;
        let target = match kind.as_str() {
            "schema" => Target::Schema(schema),
            "function" => Target::Function(get(&row, "object_key")?),
            "relation" | "column" => Target::Relation(QName::new(schema, name)),
            "sequence" => Target::Sequence(QName::new(schema, name)),
            other => anyhow::bail!("grant on {schema}.{name}: unknown object kind `{other}`"),
        };
        let full: i64 = get(&row, "full_count")?;
        let entry = acls.entry(target).or_default();
        // Column privileges have their own (smaller) complete set.
        if column.is_some() {
            entry.2 = full;
        } else {
            entry.1 = full;
        }
        let p = privilege(&get::<String>(&row, "privilege")?)?;
        entry
            .0
            .entry((get(&row, "grantee")?, get(&row, "grantable")?, column))
            .or_default()
            .insert(p);
    }
    for (target, (acl, full, column_full)) in acls {
        let list = group(acl, full, column_full);
        match target {
            Target::Schema(name) => {
                if let Some(def) = catalog.schemas.get_mut(&name) {
                    def.grants = list;
                }
            }
            Target::Relation(q) => {
                if let Some(def) = catalog.tables.get_mut(&q) {
                    def.grants = list;
                } else if let Some(def) = catalog.views.get_mut(&q) {
                    def.grants = list;
                }
            }
            Target::Sequence(q) => {
                if let Some(def) = catalog.sequences.get_mut(&q) {
                    def.grants = list;
                }
            }
            Target::Function(oid) => {
                if let Some(def) = functions
                    .get(&oid)
                    .and_then(|q| catalog.functions.get_mut(q))
                {
                    def.grants = list;
                }
            }
        }
    }
    Ok(())
}

/// One `GrantDef` per grantee and grant option for the object itself, and one per set of
/// columns sharing the same privileges.
fn group(acl: Acl, full: i64, column_full: i64) -> Vec<GrantDef> {
    let mut out = Vec::new();
    let mut by_columns: BTreeMap<(String, bool, Vec<Privilege>), Vec<String>> = BTreeMap::new();
    for ((grantee, grantable, column), privileges) in acl {
        match column {
            None => out.push(GrantDef {
                grantee,
                privileges: collapse(privileges, full),
                columns: Vec::new(),
                with_grant_option: grantable,
            }),
            Some(column) => by_columns
                .entry((grantee, grantable, collapse(privileges, column_full)))
                .or_default()
                .push(column),
        }
    }
    for ((grantee, grantable, privileges), columns) in by_columns {
        out.push(GrantDef {
            grantee,
            privileges,
            columns,
            with_grant_option: grantable,
        });
    }
    out.sort();
    out
}

/// A complete set reads as ALL, as the model writes it; a kind with a single privilege
/// (functions, types) keeps its name.
fn collapse(privileges: BTreeSet<Privilege>, full: i64) -> Vec<Privilege> {
    if full > 1 && i64::try_from(privileges.len()).is_ok_and(|n| n == full) {
        vec![Privilege::All]
    } else {
        privileges.into_iter().collect()
    }
}

fn privilege(name: &str) -> anyhow::Result<Privilege> {
    Ok(match name {
        "SELECT" => Privilege::Select,
        "INSERT" => Privilege::Insert,
        "UPDATE" => Privilege::Update,
        "DELETE" => Privilege::Delete,
        "TRUNCATE" => Privilege::Truncate,
        "REFERENCES" => Privilege::References,
        "TRIGGER" => Privilege::Trigger,
        "USAGE" => Privilege::Usage,
        "CREATE" => Privilege::Create,
        "EXECUTE" => Privilege::Execute,
        "MAINTAIN" => Privilege::Maintain,
        other => anyhow::bail!("unknown privilege `{other}` in an ACL"),
    })
}

pub(super) async fn roles(
    session: &mut Session,
    names: Vec<String>,
    catalog: &mut Catalog,
) -> anyhow::Result<()> {
    for row in session.rows(ROLES, vec![Value::from(names)]).await? {
        catalog.roles.insert(
            get(&row, "name")?,
            RoleDef {
                login: get(&row, "login")?,
                inherit: get(&row, "inherit")?,
                createdb: get(&row, "createdb")?,
                createrole: get(&row, "createrole")?,
                bypassrls: get(&row, "bypassrls")?,
                connection_limit: get(&row, "connection_limit")?,
                member_of: get(&row, "member_of")?,
                password_env: None,
                comment: get(&row, "comment")?,
            },
        );
    }
    Ok(())
}

/// Every role of the cluster but the predefined `pg_*` ones.
pub(super) async fn cluster_roles(session: &mut Session) -> anyhow::Result<Vec<String>> {
    let sql = "SELECT rolname::text AS name FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1";
    session
        .rows(sql, Vec::new())
        .await?
        .iter()
        .map(|row| get(row, "name"))
        .collect()
}

/// Roles no plan drops: the bootstrap superuser (the role that ran initdb, OID 10) and
/// the roles this session runs as.
pub(super) async fn protected_roles(
    session: &mut Session,
) -> anyhow::Result<std::collections::BTreeSet<String>> {
    let sql = "SELECT rolname::text AS name FROM pg_roles WHERE oid = 10 \
               UNION SELECT current_user::text UNION SELECT session_user::text";
    session
        .rows(sql, Vec::new())
        .await?
        .iter()
        .map(|row| get(row, "name"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_privilege_is_an_error_naming_it() {
        assert_eq!(privilege("MAINTAIN").ok(), Some(Privilege::Maintain));
        let err = privilege("SET").map(|_| ()).unwrap_err().to_string();
        assert_eq!(err, "unknown privilege `SET` in an ACL");
    }
}
