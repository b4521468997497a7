//! The SQL text of single statements, shared by the create script and the diff.

use schemactl_core::catalog::{
    CheckDef, ColumnDef, ExclusionDef, ForeignKeyDef, FunctionDef, GrantDef, IndexDef, IndexKeyDef,
    KeyDef, KeyIndex, PolicyDef, QName, RoutineKind, TableDef, TriggerDef, UniqueDef, ViewDef,
};
use schemactl_core::sql::{dollar_quote, ident, ident_list, literal};
use schemactl_core::statement::{ObjectKey, ObjectKind, Part};
use schemactl_model::types::SerialKind;
use schemactl_model::{
    FkAction, Identity, IndexMethod, NullsOrder, SequenceOptions, SortOrder, TriggerEvent,
    TriggerLevel, TriggerTiming,
};

/// `CREATE [OR REPLACE] FUNCTION …` with its attributes and dollar-quoted body.
pub fn function_sql(q: &QName, f: &FunctionDef, or_replace: bool) -> String {
    let args: Vec<String> = f
        .args
        .iter()
        .map(|a| {
            let mut s = String::new();
            if let Some(mode) = &a.mode {
                s.push_str(mode);
                s.push(' ');
            }
            s.push_str(&ident(&a.name));
            s.push(' ');
            s.push_str(&a.ty);
            if let Some(d) = &a.default {
                s.push_str(" DEFAULT ");
                s.push_str(d);
            }
            s
        })
        .collect();
    let or_replace = if or_replace { "OR REPLACE " } else { "" };
    let mut sql = match f.kind {
        RoutineKind::Aggregate => return aggregate_sql(q, f),
        RoutineKind::Function => format!(
            "CREATE {or_replace}FUNCTION {}({})\nRETURNS {}\nLANGUAGE {}\n{}",
            q.sql(),
            args.join(", "),
            f.returns,
            ident(&f.language),
            f.volatility.sql()
        ),
        // PostgreSQL refuses a result, volatility, STRICT and PARALLEL on a procedure.
        RoutineKind::Procedure => format!(
            "CREATE {or_replace}PROCEDURE {}({})\nLANGUAGE {}",
            q.sql(),
            args.join(", "),
            ident(&f.language)
        ),
    };
    if f.strict {
        sql.push_str(" STRICT");
    }
    if f.security_definer {
        sql.push_str(" SECURITY DEFINER");
    }
    if let Some(p) = &f.parallel {
        sql.push_str(&format!(" PARALLEL {p}"));
    }
    for (k, v) in &f.set {
        sql.push_str(&format!("\nSET {} TO {v}", ident(k)));
    }
    sql.push_str(&format!("\nAS {}", dollar_quote(&f.body)));
    sql
}

/// `FUNCTION schema.name(argtypes)` (or `PROCEDURE …`, `AGGREGATE …(*)`), the target of
/// COMMENT and DROP.
pub fn function_target(q: &QName, f: &FunctionDef) -> String {
    format!("{} {}{}", f.kind.sql(), q.sql(), f.drop_signature())
}

/// The target of GRANT and REVOKE, which name an aggregate as a FUNCTION.
pub fn function_grant_target(q: &QName, f: &FunctionDef) -> String {
    format!("{} {}{}", f.kind.grant_sql(), q.sql(), f.signature())
}

/// `CREATE AGGREGATE schema.name(argtypes) (SFUNC = …, STYPE = …, …)`.
fn aggregate_sql(q: &QName, f: &FunctionDef) -> String {
    let Some(a) = &f.aggregate else {
        return format!("CREATE AGGREGATE {}{} ()", q.sql(), f.drop_signature());
    };
    let mut options = vec![
        format!("SFUNC = {}", a.state_function.sql()),
        format!("STYPE = {}", a.state_type),
    ];
    let functions = [
        ("FINALFUNC", &a.final_function),
        ("COMBINEFUNC", &a.combine_function),
        ("SERIALFUNC", &a.serial_function),
        ("DESERIALFUNC", &a.deserial_function),
    ];
    for (key, function) in functions {
        if let Some(function) = function {
            options.push(format!("{key} = {}", function.sql()));
        }
        if key == "FINALFUNC" && a.final_function_extra {
            options.push("FINALFUNC_EXTRA".to_string());
        }
    }
    if let Some(initial) = &a.initial_condition {
        options.push(format!("INITCOND = {}", literal(initial)));
    }
    if let Some(parallel) = &f.parallel {
        options.push(format!("PARALLEL = {parallel}"));
    }
    format!(
        "CREATE AGGREGATE {}{} (\n    {}\n)",
        q.sql(),
        f.drop_signature(),
        options.join(",\n    ")
    )
}

/// `CREATE TABLE` with columns and the constraints that live inline (PK, unique, check).
pub fn table_sql(q: &QName, t: &TableDef) -> String {
    table_sql_with_parts(q, t).0
}

/// [`table_sql`] and where each column and inline constraint sits in it, so that a
/// server error inside one of them names it.
pub fn table_sql_with_parts(q: &QName, t: &TableDef) -> (String, Vec<Part>) {
    let mut items: Vec<(String, ObjectKey)> = t
        .columns
        .iter()
        .map(|c| {
            let key = ObjectKey::on_table(ObjectKind::Column, q, &c.name);
            (column_sql(c), key)
        })
        .collect();
    let constraint = |name: &str| ObjectKey::on_table(ObjectKind::Constraint, q, name);
    if let Some(pk) = &t.primary_key {
        items.push((primary_key_clause(pk), constraint(&pk.name)));
    }
    items.extend(
        t.uniques
            .iter()
            .map(|u| (unique_clause(u), constraint(&u.name))),
    );
    items.extend(
        t.checks
            .iter()
            .map(|c| (check_clause(c), constraint(&c.name))),
    );
    items.extend(
        t.exclusions
            .iter()
            .map(|x| (exclusion_clause(x), constraint(&x.name))),
    );
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let mut sql = format!("CREATE {unlogged}TABLE {} (\n    ", q.sql());
    let mut parts = Vec::with_capacity(items.len());
    for (i, (text, object)) in items.into_iter().enumerate() {
        if i > 0 {
            sql.push_str(",\n    ");
        }
        let start = sql.len();
        sql.push_str(&text);
        parts.push(Part {
            start,
            end: sql.len(),
            object,
        });
    }
    sql.push_str("\n)");
    if let Some(p) = &t.partition_by {
        sql.push_str(&format!(
            " PARTITION BY {} ({})",
            p.strategy,
            ident_list(&p.columns)
        ));
    }
    if !t.with.is_empty() {
        sql.push_str(&format!(" WITH ({})", storage_parameters(&t.with)));
    }
    (sql, parts)
}

pub fn column_sql(c: &ColumnDef) -> String {
    let ty = match c.serial {
        Some(SerialKind::Small) => "smallserial".to_string(),
        Some(SerialKind::Regular) => "serial".to_string(),
        Some(SerialKind::Big) => "bigserial".to_string(),
        None => c.ty.clone(),
    };
    let mut s = format!("{} {ty}", ident(&c.name));
    if let Some(collation) = &c.collation {
        s.push_str(&collate(collation));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    match c.identity {
        Some(Identity::Always) => s.push_str(" GENERATED ALWAYS AS IDENTITY"),
        Some(Identity::ByDefault) => s.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
        None => {}
    }
    s.push_str(&identity_clause(c));
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    s
}

/// ` (INCREMENT BY … NO CYCLE)` after `AS IDENTITY` when the column's sequence has
/// options of its own, or nothing.
pub fn identity_clause(c: &ColumnDef) -> String {
    c.identity_options
        .as_ref()
        .filter(|_| c.identity.is_some())
        .map(|o| format!(" ({})", sequence_option_list(o, "")))
        .unwrap_or_default()
}

/// Every option of a sequence but its type, each after `prefix` (`SET ` when altering an
/// identity column). All are spelled out: the catalog holds each one explicitly.
pub fn sequence_option_list(s: &SequenceOptions, prefix: &str) -> String {
    [
        format!("INCREMENT BY {}", s.increment),
        format!("MINVALUE {}", s.min_value),
        format!("MAXVALUE {}", s.max_value),
        format!("START WITH {}", s.start),
        format!("CACHE {}", s.cache),
        (if s.cycle { "CYCLE" } else { "NO CYCLE" }).to_string(),
    ]
    .iter()
    .map(|o| format!("{prefix}{o}"))
    .collect::<Vec<_>>()
    .join(" ")
}

/// `CONSTRAINT name PRIMARY KEY (…) INCLUDE (…) WITH (…) DEFERRABLE`.
pub fn primary_key_clause(pk: &KeyDef) -> String {
    format!(
        "CONSTRAINT {} PRIMARY KEY ({}){}{}",
        ident(&pk.name),
        ident_list(&pk.columns),
        key_index_sql(&pk.index),
        pk.deferral.sql()
    )
}

pub fn unique_clause(u: &UniqueDef) -> String {
    format!(
        "CONSTRAINT {} UNIQUE{} ({}){}{}",
        ident(&u.name),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        ident_list(&u.columns),
        key_index_sql(&u.index),
        u.deferral.sql()
    )
}

/// The index parameters of a key or unique constraint (with a leading space), or nothing.
fn key_index_sql(index: &KeyIndex) -> String {
    let mut sql = String::new();
    if !index.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    if !index.with.is_empty() {
        sql.push_str(&format!(" WITH ({})", storage_parameters(&index.with)));
    }
    sql
}

pub fn check_clause(c: &CheckDef) -> String {
    format!(
        "CONSTRAINT {} CHECK ({}){}",
        ident(&c.name),
        c.expression,
        if c.no_inherit { " NO INHERIT" } else { "" }
    )
}

/// `CONSTRAINT name EXCLUDE USING method (key WITH op, …) INCLUDE (…) WITH (…) WHERE (…)`.
pub fn exclusion_clause(x: &ExclusionDef) -> String {
    let elements: Vec<String> = x
        .keys
        .iter()
        .zip(&x.operators)
        .map(|(key, operator)| format!("{} WITH {operator}", index_key_sql(key)))
        .collect();
    let mut sql = format!(
        "CONSTRAINT {} EXCLUDE USING {} ({})",
        ident(&x.name),
        x.method.sql(),
        elements.join(", ")
    );
    if !x.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", ident_list(&x.include)));
    }
    if !x.with.is_empty() {
        sql.push_str(&format!(" WITH ({})", storage_parameters(&x.with)));
    }
    if let Some(p) = &x.predicate {
        sql.push_str(&format!(" WHERE ({p})"));
    }
    sql.push_str(x.deferral.sql());
    sql
}

/// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY`, optionally `NOT VALID` so that adding it
/// to a populated table does not scan the table under a strong lock.
pub fn foreign_key_sql(q: &QName, fk: &ForeignKeyDef, not_valid: bool) -> String {
    let mut sql = format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        q.sql(),
        ident(&fk.name),
        ident_list(&fk.columns),
        fk.references.sql(),
        ident_list(&fk.referenced_columns)
    );
    if fk.on_update != FkAction::NoAction {
        sql.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.on_delete != FkAction::NoAction {
        sql.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if fk.deferrable {
        sql.push_str(" DEFERRABLE");
    }
    if fk.initially_deferred {
        sql.push_str(" INITIALLY DEFERRED");
    }
    if not_valid {
        sql.push_str(" NOT VALID");
    }
    sql
}

pub fn view_sql(q: &QName, v: &ViewDef) -> String {
    if v.materialized {
        return format!(
            "CREATE MATERIALIZED VIEW {} AS\n{}\nWITH DATA",
            q.sql(),
            v.query
        );
    }
    let mut options = Vec::new();
    if v.security_barrier {
        options.push("security_barrier = true");
    }
    if v.security_invoker {
        options.push("security_invoker = true");
    }
    let with = if options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", options.join(", "))
    };
    format!("CREATE VIEW {}{with} AS\n{}", q.sql(), v.query)
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] …`.
pub fn index_sql(table: &QName, index: &IndexDef, concurrently: bool) -> String {
    let keys: Vec<String> = index.keys.iter().map(index_key_sql).collect();
    let mut sql = format!(
        "CREATE {}INDEX {}{} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        ident(&index.name),
        table.sql()
    );
    if index.method != IndexMethod::Btree {
        sql.push_str(&format!(" USING {}", index.method.sql()));
    }
    sql.push_str(&format!(" ({})", keys.join(", ")));
    if !index.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", ident_list(&index.include)));
    }
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        sql.push_str(&format!(" WITH ({})", storage_parameters(&index.with)));
    }
    if let Some(p) = &index.predicate {
        sql.push_str(&format!(" WHERE {p}"));
    }
    sql
}

fn index_key_sql(k: &IndexKeyDef) -> String {
    let (mut s, opclass, order, nulls, collate) = match k {
        IndexKeyDef::Column {
            name,
            opclass,
            order,
            nulls,
            collate,
        } => (ident(name), opclass, order, nulls, collate),
        IndexKeyDef::Expression {
            sql,
            opclass,
            order,
            nulls,
            collate,
        } => (format!("({sql})"), opclass, order, nulls, collate),
    };
    if let Some(c) = collate {
        s.push_str(&format!(" COLLATE {}", ident(c)));
    }
    if let Some(o) = opclass {
        s.push(' ');
        s.push_str(o);
    }
    match order {
        Some(SortOrder::Desc) => s.push_str(" DESC"),
        Some(SortOrder::Asc) => s.push_str(" ASC"),
        None => {}
    }
    match nulls {
        Some(NullsOrder::First) => s.push_str(" NULLS FIRST"),
        Some(NullsOrder::Last) => s.push_str(" NULLS LAST"),
        None => {}
    }
    s
}

/// `CREATE [OR REPLACE] TRIGGER … EXECUTE FUNCTION function(args)`.
pub fn trigger_sql(q: &QName, tr: &TriggerDef, function: &QName, or_replace: bool) -> String {
    let timing = match tr.timing {
        TriggerTiming::Before => "BEFORE",
        TriggerTiming::After => "AFTER",
        TriggerTiming::InsteadOf => "INSTEAD OF",
    };
    let events: Vec<String> = tr
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "INSERT".to_string(),
            TriggerEvent::Update if !tr.update_of.is_empty() => {
                format!("UPDATE OF {}", ident_list(&tr.update_of))
            }
            TriggerEvent::Update => "UPDATE".to_string(),
            TriggerEvent::Delete => "DELETE".to_string(),
            TriggerEvent::Truncate => "TRUNCATE".to_string(),
        })
        .collect();
    let level = match tr.level {
        TriggerLevel::Row => "ROW",
        TriggerLevel::Statement => "STATEMENT",
    };
    let mut sql = format!(
        "CREATE {}TRIGGER {} {timing} {} ON {}\nFOR EACH {level}",
        if or_replace { "OR REPLACE " } else { "" },
        ident(&tr.name),
        events.join(" OR "),
        q.sql()
    );
    if let Some(cond) = &tr.condition {
        sql.push_str(&format!(" WHEN ({cond})"));
    }
    let args: Vec<String> = tr.args.iter().map(|a| literal(a)).collect();
    sql.push_str(&format!(
        "\nEXECUTE FUNCTION {}({})",
        function.sql(),
        args.join(", ")
    ));
    sql
}

pub fn policy_sql(q: &QName, p: &PolicyDef) -> String {
    let mut sql = format!("CREATE POLICY {} ON {}", ident(&p.name), q.sql());
    if p.restrictive {
        sql.push_str(" AS RESTRICTIVE");
    }
    sql.push_str(&format!(" FOR {}", p.command.sql()));
    if !p.roles.is_empty() {
        let roles: Vec<String> = p.roles.iter().map(|r| role_sql(r)).collect();
        sql.push_str(&format!(" TO {}", roles.join(", ")));
    }
    if let Some(u) = &p.using {
        sql.push_str(&format!("\n    USING ({u})"));
    }
    if let Some(c) = &p.with_check {
        sql.push_str(&format!("\n    WITH CHECK ({c})"));
    }
    sql
}

/// A grantee: the pseudo-roles are keywords, everything else an identifier.
pub fn role_sql(role: &str) -> String {
    match role.to_ascii_lowercase().as_str() {
        "public" => "PUBLIC".to_string(),
        "current_user" => "CURRENT_USER".to_string(),
        "current_role" => "CURRENT_ROLE".to_string(),
        "session_user" => "SESSION_USER".to_string(),
        _ => ident(role),
    }
}

fn privilege_list(g: &GrantDef) -> String {
    g.privileges
        .iter()
        .map(|p| {
            if g.columns.is_empty() {
                p.sql().to_string()
            } else {
                format!("{} ({})", p.sql(), ident_list(&g.columns))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn grant_sql(g: &GrantDef, target: &str) -> String {
    format!(
        "GRANT {} ON {target} TO {}{}",
        privilege_list(g),
        role_sql(&g.grantee),
        if g.with_grant_option {
            " WITH GRANT OPTION"
        } else {
            ""
        }
    )
}

pub fn revoke_sql(g: &GrantDef, target: &str) -> String {
    format!(
        "REVOKE {} ON {target} FROM {}",
        privilege_list(g),
        role_sql(&g.grantee)
    )
}

pub fn comment_sql(target: &str, comment: Option<&str>) -> String {
    match comment {
        Some(c) => format!("COMMENT ON {target} IS {}", literal(c)),
        None => format!("COMMENT ON {target} IS NULL"),
    }
}

/// `ALTER DEFAULT PRIVILEGES … GRANT` (or `REVOKE` when `grant` is false).
pub fn default_privilege_sql(
    schema: &str,
    dp: &schemactl_core::catalog::DefaultPrivilegeDef,
    grant: bool,
) -> String {
    use schemactl_model::DefaultPrivilegeObject;
    let mut sql = String::from("ALTER DEFAULT PRIVILEGES");
    if let Some(r) = &dp.for_role {
        sql.push_str(&format!(" FOR ROLE {}", ident(r)));
    }
    let on = match dp.on {
        DefaultPrivilegeObject::Tables => "TABLES",
        DefaultPrivilegeObject::Sequences => "SEQUENCES",
        DefaultPrivilegeObject::Functions => "FUNCTIONS",
        DefaultPrivilegeObject::Types => "TYPES",
    };
    let privileges: Vec<&str> = dp.privileges.iter().map(|p| p.sql()).collect();
    let (verb, prep) = if grant {
        ("GRANT", "TO")
    } else {
        ("REVOKE", "FROM")
    };
    sql.push_str(&format!(
        " IN SCHEMA {} {verb} {} ON {on} {prep} {}",
        ident(schema),
        privileges.join(", "),
        role_sql(&dp.grantee)
    ));
    sql
}

/// `k = v, …` of a `WITH (…)` clause.
fn storage_parameters(params: &[(String, String)]) -> String {
    let params: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{} = {v}", parameter_name(k)))
        .collect();
    params.join(", ")
}

/// A storage parameter's name: `fillfactor`, or `toast.autovacuum_enabled` for the TOAST
/// table's (the prefix is syntax, not part of a quoted name).
pub fn parameter_name(name: &str) -> String {
    match name.strip_prefix("toast.") {
        Some(rest) => format!("toast.{}", ident(rest)),
        None => ident(name),
    }
}

/// ` COLLATE name`: a collation of `pg_catalog` by its name, another as `schema.name`.
pub fn collate(collation: &str) -> String {
    match collation.split_once('.') {
        Some((schema, name)) => format!(" COLLATE {}.{}", ident(schema), ident(name)),
        None => format!(" COLLATE {}", ident(collation)),
    }
}
